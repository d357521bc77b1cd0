"""The views every app's document status shares: asking again after a failed render, and the
status a waiting page polls. Who may use them is the builder's `may_read`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from doluong_dialogue import redirects
from doluong_dialogue.documents.models import RenderedDocument
from doluong_dialogue.documents.renders import get_builder, pdf_retry

app_name = "documents"


def _record_for_user(user, pk: int) -> RenderedDocument:
    """The record, if the user may read the document it renders; 404 otherwise, as missing."""
    record = RenderedDocument.objects.filter(pk=pk).first()
    if record is None:
        raise Http404
    try:
        readable = get_builder(record.builder).may_read(user, record.object_id)
    except LookupError:
        readable = False
    if not readable:
        raise Http404
    return record


@login_required
@require_POST
def retry(request, pk: int):
    """Queue a failed render again and go back to the page that showed it (`next`)."""
    record = pdf_retry(record=_record_for_user(request.user, pk))
    if record.is_pending:
        messages.info(request, _("The PDF file is being created again."))
    return redirects.back_to(request, request.POST.get("next"), "/")


@login_required
@require_GET
def status(request, pk: int):
    """{"status": "queued" | "rendering" | "ready" | "failed"}, for static/js/document-status.js."""
    record = _record_for_user(request.user, pk)
    response = JsonResponse({"status": record.status})
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [
    path("<int:pk>/retry/", retry, name="retry"),
    path("<int:pk>/status/", status, name="status"),
]
