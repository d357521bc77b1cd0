"""The home pages' tallies stay equal to the rows they count, whatever changes the rows: each
service, a calendar change, a deletion, a bulk update; compaction keeps every sum; the
nightly check repairs and reports a tally that was bypassed."""

import io
import logging
import threading
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.models import Q, Sum
from django.test.utils import CaptureQueriesContext

from conclusions import oversight
from doluong_dialogue import tallies
from doluong_dialogue.clock import localtime, now
from doluong_dialogue.deadlines import DeadlineReader, deadlines_recompute
from doluong_dialogue.models import CalendarException, Tally
from petitions import services
from petitions.figures import (
    RECENTLY_ANSWERED_DAYS,
    all_petition_figures,
    inbox_figures,
    overdue_by_lead_unit,
    petition_figures,
)
from petitions.models import (
    Answer,
    Assignment,
    Department,
    ExtensionRequest,
    Petition,
    PetitionUnit,
    ResidentialUnit,
    Topic,
)
from tests.petitions.helpers import assigned, classified, received

pytestmark = pytest.mark.django_db

LATER = date(2027, 6, 1)  # every deadline of these tests has passed


def plain_inbox(units, on: date) -> dict[str, int]:
    """The inbox figures counted on the assignments themselves (and their supporting
    units), not on the copies of their state."""
    since = now() - timedelta(days=RECENTLY_ANSWERED_DAYS)
    mine = Assignment.objects.filter(
        Q(department__in=units) | Q(supporting_departments__in=units)
    ).distinct()
    soon = DeadlineReader(on=on).soon
    return {
        "open": mine.filter(Assignment.running_condition()).count(),
        "overdue": mine.filter(Assignment.overdue_condition(on)).count(),
        "due_soon": mine.filter(Assignment.due_soon_condition(on, soon)).count(),
        "answered": mine.filter(done_at__gte=since).count(),
    }


def plain_oversight(filters: oversight.Filters, reader: DeadlineReader) -> tuple:
    """The oversight's figures of the assignments, counted on the assignments and their
    petitions themselves (not on the copies of the petition's topic and hamlet, nor on the
    tallies): the register {unit: {bucket: n}}, the rates {unit: (done, on time)} and the
    trend [(done, on time)] of the last twelve months."""
    found = Assignment.objects.all()
    if filters.topic:
        found = found.filter(petition__topic=filters.topic)
    if filters.hamlet:
        found = found.filter(petition__residential_unit=filters.hamlet)
    register: dict = {}
    overdue = found.filter(status=Assignment.Status.OPEN, deadline__lt=reader.on)
    for key, condition in oversight.bucket_conditions(reader).items():
        for unit in overdue.filter(condition).values_list("department_id", flat=True):
            counts = register.setdefault(unit, dict.fromkeys(("1-5", "6-10", "10+"), 0))
            counts[key] += 1
    start, end = filters.start or date.min, filters.end or date.max
    rates: dict = {}
    months = [(reader.on.year, reader.on.month)]
    while len(months) < 12:
        year, month = months[0]
        months.insert(0, (year - (month == 1), (month - 2) % 12 + 1))
    trend = {month: [0, 0] for month in months}
    for item in found.filter(done_at__isnull=False, done_on_time__isnull=False):
        day = localtime(item.done_at).date()
        if start <= day <= end:
            done, on_time = rates.get(item.department_id, (0, 0))
            rates[item.department_id] = (done + 1, on_time + item.done_on_time)
        if (day.year, day.month) in trend and day <= reader.on:
            trend[(day.year, day.month)][0] += 1
            trend[(day.year, day.month)][1] += item.done_on_time
    return register, rates, [tuple(counts) for counts in trend.values()]


def read_oversight(filters: oversight.Filters, reader: DeadlineReader) -> tuple:
    """The same figures as the dashboard reads them."""
    register = {
        row.unit.pk: row.counts["assignment"]
        for row in oversight.register(filters, reader)
        if "assignment" in row.counts
    }
    rates = {
        unit.pk: (rate.done, rate.on_time) for unit, rate in oversight.on_time_by_unit(filters)
    }
    trend = [(month.rate.done, month.rate.on_time) for month in oversight.trend(filters, reader)]
    return register, rates, trend


