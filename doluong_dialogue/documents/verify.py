"""The public verification of signed documents, at /xac-thuc/ (no login).

A signed PDF (a builder registered with signed=True) carries a short code and a QR code to
/xac-thuc/<code>/, which shows the document's number, date, signer, signing time, SHA-256
and whether its digital signature is valid; a visitor may upload a PDF there to learn
whether it is the signed original, byte for byte. Lookups are limited per client address
(VERIFY_LOOKUPS_PER_MINUTE), so codes cannot be found by trying them in turn.
"""

import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from doluong_dialogue.documents import signing
from doluong_dialogue.documents.models import RenderedDocument
from doluong_dialogue.documents.renders import normalize_code
from doluong_dialogue.security import client_ip

app_name = "verify"

MAX_UPLOAD = 20 * 1024 * 1024
CHECK_CACHE_SECONDS = 600


class LookupForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=40,
        help_text=gettext_lazy("Printed beside the QR code on the last page, e.g. 7KQ2-M9XD-4T."),
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("A verification code has 10 letters and digits, e.g. 7KQ2-M9XD-4T.")
            )
        return code


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("PDF file to compare"),
        help_text=gettext_lazy("At most 20 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        content = upload.read()
        if not content.startswith(b"%PDF-"):
            raise forms.ValidationError(_("This is not a PDF file."))
        return content


def _too_many(request) -> bool:
    """Counts this address's lookups in the current minute (in the cache)."""
    minute = int(timezone.now().timestamp() // 60)
    key = f"verify:{client_ip(request) or 'unknown'}:{minute}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=120)
        count = 1
    return count > settings.VERIFY_LOOKUPS_PER_MINUTE


def _throttled(request):
    response = render(request, "documents/verify_throttled.html", status=429)
    response["Retry-After"] = "60"
    return response


def _not_found(request, form=None):
    return render(
        request,
        "documents/verify_lookup.html",
        {"form": form or LookupForm(), "unknown": True},
        status=404,
    )


def stored_check(record: RenderedDocument) -> signing.Validation:
    """The stored file's signature checked, kept a while per SHA-256 (the file never changes
    under the same digest)."""
    key = f"verify:check:{record.sha256}"
    check = cache.get(key)
    if check is None:
        with record.file.open("rb") as stored:
            check = signing.validate(stored.read())
        cache.set(key, check, CHECK_CACHE_SECONDS)
    return check


@require_GET
def lookup(request):
    """The form to type a code; a known code goes to its page."""
    if "code" not in request.GET:
        return render(request, "documents/verify_lookup.html", {"form": LookupForm()})
    if _too_many(request):
        return _throttled(request)
    form = LookupForm(request.GET)
    if not form.is_valid():
        return render(request, "documents/verify_lookup.html", {"form": form})
    record = _signed_record(form.cleaned_data["code"])
    if record is None:
        return _not_found(request, form)
    return redirect("verify:document", record.verification_code_display)


def _signed_record(code: str | None) -> RenderedDocument | None:
    if code is None:
        return None
    return (
        RenderedDocument.objects.filter(
            verification_code=code, status=RenderedDocument.Status.READY
        )
        .exclude(file="")
        .first()
    )


@require_http_methods(["GET", "POST"])
def document(request, code: str):
    """What a signed document is, whether its signature holds, and the comparison of an
    uploaded copy with it."""
    if _too_many(request):
        return _throttled(request)
    record = _signed_record(normalize_code(code))
    if record is None:
        return _not_found(request, LookupForm(initial={"code": code}))
    comparison = None
    form = UploadForm()
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            content = form.cleaned_data["file"]
            digest = hashlib.sha256(content).hexdigest()
            comparison = {
                "original": digest == record.sha256,
                "sha256": digest,
                "check": None if digest == record.sha256 else signing.validate(content),
            }
            form = UploadForm()
    return render(
        request,
        "documents/verify_document.html",
        {
            "record": record,
            "check": stored_check(record),
            "form": form,
            "comparison": comparison,
            "test_certificate": signing.is_test_signer(record.signed_by),
        },
    )


urlpatterns = [
    path("", lookup, name="lookup"),
    path("<str:code>/", document, name="document"),
]
