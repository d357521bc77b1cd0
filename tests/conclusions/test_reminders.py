"""The daily reminders: each unit's digest of what is overdue, due today and due soon
(assignments and directives alike), the escalation ladder, sent once whatever runs the sweep,
the working days missed caught up; and the bell."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conclusions import reminders, services
from conclusions.models import Directive, ReminderRun
from doluong_dialogue import workdays
from doluong_dialogue.models import Notification
from petitions.models import Assignment
from tests.conclusions.helpers import submitted
from tests.petitions.helpers import assigned

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)
TUESDAY = date(2026, 12, 8)
WEDNESDAY = date(2026, 12, 9)


def with_deadline(staff, department, deadline: date, summary: str) -> Assignment:
    _petition, assignment = assigned(staff, department, summary=summary)
    Assignment.objects.filter(pk=assignment.pk).update(deadline=deadline)
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def due(staff, department, clock):
    """Seen on Monday 07/12: one overdue by 3 working days, one due today, one due on Thursday
    (soon), one far off."""
    clock.set(date(2026, 11, 2))
    return {
        "overdue": with_deadline(staff, department, date(2026, 12, 2), "Cống thoát nước bị tắc"),
        "today": with_deadline(staff, department, MONDAY, "Đèn đường hỏng"),
        "soon": with_deadline(staff, department, date(2026, 12, 10), "Xin hỗ trợ giống lúa"),
        "far": with_deadline(staff, department, date(2026, 12, 30), "Nạo vét kênh"),
    }


def sweep(capture, day):
    with capture(execute=True):
        return reminders.reminders_send(on=day)


def test_a_units_digest_lists_what_is_overdue_due_today_and_due_soon(
    due, clock, django_capture_on_commit_callbacks
):
    clock.set(MONDAY, hour=7)
    mail.outbox.clear()
    sweep(django_capture_on_commit_callbacks, MONDAY)
    (message,) = mail.outbox
    assert message.to == ["kinhte_member@doluong.example"]
    assert message.subject == (
        "Nhắc việc ngày 07/12/2026: 1 quá hạn, 1 đến hạn hôm nay, 1 sắp đến hạn"
    )
    text = message.body
    html = message.alternatives[0][0]
    for part in (text, html):
        assert due["overdue"].petition.code in part
        assert "quá hạn 3 ngày làm việc" in part
        assert due["today"].petition.code in part
        assert due["soon"].petition.code in part
        assert due["far"].petition.code not in part
        assert f"/petitions/assignments/{due['overdue'].pk}/" in part
    assert text.index("QUÁ HẠN") < text.index("ĐẾN HẠN HÔM NAY") < text.index("SẮP ĐẾN HẠN")

    # The member's bell has a line per item, each linking to it.
    member = User.objects.get(username="kinhte_member")
    lines = Notification.objects.filter(user=member)
    assert lines.count() == 3
    overdue = lines.get(key=f"assignment:{due['overdue'].pk}:overdue:2026-12-02")
    assert overdue.title.startswith("Quá hạn: ")
    assert overdue.url == f"/petitions/assignments/{due['overdue'].pk}/"


def test_the_sweep_sends_nothing_twice(due, clock, django_capture_on_commit_callbacks):
    clock.set(MONDAY, hour=7)
    mail.outbox.clear()
    sweep(django_capture_on_commit_callbacks, MONDAY)
    told = Notification.objects.count()
    assert told > 3  # the unit's member, and the staff (acknowledgement letters owed)
    reports = sweep(django_capture_on_commit_callbacks, MONDAY)
    assert [report.already_done for report in reports] == [True]
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == told

    # Even when its record of the day is lost, the keyed e-mails and bell lines hold.
    ReminderRun.objects.all().delete()
    sweep(django_capture_on_commit_callbacks, MONDAY)
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == told


def test_a_bell_line_is_told_once_and_again_when_its_state_changes(
    due, clock, django_capture_on_commit_callbacks
):
    clock.set(MONDAY, hour=7)
    sweep(django_capture_on_commit_callbacks, MONDAY)
    clock.set(TUESDAY, hour=7)
    sweep(django_capture_on_commit_callbacks, TUESDAY)
    keys = set(Notification.objects.values_list("key", flat=True))
    today = due["today"].pk
    # Due today on Monday, overdue on Tuesday; the overdue one was told once.
    assert {f"assignment:{today}:today:{MONDAY}", f"assignment:{today}:overdue:{MONDAY}"} <= keys
    overdue_key = f"assignment:{due['overdue'].pk}:overdue:2026-12-02"
    assert Notification.objects.filter(key=overdue_key).count() == 1


def test_a_deadline_extended_is_told_again_when_it_comes(
    due, clock, django_capture_on_commit_callbacks
):
    clock.set(MONDAY, hour=7)
    sweep(django_capture_on_commit_callbacks, MONDAY)
    item = due["overdue"]
    Assignment.objects.filter(pk=item.pk).update(deadline=TUESDAY)  # extended
    clock.set(TUESDAY, hour=7)
    sweep(django_capture_on_commit_callbacks, TUESDAY)
    keys = set(Notification.objects.values_list("key", flat=True))
    assert f"assignment:{item.pk}:overdue:2026-12-02" in keys
    assert f"assignment:{item.pk}:today:{TUESDAY}" in keys


def test_a_missed_working_day_is_caught_up(due, clock, django_capture_on_commit_callbacks):
    clock.set(MONDAY, hour=7)
    sweep(django_capture_on_commit_callbacks, MONDAY)
    mail.outbox.clear()
    # No sweep on Tuesday (the worker was down); Wednesday's run sends Tuesday's too.
    clock.set(WEDNESDAY, hour=7)
    reports = sweep(django_capture_on_commit_callbacks, WEDNESDAY)
    assert [report.day for report in reports] == [TUESDAY, WEDNESDAY]
    assert [message.subject[:28] for message in mail.outbox] == [
        "Nhắc việc ngày 08/12/2026: 2",
        "Nhắc việc ngày 09/12/2026: 2",
    ]
    assert set(ReminderRun.objects.values_list("day", flat=True)) == {MONDAY, TUESDAY, WEDNESDAY}


def test_the_first_sweep_does_not_send_the_past(due, clock, django_capture_on_commit_callbacks):
    clock.set(MONDAY, hour=7)
    reports = sweep(django_capture_on_commit_callbacks, MONDAY)
    assert [report.day for report in reports] == [MONDAY]


def test_a_weekend_sends_nothing(due, clock, django_capture_on_commit_callbacks):
    saturday = date(2026, 11, 28)
    clock.set(saturday, hour=7)
    mail.outbox.clear()
    assert sweep(django_capture_on_commit_callbacks, saturday) == []
    assert mail.outbox == []


def test_long_overdue_items_go_up_the_ladder(
    staff, department, inspector, secretary, clock, django_capture_on_commit_callbacks
):
    clock.set(date(2026, 11, 2))
    # Working days overdue on Monday 07/12 (24/11 is a day off).
    six = with_deadline(staff, department, date(2026, 11, 27), "Sạt lở bờ kênh")
    twelve = with_deadline(staff, department, date(2026, 11, 18), "Lấn chiếm đất công")
    three = with_deadline(staff, department, date(2026, 12, 2), "Cống thoát nước bị tắc")
    clock.set(MONDAY, hour=7)
    mail.outbox.clear()
    (report,) = sweep(django_capture_on_commit_callbacks, MONDAY)
    assert report.escalated == 3  # two to the Inspection Committee, one to the Secretary

    sent = {message.to[0]: message for message in mail.outbox}
    to_inspection = sent["ubkt_test@doluong.example"]
    assert "5 ngày làm việc trở lên" in to_inspection.subject
    assert six.petition.code in to_inspection.body and twelve.petition.code in to_inspection.body
    assert three.petition.code not in to_inspection.body
    to_secretary = sent["bithu_test@doluong.example"]
    assert "10 ngày làm việc trở lên" in to_secretary.subject
    assert twelve.petition.code in to_secretary.body
    assert six.petition.code not in to_secretary.body
    assert Notification.objects.filter(user=inspector).count() == 2
    assert Notification.objects.filter(user=secretary).count() == 1


def test_directives_are_in_the_lead_units_digest(
    staff, office, secretary, department, clock, django_capture_on_commit_callbacks
):
    conclusion = submitted(staff, office, clock, department)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.conclusion_issue(conclusion=conclusion, actor=office)
    directive = Directive.objects.get()
    clock.set(directive.deadline, hour=7)
    digest = reminders.digests(on=directive.deadline)[department.pk]
    assert [line.pk for line in digest.due_today if line.kind == "directive"] == [directive.pk]
    line = digest.due_today[-1]
    assert line.url == f"/conclusions/directives/{directive.pk}/"
    assert line.label.startswith(f"Thông báo {conclusion.number:02d}-TB: ")


def test_the_sweeps_queries_do_not_grow_with_the_items(
    staff, department, other_department, clock, django_capture_on_commit_callbacks
):
    def queries_for(day: date) -> int:
        clock.set(day, hour=7)
        with CaptureQueriesContext(connection) as queries:
            reminders.reminders_send(on=day)
        return len(queries)

    clock.set(date(2026, 11, 2))
    for unit in (department, other_department):
        with_deadline(staff, unit, date(2026, 11, 18), "Cống thoát nước bị tắc")
    few = queries_for(MONDAY)
    clock.set(date(2026, 11, 2))
    for number in range(6):
        for unit in (department, other_department):
            with_deadline(staff, unit, date(2026, 11, 19), f"Đường hỏng đoạn {number}")
    many = queries_for(TUESDAY)
    # Per unit: one e-mail row and one insert of bell lines; never per item.
    assert many <= few + 2, (few, many)


def test_the_command_takes_a_date_and_refuses_a_bad_one(
    due, clock, django_capture_on_commit_callbacks
):
    from io import StringIO

    clock.set(MONDAY, hour=7)
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--date", "07/12/2026", stdout=out)
    assert "07/12/2026: nhắc việc 1 đơn vị" in out.getvalue()
    with pytest.raises(CommandError, match="Ngày không hợp lệ: “31/02/2026”"):
        call_command("send_reminders", "--date", "31/02/2026")
    with pytest.raises(CommandError, match="hơn một năm"):
        call_command("send_reminders", "--date", "07/12/2030")


# --- The bell --------------------------------------------------------------------------------


def test_the_bell_shows_the_unread_count_and_opens_the_item(
    client, due, clock, django_capture_on_commit_callbacks
):
    clock.set(MONDAY, hour=7)
    sweep(django_capture_on_commit_callbacks, MONDAY)
    member = User.objects.get(username="kinhte_member")
    client.force_login(member)
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/")
    bell = [query for query in queries if "doluong_dialogue_notification" in query["sql"]]
    assert len(bell) == 1  # the count costs one query
    assert 'data-testid="bell-count">3' in page.content.decode()

    listing = client.get("/notifications/")
    assert listing.status_code == 200
    assert 'data-count="3"' in listing.content.decode()
    line = Notification.objects.get(key=f"assignment:{due['overdue'].pk}:overdue:2026-12-02")
    opened = client.get(f"/notifications/{line.pk}/")
    assert opened.status_code == 302
    assert opened["Location"] == f"/petitions/assignments/{due['overdue'].pk}/"
    line.refresh_from_db()
    assert line.read_at is not None
    assert 'data-testid="bell-count">2' in client.get("/").content.decode()

    client.post("/notifications/read/")
    assert Notification.objects.filter(user=member).unread().count() == 0
    assert 'data-testid="bell-count"' not in client.get("/").content.decode()


def test_a_notification_is_opened_only_by_its_user(
    client, due, clock, dept_user, other_dept_user, django_capture_on_commit_callbacks
):
    clock.set(MONDAY, hour=7)
    sweep(django_capture_on_commit_callbacks, MONDAY)
    line = Notification.objects.filter(user=dept_user).first()
    client.force_login(other_dept_user)
    assert client.get(f"/notifications/{line.pk}/").status_code == 404
    line.refresh_from_db()
    assert line.read_at is None


def test_a_notification_never_redirects_off_the_site(client, dept_user):
    line = Notification.objects.create(
        user=dept_user, key="x", title="Lạ", url="https://example.com/phishing"
    )
    client.force_login(dept_user)
    response = client.get(f"/notifications/{line.pk}/")
    assert response["Location"] == "/notifications/"


# --- The staff's reminders -------------------------------------------------------------------


def staff_keys(day: date) -> dict[str, str]:
    return {line.key: line.title for line in reminders.staff_lines(on=day)}


def test_staff_are_reminded_to_announce_a_coming_session(staff, clock):
    from tests.sessions.helpers import planned

    clock.set(date(2026, 11, 2))
    session = planned(staff, held_on=date(2026, 12, 18))
    assert not any(key.startswith("session:") for key in staff_keys(date(2026, 12, 4)))
    keys = staff_keys(date(2026, 12, 8))
    assert f"session:{session.pk}:announce:2026-12-18" in keys
    assert (
        "Chưa thông báo kỳ đối thoại ngày 18/12/2026"
        in keys[f"session:{session.pk}:announce:2026-12-18"]
    )


def test_staff_are_reminded_of_a_held_session_without_conclusion(staff, office, department, clock):
    from tests.conclusions.helpers import SESSION_DAY, held_session

    session, *_ = held_session(staff, office, clock, department)
    assert not any(f"session:{session.pk}:" in key for key in staff_keys(SESSION_DAY))
    after_three = staff_keys(date(2026, 12, 21))
    assert f"session:{session.pk}:held:3" in after_three
    after_seven = staff_keys(date(2026, 12, 25))
    assert f"session:{session.pk}:held:7" in after_seven
    after_eleven = staff_keys(date(2026, 12, 29))
    assert f"session:{session.pk}:not-issued" in after_eleven
    assert (
        "Quá 10 ngày sau hội nghị ngày 18/12/2026"
        in after_eleven[f"session:{session.pk}:not-issued"]
    )


def test_staff_are_not_reminded_of_an_organisations_own_dialogue(clock):
    from tests.sessions.organisation_helpers import organisation_planned, organisation_staff

    clock.set(date(2026, 11, 2))
    mttq = organisation_staff("Ủy ban MTTQ Việt Nam xã", "mttq_staff")
    session = organisation_planned(mttq, held_on=date(2026, 12, 18))
    assert not any(f"session:{session.pk}:" in key for key in staff_keys(date(2026, 12, 8)))


def test_staff_are_reminded_of_a_directive_without_report_and_of_letters_owed(
    staff, office, secretary, department, clock, django_capture_on_commit_callbacks
):
    conclusion = submitted(staff, office, clock, department)
    with django_capture_on_commit_callbacks(execute=True):
        conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.conclusion_issue(conclusion=conclusion, actor=office)
    directive = Directive.objects.get()
    conclusion.refresh_from_db()
    issued = conclusion.issued_on

    quiet = workdays.add_working_days(issued, 9)
    assert f"directive:{directive.pk}:silent:{issued}" not in staff_keys(quiet)
    late = workdays.add_working_days(issued, 10)
    assert f"directive:{directive.pk}:silent:{issued}" in staff_keys(late)

    from petitions.models import Petition

    owed = Petition.objects.filter(acknowledgement_due__isnull=False).first()
    assert owed is not None, "intake schedules an acknowledgement letter"
    later = workdays.add_working_days(owed.acknowledgement_due, 1)
    keys = staff_keys(later)
    owed_count = Petition.objects.acknowledgement_overdue(on=later).count()
    assert owed_count >= 1
    line = keys[f"acknowledgements-overdue:{later}"]
    assert line == f"{owed_count} thông báo tiếp nhận kiến nghị quá hạn chưa gửi"


def test_the_sweep_rings_the_staffs_bell_once(
    staff, office, department, clock, django_capture_on_commit_callbacks
):
    from tests.conclusions.helpers import held_session

    session, *_ = held_session(staff, office, clock, department)
    day = date(2026, 12, 21)
    clock.set(day, hour=7)
    sweep(django_capture_on_commit_callbacks, day)
    clock.set(date(2026, 12, 22), hour=7)
    sweep(django_capture_on_commit_callbacks, date(2026, 12, 22))
    for person in (staff, office):
        assert (
            Notification.objects.filter(user=person, key=f"session:{session.pk}:held:3").count()
            == 1
        )


def test_the_staff_home_page_shows_today_s_reminders(client, staff, office, department, clock):
    from tests.conclusions.helpers import held_session

    session, *_ = held_session(staff, office, clock, department)
    clock.set(date(2026, 12, 22))
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert 'data-testid="staff-reminders"' in page
    assert f'href="/conclusions/session/{session.pk}/"' in page
    client.force_login(User.objects.get(username="kinhte_member"))
    assert 'data-testid="staff-reminders"' not in client.get("/").content.decode()
