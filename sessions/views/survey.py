"""The attendees' survey of a session, for the staff: set it up, print the form, type in the
paper forms, read the results (plan section III.6.2.3)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from doluong_dialogue import clock
from doluong_dialogue.rules import RuleError, add_to_form
from sessions import documents, permissions, surveys
from sessions.models import SurveyResponse
from sessions.survey_forms import PaperAnswerForm, SurveySettingsForm


def _survey(session):
    return getattr(session, "survey", None)


def _no_survey(request, session):
    messages.info(request, _("This session has no survey yet."))
    return redirect("sessions:survey", pk=session.pk)


@login_required
def survey(request, pk: int):
    """The survey's results, and what the staff may do with it."""
    session = permissions.survey_session_for_user(request.user, pk)
    found = _survey(session)
    context = {
        "session": session,
        "survey": found,
        "manage": permissions.can_run_survey(request.user, session),
        "results": surveys.results(found) if found else None,
        "state": found.state(at=clock.now()) if found else None,
        "public_url": surveys.public_url(found) if found else "",
        "pdf": surveys.results_pdf(found) if found else None,
        "last_day": surveys.last_day(found) if found else None,
    }
    return render(request, "sessions/survey.html", context)


@login_required
@require_POST
def survey_create(request, pk: int):
    session = permissions.survey_session_for_user(request.user, pk, manage=True)
    try:
        surveys.survey_create(session=session, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The survey is set up with the default questions."))
    return redirect("sessions:survey", pk=session.pk)


@login_required
def survey_edit(request, pk: int):
    session = permissions.survey_session_for_user(request.user, pk, manage=True)
    found = _survey(session)
    if found is None:
        return _no_survey(request, session)
    form = SurveySettingsForm(request.POST or None, initial=SurveySettingsForm.initial_from(found))
    if request.method == "POST" and form.is_valid():
        try:
            surveys.survey_update(survey=found, actor=request.user, **form.service_arguments())
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            messages.success(request, _("Survey saved."))
            return redirect("sessions:survey", pk=session.pk)
    context = {
        "session": session,
        "survey": found,
        "form": form,
        "answered": found.responses.exists(),
    }
    return render(request, "sessions/survey_edit.html", context)


@login_required
def survey_form_pdf(request, pk: int):
    session = permissions.survey_session_for_user(request.user, pk, manage=True)
    found = _survey(session)
    if found is None:
        return _no_survey(request, session)
    return documents.survey_form_pdf_response(found)


@login_required
def survey_form_word(request, pk: int):
    session = permissions.survey_session_for_user(request.user, pk, manage=True)
    found = _survey(session)
    if found is None:
        return _no_survey(request, session)
    return documents.survey_form_docx_response(found)


@login_required
def survey_paper(request, pk: int):
    """Type in the paper forms: one key per answer, Enter for the next form."""
    session = permissions.survey_session_for_user(request.user, pk, manage=True)
    found = _survey(session)
    if found is None:
        return _no_survey(request, session)
    form = PaperAnswerForm(request.POST or None, survey=found)
    if request.method == "POST" and form.is_valid():
        try:
            entered = surveys.response_enter(
                survey=found, actor=request.user, **form.service_arguments()
            )
        except RuleError as refusal:
            add_to_form(form, refusal)
        else:
            count = found.responses.filter(source=SurveyResponse.Source.PAPER).count()
            messages.success(request, _("Form no. %(number)d saved.") % {"number": count})
            request.session["survey_last_entered"] = entered.pk
            return redirect("sessions:survey_paper", pk=session.pk)
    last = (
        found.responses.filter(
            source=SurveyResponse.Source.PAPER,
            entered_by=request.user,
            pk=request.session.get("survey_last_entered"),
        )
        .select_related("hamlet")
        .first()
    )
    context = {
        "session": session,
        "survey": found,
        "form": form,
        "paper_count": found.responses.filter(source=SurveyResponse.Source.PAPER).count(),
        "total": found.responses.count(),
        "last": last,
    }
    return render(request, "sessions/survey_paper.html", context)


@login_required
@require_POST
def survey_paper_undo(request, pk: int, response_pk: int):
    response = permissions.survey_response_for_user(request.user, response_pk)
    session = response.survey.session
    if session.pk != pk:
        return redirect("sessions:survey_paper", pk=session.pk)
    try:
        surveys.response_undo(response=response, actor=request.user)
    except RuleError as refusal:
        messages.error(request, str(refusal))
    else:
        request.session.pop("survey_last_entered", None)
        messages.success(request, _("The last form is taken back."))
    return redirect("sessions:survey_paper", pk=session.pk)


@login_required
@require_POST
def survey_results_pdf_request(request, pk: int):
    session = permissions.survey_session_for_user(request.user, pk, manage=True)
    found = _survey(session)
    if found is None:
        return _no_survey(request, session)
    surveys.results_pdf_request(survey=found)
    messages.success(request, _("The results' PDF is being made."))
    return redirect("sessions:survey", pk=session.pk)


@login_required
def survey_results_pdf(request, pk: int):
    session = permissions.survey_session_for_user(request.user, pk)
    found = _survey(session)
    if found is None:
        return _no_survey(request, session)
    return documents.pdf_download(surveys.results_pdf(found))


urlpatterns = [
    path("<int:pk>/survey/", survey, name="survey"),
    path("<int:pk>/survey/create/", survey_create, name="survey_create"),
    path("<int:pk>/survey/edit/", survey_edit, name="survey_edit"),
    path("<int:pk>/survey/phieu-lay-y-kien.pdf", survey_form_pdf, name="survey_form_pdf"),
    path("<int:pk>/survey/phieu-lay-y-kien.docx", survey_form_word, name="survey_form_docx"),
    path("<int:pk>/survey/paper/", survey_paper, name="survey_paper"),
    path(
        "<int:pk>/survey/paper/<int:response_pk>/undo/",
        survey_paper_undo,
        name="survey_paper_undo",
    ),
    path("<int:pk>/survey/results-pdf/", survey_results_pdf_request, name="survey_results_pdf"),
    path("<int:pk>/survey/ket-qua.pdf", survey_results_pdf, name="survey_results_download"),
]
