"""One log line per request, in place of the server's access log.

    user=bxd method=POST path=/petitions/12/assign/ status=302 ms=41.7

Logged by "doluong.request" at INFO (WARNING for a 5xx): who (the username, "-" when
anonymous), what (the method and the path, percent-encoded, without the query string, which
may hold what a person searched for), how it ended (the status) and how long the app took in
milliseconds. No address, no user agent, no parameter: nothing personal beyond the username.

First in MIDDLEWARE, so that it times and logs everything, a redirect to HTTPS and a static
file included; a view that raised is logged with the 500 Django answered.
"""

import logging
import time

from django.utils.encoding import escape_uri_path

logger = logging.getLogger("doluong.request")


def _username(request) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "-"
    return user.get_username()


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = (time.perf_counter() - started) * 1000
        level = logging.WARNING if response.status_code >= 500 else logging.INFO
        logger.log(
            level,
            "user=%s method=%s path=%s status=%s ms=%.1f",
            _username(request),
            request.method,
            escape_uri_path(request.path),  # a newline in the path cannot forge a line
            response.status_code,
            elapsed,
        )
        return response
