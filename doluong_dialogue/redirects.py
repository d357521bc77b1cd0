"""Going back to where a form was opened from (`next`), safely.

A `next` the browser sends is taken only when it is a path of this site ("/petitions/…"):
not another site's address, and not a bare word, which Django's `redirect()` would try to
reverse as the name of a URL (and answer a server error when there is none).
"""

from django.http import HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


def local_path(request, candidate: str | None) -> str | None:
    """`candidate` when it is a path on this site, else None."""
    candidate = (candidate or "").strip()
    if not candidate.startswith("/") or candidate.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return candidate


def back_to(request, candidate: str | None, fallback: str) -> HttpResponseRedirect:
    """Redirect to `candidate` when it is a path on this site, else to `fallback` (a URL)."""
    return HttpResponseRedirect(local_path(request, candidate) or fallback)
