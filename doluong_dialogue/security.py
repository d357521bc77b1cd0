"""Who is asking, behind a reverse proxy, and when their logins are locked.

With `BEHIND_PROXY=true` every client reaches the application through the proxy, so the
client's address is the one the proxy appended to `X-Forwarded-For` (the last entry, or the
`PROXY_COUNT`-th from the end behind several proxies); entries to its left come from the
client and may be forged. Without a proxy the header is ignored.

Logins are locked per username and address (`AXES_FAILURE_LIMIT` failures), and per address
alone once it has failed `LOGIN_ADDRESS_FAILURE_LIMIT` times across any usernames (a spray),
so a named account is not locked for everyone behind one office router, and guessing many
usernames from one address is slowed too.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


def client_ip(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    if not getattr(settings, "BEHIND_PROXY", False):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    count = max(1, getattr(settings, "PROXY_COUNT", 1))
    if len(forwarded) < count:
        return remote
    candidate = forwarded[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler with a higher limit for an address alone than for a username
    at an address (AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"])."""

    def get_failures(self, request, credentials=None) -> int:
        totals = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if len(totals) != 2:
            return max(totals, default=0)
        at_address, address = totals
        # Scaled so that the one failure limit Axes checks is reached at the address limit.
        scaled = address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_ADDRESS_FAILURE_LIMIT
        return max(at_address, scaled)
