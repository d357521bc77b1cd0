"""The public pages (no login), mounted at /cong-khai/: the issued conclusions, the
resolution status of published petitions per topic, and the lookup of a petition by its
receipt code. They read only conclusions/public.py, which returns public fields only."""

from django import forms
from django.core.cache import cache
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from conclusions import effects, public
from doluong_dialogue import paging
from doluong_dialogue.documents import file_response
from doluong_dialogue.security import client_ip

PER_PAGE = 20
# Lookups per client address in a window: enough for a household, too few to walk the
# sequence of receipt codes.
LOOKUP_LIMIT = 20
LOOKUP_WINDOW = 15 * 60  # seconds


def index(request):
    page = paging.paginate(
        public.issued_conclusions(),
        request.GET.get("page"),
        per_page=PER_PAGE,
        rows=public.conclusion_rows,
    )
    return render(
        request,
        "public/index.html",
        {"page": page, "within_days": public.PUBLISH_WITHIN_DAYS},
    )


def conclusion(request, pk: int):
    found = public.issued_conclusion(pk)
    if found is None:
        raise Http404("No issued conclusion with this number.")
    record = effects.notice_record(found)
    return render(
        request,
        "public/conclusion.html",
        {
            "conclusion": found,
            "row": public.conclusion_rows([found.pk])[0],
            "directives": public.conclusion_directives(found),
            "notice_ready": record is not None and record.is_ready,
        },
    )


def notice_pdf(request, pk: int):
    """The signed notice, only once the conclusion is issued."""
    found = public.issued_conclusion(pk)
    record = effects.notice_record(found) if found is not None else None
    if record is None:
        raise Http404("No issued notice.")
    return file_response(record, f"Thong-bao-ket-luan-so-{found.number:02d}.pdf")


def topics(request):
    return render(request, "public/topics.html", {"topics": public.topics_with_counts()})


def topic(request, pk: int):
    found = public.published_topic(pk)
    if found is None:
        raise Http404("No published petition on this topic.")
    shown = request.GET.get("trang-thai", "")
    if shown not in public.PublicStatus.LISTED:
        shown = ""
    page = paging.paginate(
        public.topic_petitions(found, shown),
        request.GET.get("page"),
        per_page=PER_PAGE,
        rows=public.petition_rows,
    )
    counts = next((row for row in public.topics_with_counts() if row.pk == found.pk), None)
    return render(
        request,
        "public/topic.html",
        {"topic": found, "page": page, "counts": counts, "shown": shown},
    )


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Receipt code"),
        max_length=40,
        help_text=_("As written on the acknowledgement, e.g. KN-2026-000123."),
    )

    def clean_code(self) -> str:
        code = public.normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Type the receipt code."))
        return code


def _lookups_left(request) -> bool:
    """Counts this lookup against the client's address; False once over the limit."""
    key = f"public-lookup:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, timeout=LOOKUP_WINDOW)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=LOOKUP_WINDOW)
        used = 1
    return used <= LOOKUP_LIMIT


@require_http_methods(["GET", "POST"])
def lookup(request):
    form = LookupForm(request.POST or None)
    found = None
    status = 200
    if request.method == "POST":
        if not _lookups_left(request):
            form.is_valid()
            form.add_error(
                None,
                _("Too many lookups from this address. Please try again in a few minutes."),
            )
            status = 429
        elif form.is_valid():
            found = public.lookup(form.cleaned_data["code"])
            if found is None:
                form.add_error(
                    "code",
                    _("No petition has this receipt code. Check the code on your acknowledgement."),
                )
    return render(request, "public/lookup.html", {"form": form, "found": found}, status=status)


app_name = "public"

urlpatterns = [
    path("", index, name="index"),
    path("ket-luan/<int:pk>/", conclusion, name="conclusion"),
    path("ket-luan/<int:pk>/thong-bao.pdf", notice_pdf, name="notice_pdf"),
    path("linh-vuc/", topics, name="topics"),
    path("linh-vuc/<int:pk>/", topic, name="topic"),
    path("tra-cuu/", lookup, name="lookup"),
]
