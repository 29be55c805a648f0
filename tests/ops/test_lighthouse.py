"""The Lighthouse audit's own parts (`make lighthouse`, bench/lighthouse.py): the server's
stand-in for the load balancer's compression, and how a report is read."""

import gzip

import pytest
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from bench import lighthouse
from bench.loadbalancer import Compression

HTML = "<!DOCTYPE html><html lang='de'><title>Kurse</title>" + "<p>Handwerk</p>" * 200


def compressed(response, accept="gzip, deflate, br"):
    request = RequestFactory().get("/", headers={"Accept-Encoding": accept})
    return Compression(lambda request: response)(request)


def test_pages_are_compressed_as_the_load_balancer_does():
    response = compressed(HttpResponse(HTML, content_type="text/html; charset=utf-8"))

    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).decode() == HTML
    assert "Accept-Encoding" in response["Vary"]


@pytest.mark.parametrize(
    "response",
    [
        HttpResponse(HTML, content_type="text/html", headers={"Content-Encoding": "br"}),
        HttpResponse(b"RIFF....WEBP" * 200, content_type="image/webp"),  # not in gzip_types
        HttpResponse("<p>kurz</p>" * 40, content_type="text/html"),  # below gzip_min_length
    ],
    ids=["already-compressed", "image", "short"],
)
def test_what_the_load_balancer_leaves_alone_stays_as_it_is(response):
    body, encoding = response.content, response.get("Content-Encoding")

    result = compressed(response)

    assert result.content == body
    assert result.get("Content-Encoding") == encoding


def test_a_visitor_who_takes_no_gzip_gets_plain_pages():
    response = compressed(HttpResponse(HTML, content_type="text/html"), accept="identity")

    assert not response.has_header("Content-Encoding")


def test_streamed_images_are_not_compressed(tmp_path):
    image = tmp_path / "bild.webp"
    image.write_bytes(b"RIFF....WEBP" * 500)

    response = compressed(FileResponse(image.open("rb"), content_type="image/webp"))

    assert not response.has_header("Content-Encoding")
    assert b"".join(response.streaming_content) == image.read_bytes()
    response.file_to_stream.close()  # not response.close(): that ends a "request"


def report(scores, audits, refs):
    return {
        "categories": {
            key: {"score": scores[key], "auditRefs": refs.get(key, [])}
            for key in lighthouse.CATEGORIES
        },
        "audits": audits,
    }


def test_scores_and_the_audits_that_cost_points_are_read_from_a_report():
    audits = {
        "link-text": {"title": "Links", "score": 0, "scoreDisplayMode": "binary"},
        "meta-description": {"title": "Beschreibung", "score": 1, "scoreDisplayMode": "binary"},
        "robots-txt": {"title": "robots", "score": None, "scoreDisplayMode": "error"},
        "total-blocking-time": {
            "title": "TBT",
            "score": 0.97,
            "scoreDisplayMode": "numeric",
            "displayValue": "110 ms",
        },
        "dom-size": {"title": "DOM", "score": 0.5, "scoreDisplayMode": "numeric"},
        "uses-long-cache-ttl": {
            "title": "Cache",
            "score": 0.5,
            "scoreDisplayMode": "metricSavings",
            "displayValue": "4 resources found",
        },
    }
    refs = {
        "seo": [
            {"id": "link-text", "weight": 1},
            {"id": "meta-description", "weight": 1},
            {"id": "robots-txt", "weight": 1},
        ],
        "performance": [
            {"id": "total-blocking-time", "weight": 30},
            {"id": "dom-size", "weight": 0},  # unweighted and not flagged: not listed
            {"id": "uses-long-cache-ttl", "weight": 0},
        ],
    }
    data = report(
        {"performance": 0.994, "accessibility": 1, "best-practices": 1, "seo": None}, audits, refs
    )

    assert lighthouse.scores(data) == {
        "performance": 99,
        "accessibility": 100,
        "best-practices": 100,
        "seo": None,  # an audit that errs leaves its category without a score: a failure
    }
    assert [(item["category"], item["id"]) for item in lighthouse.failing_audits(data)] == [
        ("performance", "total-blocking-time"),
        ("performance", "uses-long-cache-ttl"),
        ("seo", "link-text"),
    ]


def test_the_table_shows_every_score_and_a_dash_for_none():
    rows = [
        {
            "page": "home",
            "path": "/",
            "scores": {"performance": 100, "accessibility": 100, "best-practices": 96, "seo": None},
        }
    ]

    header, _rule, line = lighthouse.table_lines(rows)

    assert header.split() == ["page", "Perf", "A11y", "BP", "SEO", "path"]
    assert line.split() == ["home", "100", "100", "96", "–", "/"]
