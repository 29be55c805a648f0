-- wrk script: counts every response whose status is not 200 (wrk itself counts only
-- those above 399, so a redirect would pass unseen) and prints one JSON line.
local threads = {}

function setup(thread)
   table.insert(threads, thread)
end

function init(args)
   not_200 = 0
   last_bad_status = 0
end

function response(status, headers, body)
   if status ~= 200 then
      not_200 = not_200 + 1
      last_bad_status = status
   end
end

function done(summary, latency, requests)
   local bad, bad_status = 0, 0
   for _, thread in ipairs(threads) do
      bad = bad + thread:get("not_200")
      local status = thread:get("last_bad_status")
      if status ~= 0 then
         bad_status = status
      end
   end
   local errors = summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout
   io.write(string.format(
      '{"requests": %d, "duration_us": %d, "bytes": %d, "socket_errors": %d, ' ..
      '"status_errors": %d, "not_200": %d, "bad_status": %d, ' ..
      '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
      summary.requests, summary.duration, summary.bytes, errors, summary.errors.status,
      bad, bad_status, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.max))
end
