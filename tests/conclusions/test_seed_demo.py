"""The demo commune, seeded once for the module: what seed_demo builds and how it runs again,
and every home figure against the list it opens. (Every URL as a visitor and as each demo
account: tests/crawler/test_permission_crawler.py.)"""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from conclusions.demo.reference import ACCOUNTS as DEMO_ACCOUNTS
from conclusions.models import Conclusion, Directive, ProgressReport
from doluong_dialogue import clock
from doluong_dialogue.models import SiteConfiguration
from petitions.models import (
    Answer,
    AnswerTemplate,
    Assignment,
    Department,
    Petition,
    PetitionEvent,
    ResidentialUnit,
)
from petitions.permissions import department_ids, roles_of
from sessions.models import AgendaItem, DialogueSession, ReceptionDay, ReceptionVisit
from tests.conclusions.figures import figures_of, list_length
from tests.conftest import _load_reference_data

pytestmark = pytest.mark.django_db

ACCOUNTS = {
    "bxd": {"party_building"},
    "vpdu": {"party_office"},
    "bithu": {"secretary"},
    "ubkt": {"inspection"},
    "kinhte": {"department"},
    "vhxh": {"department"},
    "mttq": {"front"},
}


@pytest.fixture(scope="module")
def demo_commune(django_db_setup, django_db_blocker):
    """seed_demo, run once for this module inside a transaction that is rolled back at the end.

    Seeding takes seconds (8 on SQLite, 20 on PostgreSQL); each test runs nested in that
    transaction, in a savepoint of its own, as Django's setUpTestData does.
    """
    with django_db_blocker.unblock(), override_settings(DEBUG=True), transaction.atomic():
        # A transactional test before this module on the same worker emptied the tables
        # the data migrations fill (the roles among them); put them back for the seed.
        if not Group.objects.exists():
            _load_reference_data()
        call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def rows(model, *fields) -> list:
    return list(model.objects.order_by("pk").values_list(*fields))


def snapshot() -> dict:
    """Every row the demo makes, field by field."""
    return {
        "users": rows(User, "pk", "username", "password", "first_name", "last_name", "is_staff"),
        "groups": rows(User.groups.through, "pk", "user", "group"),
        "units": rows(ResidentialUnit, "pk", "kind", "name"),
        "members": rows(Department.members.through, "pk", "department", "user"),
        "config": list(SiteConfiguration.objects.values()),
        "petitions": list(Petition.objects.order_by("pk").values()),
        "events": list(PetitionEvent.objects.order_by("pk").values()),
        "assignments": list(Assignment.objects.order_by("pk").values()),
        "answers": list(Answer.objects.order_by("pk").values()),
        "answer_templates": list(AnswerTemplate.objects.order_by("pk").values()),
        "sessions": list(DialogueSession.objects.order_by("pk").values()),
        "agenda": list(AgendaItem.objects.order_by("pk").values()),
        "conclusions": list(Conclusion.objects.order_by("pk").values()),
        "directives": list(Directive.objects.order_by("pk").values()),
        "reports": list(ProgressReport.objects.order_by("pk").values()),
        "reception_days": list(ReceptionDay.objects.order_by("pk").values()),
        "reception_visits": list(ReceptionVisit.objects.order_by("pk").values()),
    }


def test_seed_demo_builds_the_demo_accounts_with_their_roles(demo_commune):
    for username, roles in ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert user.check_password("doluong2026")
        assert roles_of(user) == roles
    kinhte = User.objects.get(username="kinhte")
    assert department_ids(kinhte) == {Department.objects.get(name="Phòng Kinh tế").pk}
    assert ResidentialUnit.objects.filter(kind="xom").count() >= 10
    config = SiteConfiguration.load()
    assert config.demo_data
    assert config.secretary_name == "Phan Đình Toàn"


def test_running_seed_demo_twice_changes_nothing(demo_commune, settings):
    settings.DEBUG = True
    before = snapshot()
    assert before["petitions"] and before["events"] and before["sessions"]
    assert before["conclusions"] and before["directives"] and before["reports"]
    assert before["reception_days"] and before["reception_visits"]
    call_command("seed_demo", verbosity=0)
    assert snapshot() == before


def test_demo_password_can_be_set_from_the_environment(demo_commune, settings, monkeypatch):
    settings.DEBUG = True
    # An account missing from the database (renamed away: the demo data refers to it).
    User.objects.filter(username="nongdan").update(username="nongdan-cu")
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-khac")
    call_command("seed_demo", verbosity=0)
    assert User.objects.get(username="nongdan").check_password("mat-khau-khac")
    # Accounts that were there already keep their password.
    assert User.objects.get(username="bxd").check_password("doluong2026")


def test_seed_demo_refuses_to_run_when_debug_is_off_unless_forced(demo_commune, settings):
    settings.DEBUG = False
    User.objects.filter(username="nongdan").update(username="nongdan-cu")
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.filter(username="nongdan").exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.filter(username="nongdan").exists()


