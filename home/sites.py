"""The Wagtail Site record follows ``SITE_URL``.

Wagtail builds every absolute address of a page (canonical link, ``og:url``, feeds,
sitemap, calendar entries) from the default Site's hostname and port, while mails and
links use ``SITE_URL``. Both must name the same address: every ``migrate`` (which each
deploy and ``make run`` do) sets the default Site from ``SITE_URL``, and the system check
``home.W001`` warns when they differ all the same."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


def site_address() -> tuple[str, int] | None:
    """(hostname, port) of ``SITE_URL``; None when it names no host."""
    parts = urlsplit(settings.SITE_URL or "")
    if not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return parts.hostname.lower(), port or (443 if parts.scheme == "https" else 80)


def _default_site(using):
    from wagtail.models import Site

    return Site.objects.using(using).filter(is_default_site=True).first()


def follow_site_url(using="default", **kwargs) -> bool:
    """Set the default Site's hostname and port from ``SITE_URL`` (a ``post_migrate``
    receiver); True when it changed."""
    address = site_address()
    try:
        site = _default_site(using)
    except DatabaseError:  # Wagtail's tables not there yet
        return False
    if address is None or site is None or (site.hostname, site.port) == address:
        return False
    site.hostname, site.port = address
    site.save(update_fields=["hostname", "port"])
    return True


@checks.register(checks.Tags.database)
def check_site_matches_site_url(app_configs=None, databases=None, **kwargs):
    """Run where the database is checked (``migrate``, ``check --database default``)."""
    if not databases:
        return []
    address = site_address()
    try:
        site = _default_site("default")
    except DatabaseError:
        return []
    if address is None or site is None or (site.hostname, site.port) == address:
        return []
    return [
        checks.Warning(
            f"The default Wagtail Site is {site.hostname}:{site.port}, but SITE_URL "
            f"names {address[0]}:{address[1]}: absolute page addresses would be wrong.",
            hint="Run `manage.py migrate`, which sets the Site from SITE_URL.",
            id="home.W001",
        )
    ]
