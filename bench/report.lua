-- wrk reporting script: prints one JSON line with the figures the benchmark needs.
done = function(summary, latency, requests)
   local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout + summary.errors.status
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, "errors": %d, "non_2xx": %d, ' ..
      '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
      summary.requests, summary.duration, summary.bytes, errors, summary.errors.status,
      latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
