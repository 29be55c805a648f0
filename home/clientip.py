"""The client address of a request: the one answer every limit and throttle uses
(enrolment and sign-in rate limits, the admin login throttle of django-axes).

``X-Forwarded-For`` is believed only as far as it was written by a proxy in
``settings.TRUSTED_PROXIES`` (addresses or networks, e.g. ``127.0.0.1`` or
``10.0.0.0/24``). A request that does not come from such a proxy is answered with
its own peer address (``REMOTE_ADDR``), whatever it claims in its headers.
From a trusted proxy the header is read from the right, skipping further trusted
proxies: the first address no trusted proxy vouches for is the client.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
MAX_HOPS = 20  # a longer chain is not walked further (each hop costs a parse)


@lru_cache(maxsize=8)
def parse_networks(entries: tuple[str, ...]) -> tuple:
    """``TRUSTED_PROXIES`` as networks; a wrong entry stops the start-up."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip(), strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"TRUSTED_PROXIES: {entry!r} is neither an IP address nor a network."
            ) from error
    return tuple(networks)


def trusted_networks() -> tuple:
    return parse_networks(tuple(settings.TRUSTED_PROXIES or ()))


def parse_address(value) -> Address | None:
    """An IP address (``[v6]`` brackets and IPv4-mapped IPv6 allowed), else None."""
    if not value or not isinstance(value, str) or len(value) > 64:
        return None
    value = value.strip()
    if value.startswith("[") and value.endswith("]"):
        value = value[1:-1]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: Address | None) -> bool:
    return address is not None and any(address in net for net in trusted_networks())


def client_ip(request) -> str | None:
    """The client's address as text, or None when the request carries none
    (e.g. a Unix socket without a proxy)."""
    peer = parse_address(request.META.get("REMOTE_ADDR"))
    if peer is None or not is_trusted_proxy(peer):
        return str(peer) if peer is not None else None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()][-MAX_HOPS:]
    client = peer
    for hop in reversed(hops):
        address = parse_address(hop)
        if address is None:
            break  # garbage in the chain: trust goes no further than the last proxy
        client = address
        if not is_trusted_proxy(address):
            break
    return str(client)