def test_seed_demo_says_which_accounts_and_password_to_log_in_with(demo_commune, settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert out.getvalue().count("\n") == 1
    assert (
        "bxd, vpdu, bithu, ubkt, kinhte, vhxh, vpub, hcc, congan, mttq, nongdan, phunu, doantn "
        "and quantri" in out.getvalue()
    )
    assert "password: doluong2026" in out.getvalue()


def test_the_demo_has_conclusions_in_every_state(demo_commune):
    assert set(Conclusion.objects.values_list("status", flat=True)) == set(Conclusion.Status)
    assert Conclusion.objects.exclude(review_comment="").filter(status="draft").exists()
    today = clock.today()
    directives = Directive.objects.all()
    assert directives.overdue(on=today).exists()
    assert directives.filter(done_on_time=True).exists()
    assert directives.filter(done_on_time=False).exists()
    assert directives.running().exclude(pk__in=directives.overdue(on=today)).exists()
    assert ProgressReport.objects.filter(status=ProgressReport.Status.SUBMITTED).exists()
    # The first session's conclusion was issued, so its dossier could be filed.
    assert DialogueSession.objects.filter(status="archived", conclusion__status="issued").exists()


def test_the_demo_has_a_survey_with_about_forty_forms(demo_commune):
    from sessions.models import Survey, SurveyResponse
    from sessions.surveys import results

    (survey,) = Survey.objects.all()
    assert survey.session.was_held
    assert survey.state(at=clock.now()) == "open"
    found = results(survey)
    assert found.total == 40
    assert found.online and found.paper
    assert found.suggestions
    assert 50 < found.overall.satisfied_percent < 100
    assert not SurveyResponse.objects.exclude(source="paper").filter(entered_by__isnull=False)


def test_the_demo_has_a_year_of_reception_days_with_visits_of_every_kind(demo_commune):
    from sessions import reception

    today = clock.today()
    days = ReceptionDay.objects.filter(held_on__year=today.year)
    months = reception.months_of_year(today.year, on=today)
    assert all(month.scheduled >= 1 for month in months)
    # Some months short of the two required, one ad-hoc day with its reason, one cancelled.
    assert any(month.state == "past" and month.short for month in months)
    assert any(month.state == "past" and not month.short for month in months)
    (ad_hoc,) = days.filter(ad_hoc=True)
    assert ad_hoc.ad_hoc_reason
    (cancelled,) = days.filter(cancelled=True)
    assert cancelled.cancel_reason and not cancelled.visits.exists()
    visits = ReceptionVisit.objects.select_related("petition")
    assert set(visits.values_list("kind", flat=True)) == set(ReceptionVisit.Kind.values)
    assert all(visit.petition.channel == "reception" for visit in visits)
    assert visits.filter(petition__status="assigned").exists()
    routed = visits.get(kind="complaint", number=visits.filter(kind="complaint").first().number)
    assert routed.petition.status == "routed_out" and "Luật Khiếu nại" in routed.guidance
    assert visits.filter(people_count__gt=1, day=ad_hoc).exists()
    assert days.filter(held_on__gt=today, cancelled=False).exists() or today.month == 12
    # The register is numbered through the year in the order of the days, the ad-hoc one too.
    numbers = list(
        visits.filter(day__held_on__year=today.year)
        .order_by("day__held_on", "number")
        .values_list("number", flat=True)
    )
    assert numbers == list(range(1, len(numbers) + 1))


# --- Every home figure equals the list its link opens --------------------------------------
#
# The demo commune holds petitions, sessions and conclusions in every state; each demo
# account's home page is read, and every figure's link is opened as that account.


def test_every_home_figure_equals_the_list_its_link_opens(demo_commune, client):
    checked = 0
    session_figures = []
    conclusion_figures = {}
    for username, *_rest in DEMO_ACCOUNTS:
        client.force_login(User.objects.get(username=username))
        figures = figures_of(client.get("/").content.decode())
        assert figures, f"{username}'s home page shows no figure"
        for href, value in figures:
            response = client.get(href)
            assert response.status_code == 200, href
            assert list_length(response.content.decode()) == value, (username, href)
            checked += 1
            if href.startswith("/sessions/") or "agenda_owed" in href:
                session_figures.append(value)
            if href.startswith("/conclusions/"):
                conclusion_figures[(username, href)] = value
    # The demo has something in most states: the check is not vacuous.
    assert checked > 30
    # The sessions' tiles (to prepare, answers owed, invitations and minutes waiting, upcoming)
    # are among them, most with something in them.
    assert len(session_figures) >= 5 and sum(1 for value in session_figures if value) >= 3
    # So are the conclusions' tiles: the demo has a notice to sign, one to issue, a returned
    # draft, reports to review and overdue directives.
    shown = {
        (user, href.split("?")[0]): value for (user, href), value in conclusion_figures.items()
    }
    assert len(conclusion_figures) >= 6
    assert sum(1 for value in conclusion_figures.values() if value) >= 5, shown


def test_the_overdue_table_adds_up_to_the_overdue_figure(demo_commune, client):
    client.force_login(User.objects.get(username="bithu"))
    response = client.get("/")
    rows = response.context["overdue_by_unit"]
    assert rows, "the demo has overdue petitions"
    assert sum(row["count"] for row in rows) == response.context["counts"]["overdue"]


def test_the_demo_has_dialogues_of_the_front_and_two_mass_organisations(demo_commune, client):
    from sessions import selectors

    held = DialogueSession.objects.of_organisations().filter(
        status__in=("held", "concluded", "archived")
    )
    assert set(held.values_list("organiser__name", flat=True)) == {
        "Ủy ban MTTQ Việt Nam xã",
        "Hội Nông dân",
        "Đoàn Thanh niên",
    }
    assert all(session.attendance and session.minutes.is_final for session in held)
    front = held.get(organiser__name="Ủy ban MTTQ Việt Nam xã")
    assert front.conclusion.series == "TB-MTTQ" and front.conclusion.status == "issued"
    rollup = selectors.organisations_rollup(year=clock.today().year)
    assert rollup.held == 3 and rollup.forwarded == 4
    assert all(line.topic is not None for line in rollup.topics)
    client.force_login(User.objects.get(username="bxd"))
    page = client.get("/sessions/organisations/", {"year": clock.today().year})
    assert page.status_code == 200
    client.force_login(User.objects.get(username="nongdan"))
    assert client.get(f"/sessions/{front.pk}/").status_code == 404