def assert_oversight_exact():
    """The oversight's figures, every assignment's and those of each topic and hamlet alone
    or together, over all time and over a period, read from the tallies and the copies, equal
    those counted on the assignments and their petitions."""
    topics = Topic.objects.filter(pk__in=Petition.objects.values("topic"))
    hamlets = ResidentialUnit.objects.filter(pk__in=Petition.objects.values("residential_unit"))
    narrowed = [
        oversight.Filters(),
        *(oversight.Filters(topic=topic) for topic in topics),
        *(oversight.Filters(hamlet=hamlet) for hamlet in hamlets),
        *(oversight.Filters(topic=t, hamlet=h) for t in topics for h in hamlets),
    ]
    for on in (date(2026, 11, 25), LATER):
        reader = DeadlineReader(on=on)
        for filters in narrowed:
            for period in ({}, {"start": date(2026, 11, 1), "end": date(2026, 11, 30)}):
                within = oversight.Filters(**{**filters.__dict__, **period})
                assert read_oversight(within, reader) == plain_oversight(within, reader)


def assert_exact():
    """The tallies equal a recount of the rows, the petition-unit rows' copies of their
    assignment's state equal the assignment, and the figures read from them equal the
    counted ones (a few rows: every count is exact)."""
    assert tallies.recount() == []
    assert tallies.repair_copies() == 0
    assert_oversight_exact()
    # The extensions figure against the requests and their assignments themselves.
    requested = ExtensionRequest.objects.filter(
        status=ExtensionRequest.Status.PENDING, assignment__status__in=Assignment.RUNNING_STATUSES
    ).values("assignment__petition_id")
    assert all_petition_figures(on=LATER)["extensions"] == (
        Petition.objects.filter(pk__in=requested).count()
    )
    units = list(Department.objects.values_list("pk", flat=True))
    for on in (date(2026, 11, 25), LATER):
        soon = DeadlineReader(on=on).soon
        for chosen in [[unit] for unit in units] + [units]:
            assert inbox_figures(chosen, on=on, soon=soon) == plain_inbox(chosen, on)
    for on in (date(2026, 11, 25), LATER):
        assert all_petition_figures(on=on) == petition_figures(Petition.objects.all(), on=on)
    by_unit = overdue_by_lead_unit(on=LATER)
    assert sum(row["count"] for row in by_unit) == Petition.objects.overdue(on=LATER).count()
    for row in by_unit:
        listed = Petition.objects.overdue(on=LATER).filter(
            lead_department=row["lead_department_id"]
        )
        assert row["count"] == listed.count()
        assert row["oldest"] == listed.order_by("deadline").first().deadline


def test_every_step_of_a_petition_keeps_the_tallies_exact(
    staff, department, other_department, dept_user
):
    petition = received(staff)
    assert_exact()
    petition = services.petition_classify(
        petition=petition,
        actor=staff,
        topic=classified(staff).topic,
        urgency=Petition.Urgency.NORMAL,
    )
    assert_exact()
    assignment = services.petition_assign(petition=petition, actor=staff, department=department)
    assert_exact()
    request = services.extension_request(
        assignment=assignment,
        actor=dept_user,
        new_deadline=date(2027, 1, 15),
        reason="Cần khảo sát thêm.",
    )
    assert all_petition_figures(on=LATER)["extensions"] == 1
    assert_exact()
    services.extension_decide(request=request, actor=staff, approve=True)
    assert_exact()
    services.extension_request(
        assignment=assignment, actor=dept_user, new_deadline=date(2027, 2, 1), reason="Lần 2."
    )
    assert_exact()
    answer = services.answer_submit(assignment=assignment, actor=dept_user, text="Đã khảo sát.")
    assert all_petition_figures(on=LATER)["extensions"] == 0
    assert_exact()
    services.answer_review(answer=answer, actor=staff, accept=False, comment="Bổ sung số liệu.")
    assert_exact()
    answer = services.answer_submit(assignment=assignment, actor=dept_user, text="Đã bổ sung.")
    services.answer_review(answer=answer, actor=staff, accept=True)
    assert_exact()
    petition.refresh_from_db()
    services.petition_close(petition=petition, actor=staff, outcome=Petition.Outcome.RESOLVED)
    assert_exact()

    returned, open_assignment = assigned(staff, other_department)
    services.assignment_decline(
        assignment=open_assignment, actor=staff, reason="Thuộc thẩm quyền Công an xã"
    )
    assert_exact()
    services.petition_assign(petition=returned, actor=staff, department=department)
    assert_exact()

    routed = received(staff)
    services.petition_route_out(petition=routed, actor=staff, legal_channel_note="Thanh tra")
    assert_exact()

    owed = Petition.objects.filter(acknowledgement_due__isnull=False, acknowledged_on=None)
    letter = owed.first()
    services.petition_acknowledge(petition=letter, actor=staff, sent_on=letter.received_on)
    assert_exact()
    assert Answer.objects.exists()


