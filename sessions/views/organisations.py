"""The organisations' own dialogues (plan section IV.2): forwarding their members' proposals
to the commune, and the roll-up Ban Xây dựng Đảng reads."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from doluong_dialogue import clock
from doluong_dialogue.rules import RuleError, add_to_form
from petitions import permissions as petition_permissions
from petitions.models import Topic
from sessions import permissions, selectors, services
from sessions.models import DialogueSession


class ForwardForm(forms.Form):
    ids = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Proposals to forward"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one proposal to forward.")},
    )
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"),
        queryset=Topic.objects.filter(is_active=True),
        required=False,
        empty_label=gettext_lazy("— Let Ban Xây dựng Đảng classify them —"),
    )

    def __init__(self, *args, speeches=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(speech.pk, speech.pk) for speech in speeches]


@login_required
def forward(request, pk: int):
    """Tick the proposals that need the commune and forward them in one action."""
    session = permissions.session_for_user(request.user, pk, paperwork=True)
    if not session.is_organisations:
        raise Http404
    speeches = list(session.speeches.select_related("petition"))
    form = ForwardForm(request.POST or None, speeches=speeches)
    if request.method == "POST" and form.is_valid():
        chosen = [speech for speech in speeches if speech.pk in form.cleaned_data["ids"]]
        try:
            forwarded = services.proposals_forward(
                session=session,
                speeches=chosen,
                actor=request.user,
                topic=form.cleaned_data["topic"],
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            if not forwarded:
                messages.info(
                    request,
                    _("Those proposals were forwarded already: nothing more was forwarded."),
                )
                return redirect("sessions:forward", pk=session.pk)
            messages.success(
                request,
                ngettext(
                    "%(count)s proposal forwarded to the commune: %(codes)s.",
                    "%(count)s proposals forwarded to the commune: %(codes)s.",
                    len(forwarded),
                )
                % {
                    "count": len(forwarded),
                    "codes": ", ".join(petition.code for petition in forwarded),
                },
            )
            return redirect("sessions:forward", pk=session.pk)
    context = {
        "session": session,
        "form": form,
        "speeches": speeches,
        "can_forward": session.was_held,
    }
    return render(request, "sessions/forward.html", context)


def _period(request) -> tuple[int, int | None]:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = clock.today().year
    if not 2000 <= year <= 2100:
        year = clock.today().year
    half = request.GET.get("half", "")
    return year, int(half) if half in ("1", "2") else None


@login_required
def rollup(request):
    """Per period: which organisations held dialogues with their members, how many people
    took part, and what they forwarded to the commune by topic. Read by those who read
    everything; nobody else finds it (404)."""
    if not petition_permissions.can_read_everything(request.user):
        raise Http404
    year, half = _period(request)
    context = {
        "rollup": selectors.organisations_rollup(year=year, half=half),
        "year": year,
        "half": half,
        "halves": DialogueSession.HalfYear.choices,
    }
    return render(request, "sessions/organisations_rollup.html", context)


urlpatterns = [
    path("<int:pk>/forward/", forward, name="forward"),
    path("organisations/", rollup, name="organisations_rollup"),
]
