"""What the production topology (`make cluster`, compose) is configured to do: app
servers on loopback unless told otherwise, the load balancer passing the Host with its
port and the client's address, and only that load balancer trusted."""

import re
import runpy
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent.parent
DEPLOY = ROOT / "deploy"


def gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))


def test_gunicorn_listens_on_loopback_unless_configured(monkeypatch):
    assert gunicorn_settings(monkeypatch)["bind"] == "127.0.0.1:8000"
    assert gunicorn_settings(monkeypatch, PORT="8301")["bind"] == "127.0.0.1:8301"
    assert gunicorn_settings(monkeypatch, BIND="10.0.0.5:8000")["bind"] == "10.0.0.5:8000"


def directives(conf: Path) -> dict[str, str]:
    text = re.sub(r"#.*", "", conf.read_text())
    return dict(re.findall(r"proxy_set_header\s+(\S+)\s+([^;]+);", text))


@pytest.mark.parametrize("conf", ["nginx.conf", "nginx-compose.conf"])
def test_load_balancer_passes_host_with_port_and_the_peer_address(conf):
    """Finding: with ``Host $host`` the port was lost, and every browser's form post
    through the cluster failed the CSRF origin check."""
    headers = directives(DEPLOY / conf)
    assert headers["Host"] == "$http_host"
    assert headers["X-Forwarded-For"] == "$remote_addr"


def test_the_cluster_trusts_only_its_load_balancer():
    from deploy import cluster

    values = cluster.env()
    assert values["TRUSTED_PROXIES"] == "127.0.0.1"
    assert "ENROLMENT_CLIENT_IP_HEADER" not in values or not values["ENROLMENT_CLIENT_IP_HEADER"]
    assert cluster.REDIS_URL != "redis://127.0.0.1:6379/7"  # its own Redis, stopped at will


def test_compose_trusts_its_load_balancer_and_binds_inside_the_container():
    compose = (ROOT / "compose.yaml").read_text()
    assert "TRUSTED_PROXIES: 172.30.0.10" in compose
    assert "ipv4_address: 172.30.0.10" in compose
    assert "ENROLMENT_CLIENT_IP_HEADER" not in compose
    assert "BIND=0.0.0.0:8000" in (ROOT / "Dockerfile").read_text()


@pytest.mark.django_db
def test_form_post_with_origin_passes_when_the_host_keeps_its_port(home_page):
    """What a browser sends through the cluster's load balancer on :8300."""

    def post(host):
        client = Client(enforce_csrf_checks=True)
        page = client.get("/lernen/anmelden/", HTTP_HOST=host)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
        return client.post(
            "/lernen/anmelden/",
            {"csrfmiddlewaretoken": token[1], "email": "lernende@example.org"},
            HTTP_HOST=host,
            HTTP_ORIGIN="http://127.0.0.1:8300",
        )

    assert post("127.0.0.1:8300").status_code == 302  # Host $http_host
    assert post("127.0.0.1").status_code == 403  # Host $host: the port lost