def test_a_calendar_change_a_bulk_update_and_a_deletion_keep_the_tallies_exact(
    staff, department, other_department, clock
):
    clock.set(date(2026, 11, 25))  # the day off below is within the deadlines' working days
    for unit in (department, other_department, department):
        assigned(staff, unit)
    assert_exact()
    CalendarException.objects.create(day=date(2026, 12, 1), kind="day_off", note="Nghỉ bù")
    assert deadlines_recompute(actor=staff) >= 1
    assert_exact()
    # What no service does: an update of many rows at once, by hand or by a script.
    Petition.objects.filter(status=Petition.Status.ASSIGNED).update(deadline=date(2026, 12, 2))
    Assignment.objects.filter(department=other_department).update(department=department)
    assert_exact()
    Petition.objects.filter(pk=Petition.objects.order_by("pk").first().pk).delete()
    assert_exact()


def test_a_petition_moved_to_another_topic_and_hamlet_moves_its_assignments_figures(
    staff, department, other_department, dept_user, clock
):
    clock.set(date(2026, 11, 2))
    yen_thinh = ResidentialUnit.objects.create(name="Yên Thịnh")
    dong_ho = ResidentialUnit.objects.create(name="Đông Hồ")
    roads = Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")
    others = Topic.objects.exclude(pk=roads.pk).order_by("pk")
    petition, assignment = assigned(staff, department, residential_unit=yen_thinh)
    assigned(staff, other_department, residential_unit=dong_ho)
    done, done_assignment = assigned(staff, department, residential_unit=dong_ho)
    clock.set(date(2026, 11, 30))  # answered late, accepted on the last day of November
    answer = services.answer_submit(assignment=done_assignment, actor=dept_user, text="Xong.")
    services.answer_review(answer=answer, actor=staff, accept=True)
    assert_exact()
    assert read_oversight(oversight.Filters(topic=roads), DeadlineReader(on=LATER))[1] == {
        department.pk: (1, 0)
    }
    # Moved to another hamlet by the edit, reclassified by hand; both by hand.
    services.petition_update(petition=done, actor=staff, residential_unit=yen_thinh)
    Petition.objects.filter(pk=done.pk).update(topic=others[0])
    Petition.objects.filter(pk=petition.pk).update(topic=others[1], residential_unit=dong_ho)
    assignment.refresh_from_db()
    assert (assignment.petition_topic_id, assignment.petition_hamlet_id) == (
        others[1].pk,
        dong_ho.pk,
    )
    assert_exact()
    assert read_oversight(oversight.Filters(topic=roads), DeadlineReader(on=LATER))[1] == {}
    assert read_oversight(oversight.Filters(topic=others[0]), DeadlineReader(on=LATER))[1] == {
        department.pk: (1, 0)
    }
    # Saved whole by Django, an assignment keeps the copies (the triggers fill them again).
    assignment.petition_topic_id = None
    assignment.save()
    assert_exact()


def test_the_overdue_register_of_every_assignment_equals_the_counted_one(
    staff, department, other_department, clock
):
    for n, unit in enumerate([department, other_department, department, department]):
        day = date(2026, 10, 1 + 7 * n)
        clock.set(day)
        assigned(staff, unit, received_on=day)
    clock.set(date(2026, 11, 25))
    reader = DeadlineReader()
    from_tallies = oversight.register(oversight.Filters(), reader)
    # A filter that keeps every petition reads the assignments themselves.
    counted = oversight.register(
        oversight.Filters(topic=Petition.objects.first().topic), DeadlineReader()
    )
    assert [(row.unit, row.counts) for row in from_tallies] == [
        (row.unit, row.counts) for row in counted
    ]
    assert sum(row.total() for row in from_tallies) == 4


def test_compaction_keeps_every_sum_in_one_row_per_key(staff, department, dept_user):
    for _ in range(3):
        _petition, assignment = assigned(staff, department)
        services.answer_submit(assignment=assignment, actor=dept_user, text="Đã xử lý.")

    def sums():
        return {
            (row["name"], row["unit_id"], row["status"], row["day"]): row["total"]
            for row in Tally.objects.values("name", "unit_id", "status", "day")
            .annotate(total=Sum("count"))
            .exclude(total=0)
        }

    before, rows = sums(), Tally.objects.count()
    assert tallies.compact() > 0
    assert sums() == before
    assert Tally.objects.count() == len(before) < rows
    assert not Tally.objects.filter(count=0).exists()
    assert_exact()


