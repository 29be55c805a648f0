"""Input that no view should ever see.

PostgreSQL cannot store or compare text with a NUL character (``\\x00``): a NUL in
the address, a query parameter, a cookie or a header that reaches a query ends in
a server error there (SQLite simply finds nothing). No browser sends one, so such
a request is answered "400 Ungültige Anfrage" before any view, session or login
throttle reads it. Form fields sent by POST are checked by their forms instead
(Django's CharField refuses NUL with a message next to the field), so a person
keeps what they typed.
"""

import logging

from django.core.exceptions import SuspiciousOperation
from django.views.defaults import bad_request

logger = logging.getLogger(__name__)
NUL = "\x00"


def _nul_in(request) -> str | None:
    """Where the request carries a NUL, or None."""
    if NUL in request.path_info:
        return "path"
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            return "query"
    for key, value in request.COOKIES.items():
        if NUL in key or NUL in value:
            return "cookie"
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and NUL in value:
            return "header"
    return None


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = _nul_in(request)
        if where is not None:
            logger.info("request refused: NUL character in the %s", where)
            return bad_request(request, SuspiciousOperation(f"NUL character in the {where}"))
        return self.get_response(request)
