"""The survey's results reach the conclusion's draft (a sentence on the satisfaction), the
session's dossier (the results' PDF) and the periodic report (satisfaction per session)."""

import pytest

from conclusions import dossier as dossiers
from conclusions import reports, services
from conclusions.models import SessionDossier
from sessions import surveys
from tests.conclusions.test_dossier import run, session, zip_of  # noqa: F401
from tests.sessions.survey_helpers import paper

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(session, office):  # noqa: F811
    found = surveys.survey_create(session=session, actor=office)
    for answers in ([1, 1, 1, 1], [2, 2, 2, 2], [1, 3, 2, 1], [4, 4, 4, 4]):
        paper(found, office, *answers)
    return found


def test_the_draft_says_how_many_attendees_were_satisfied(session, survey, staff):  # noqa: F811
    conclusion = services.conclusion_draft(session=session, actor=staff)
    assert (
        "Qua 4 phiếu lấy ý kiến người tham dự, 75% người tham dự hài lòng hoặc rất hài lòng"
        in conclusion.closing
    )


def test_a_draft_without_answers_says_nothing_of_a_survey(session, staff, office):  # noqa: F811
    surveys.survey_create(session=session, actor=office)
    conclusion = services.conclusion_draft(session=session, actor=staff)
    assert "phiếu lấy ý kiến" not in conclusion.closing


def test_the_dossier_holds_the_results_pdf(session, survey, office, run):  # noqa: F811
    dossier = run(dossiers.dossier_request, session=session, actor=office)
    assert not any("Ket-qua-lay-y-kien" in name for name in zip_of(dossier).namelist())
    run(surveys.results_pdf_request, survey=survey)
    dossier = run(dossiers.dossier_request, session=session, actor=office)
    dossier.refresh_from_db()
    assert dossier.status == SessionDossier.Status.READY
    names = zip_of(dossier).namelist()
    (results,) = [name for name in names if "Ket-qua-lay-y-kien" in name]
    assert zip_of(dossier).read(results)[:4] == b"%PDF"


def test_the_report_gives_each_sessions_satisfaction(session, survey):  # noqa: F811
    stats = reports.statistics(reports.Period.of("year", 2026))
    _title, header, rows = reports.tables(stats)[3]
    assert header[-2:] == ("Phiếu lấy ý kiến", "Tỷ lệ hài lòng")
    (row,) = rows
    assert row[-2:] == [4, "75%"]