def test_the_nightly_check_repairs_a_tally_that_was_bypassed_and_says_so(staff, department, caplog):
    assigned(staff, department)
    received(staff)
    # A change made with the triggers off (a restore, a load by COPY).
    Tally.objects.create(name="petition", status=Petition.Status.RECEIVED, count=5)
    assert all_petition_figures(on=LATER)["received"] == 6
    with caplog.at_level(logging.WARNING, logger="doluong_dialogue.tallies"):
        call_command("recount_tallies", stdout=io.StringIO())
    warning = next(r for r in caplog.records if r.levelno == logging.WARNING)
    assert "petition" in warning.getMessage()
    assert "status=received" in warning.getMessage()
    assert "-5" in warning.getMessage()
    assert all_petition_figures(on=LATER)["received"] == 1
    assert_exact()


def test_the_nightly_check_repairs_a_copy_that_was_bypassed_and_says_so(
    staff, department, other_department, caplog
):
    _petition, assignment = assigned(staff, department)
    services.petition_assign(
        petition=classified(staff),
        actor=staff,
        department=other_department,
        supporting=[department],
    )
    rows = PetitionUnit.objects.filter(assignment=assignment)
    assert set(rows.values_list("assignment_status", "deadline", "assignment_lead_id")) == {
        (Assignment.Status.OPEN, assignment.deadline, department.pk)
    }
    # A change made with the triggers off (a restore, a load by COPY).
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE petitions_petitionunit SET assignment_status = 'accepted', deadline = NULL "
            "WHERE assignment_id = %s",
            [assignment.pk],
        )
    with caplog.at_level(logging.WARNING, logger="doluong_dialogue.tallies"):
        call_command("recount_tallies", stdout=io.StringIO())
    warning = next(r for r in caplog.records if r.levelno == logging.WARNING)
    assert "1 row(s) of petitions_petitionunit" in warning.getMessage()
    assert rows.get().assignment_status == Assignment.Status.OPEN
    assert_exact()


def test_the_submitted_row_copies_nothing(staff):
    front = Department.objects.get(name="Ủy ban MTTQ Việt Nam xã")
    petition = received(staff, submitted_by_department=front)
    row = PetitionUnit.objects.get(petition=petition, role=PetitionUnit.Role.SUBMITTED)
    assert (row.assignment_lead_id, row.assignment_status, row.deadline, row.done_at) == (
        None,
        None,
        None,
        None,
    )
    assert_exact()


@pytest.mark.postgres
def test_the_home_and_oversight_figures_read_the_tally_index_not_the_rows(staff, department):
    assigned(staff, department)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
    topic = oversight.Filters(topic=Petition.objects.get().topic)
    with CaptureQueriesContext(connection) as captured:
        all_petition_figures(on=LATER)
        overdue_by_lead_unit(on=LATER)
        for filters in (oversight.Filters(), topic):
            oversight.register(filters, DeadlineReader())
            oversight.on_time_by_unit(filters)
            oversight.trend(filters, DeadlineReader())
    tally_queries = [q["sql"] for q in captured if "doluong_dialogue_tally" in q["sql"]]
    assert len(tally_queries) == 8
    for sql in tally_queries:
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {sql}")
            explained = "\n".join(row[0] for row in cursor.fetchall())
        assert "tally_key_idx" in explained
        assert "petitions_petition" not in explained
        assert "petitions_assignment" not in explained


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_transactions_moving_the_same_key_do_not_wait_for_each_other(
    reference_data, staff, department
):
    first, _ = assigned(staff, department)
    second, _ = assigned(staff, department)
    changed = threading.Event()
    done = threading.Event()
    errors = []

    def other_writer():
        try:
            with transaction.atomic():
                Petition.objects.filter(pk=first.pk).update(deadline=date(2026, 12, 31))
                changed.set()
                done.wait(timeout=10)
        except Exception as error:  # reported to the test below
            errors.append(error)
            changed.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_writer)
    thread.start()
    assert changed.wait(timeout=10)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # Waiting on the other transaction would fail here instead of hanging.
            cursor.execute("SET LOCAL lock_timeout = '2s'")
            Petition.objects.filter(pk=second.pk).update(deadline=date(2026, 12, 31))
    finally:
        done.set()
        thread.join()
    assert errors == []
    assert Petition.objects.filter(deadline=date(2026, 12, 31)).count() == 2
    assert_exact()
