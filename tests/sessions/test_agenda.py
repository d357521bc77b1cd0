"""The agenda: petitions put to a session, carried over from earlier ones, prepared by their
units."""

from datetime import date

import pytest

from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.rules import RuleError
from petitions import services as petition_services
from petitions.models import Petition
from petitions.permissions import roles_of
from sessions import selectors, services
from sessions.models import AgendaItem, DialogueSession
from tests.petitions.helpers import assigned, classified, received
from tests.sessions.helpers import TODAY, held, planned

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def today(clock):
    clock.set(TODAY)
    return clock


def test_a_petition_is_put_once_on_a_sessions_agenda(staff):
    session = planned(staff)
    petition = classified(staff)
    change = services.agenda_add(session=session, petitions=[petition], actor=staff)
    assert change.added == [petition]
    again = services.agenda_add(session=session, petitions=[petition], actor=staff)
    assert again.added == []
    assert again.skipped == [(petition, "kiến nghị đã có trong chương trình của kỳ này")]
    assert AgendaItem.objects.filter(session=session).count() == 1
    assert "Thêm vào" in session.events.latest("id").note


def test_routed_out_and_merged_petitions_are_not_put_to_a_session(staff):
    session = planned(staff)
    primary, duplicate, complaint = classified(staff), classified(staff), received(staff)
    petition_services.petition_merge(duplicate=duplicate, primary=primary, actor=staff)
    petition_services.petition_route_out(
        petition=complaint, actor=staff, legal_channel_note="Chuyển UBND xã theo Luật Khiếu nại"
    )
    duplicate.refresh_from_db()
    complaint.refresh_from_db()
    change = services.agenda_add(session=session, petitions=[duplicate, complaint], actor=staff)
    assert change.added == []
    reasons = dict(change.skipped)
    assert primary.code in reasons[duplicate]
    assert "khiếu nại" in reasons[complaint]


def test_items_are_ordered_by_hand_within_their_topic(staff):
    session = planned(staff)
    first, second, third = classified(staff), classified(staff), classified(staff)
    services.agenda_add(session=session, petitions=[first, second, third], actor=staff)
    third_item = AgendaItem.objects.get(petition=third)
    services.agenda_move(item=third_item, actor=staff, step=-1)
    order = list(session.agenda_items.order_by("order").values_list("petition__code", flat=True))
    assert order == [first.code, third.code, second.code]


def test_what_was_spoken_about_stays_on_the_agenda(staff, today):
    session = planned(staff)
    petition = classified(staff)
    services.agenda_add(session=session, petitions=[petition], actor=staff)
    item = session.agenda_items.get()
    services.session_announce(session=session, actor=staff)
    today.set(session.held_on)
    services.session_hold(session=session, actor=staff)
    services.speech_save(
        session=session,
        actor=staff,
        client_id="6d2b1c5e-3f4a-4b5c-8d6e-7f8091a2b3c4",
        data=services.SpeechData(speaker="Ông Hòe", raised="Đường hỏng", agenda_item=item),
    )
    with pytest.raises(RuleError, match="đã được nêu"):
        services.agenda_remove(item=item, actor=staff)


def test_unresolved_and_undialogued_petitions_are_carried_over_first(staff, department, today):
    earlier = held(staff, today, held_on=date(2026, 12, 2), title="Kỳ trước")
    unresolved, _assignment = assigned(staff, department)
    resolved = classified(staff)
    not_dialogued = classified(staff)
    services.agenda_add(
        session=earlier, petitions=[unresolved, resolved, not_dialogued], actor=staff
    )
    AgendaItem.objects.filter(petition__in=[unresolved, resolved]).update(dialogued=True)
    petition_services.petition_close(petition=resolved, actor=staff, outcome="resolved")
    today.set(date(2026, 12, 3))
    later = planned(staff, held_on=date(2026, 12, 28), title="Kỳ này")
    rows = selectors.carry_over(later, staff)
    assert {row.petition.code for row in rows} == {unresolved.code, not_dialogued.code}
    row = next(row for row in rows if row.petition == not_dialogued)
    assert (row.waited, row.not_dialogued) == (1, True)
    assert "Kỳ trước" in row.last_session
    # Put on the later agenda, it is no longer offered.
    services.agenda_add(session=later, petitions=[unresolved], actor=staff)
    assert [row.petition for row in selectors.carry_over(later, staff)] == [not_dialogued]


def test_carry_over_names_the_hamlets_that_raised_it_again(staff, today):
    from petitions.models import ResidentialUnit

    yen_lac = ResidentialUnit.objects.create(kind="xom", name="Yên Lạc")
    dong_ho = ResidentialUnit.objects.create(kind="xom", name="Đông Hồ")
    earlier = held(staff, today, held_on=date(2026, 12, 2))
    primary = classified(staff, residential_unit=yen_lac)
    services.agenda_add(session=earlier, petitions=[primary], actor=staff)
    again = classified(staff, residential_unit=dong_ho)
    petition_services.petition_merge(duplicate=again, primary=primary, actor=staff)
    later = planned(staff, held_on=date(2026, 12, 28))
    (row,) = selectors.carry_over(later, staff)
    assert row.hamlets == ["Xóm Yên Lạc", "Xóm Đông Hồ"]


def test_the_board_says_who_still_owes_an_answer(staff, department, dept_user):
    session = planned(staff)
    waiting, _ = assigned(staff, department)
    answered, assignment = assigned(staff, department)
    petition_services.answer_submit(assignment=assignment, actor=dept_user, text="Đã xử lý")
    services.agenda_add(session=session, petitions=[waiting, answered], actor=staff)
    board = {
        row.item.petition.code: row
        for row in selectors.preparation_board(session, staff, reader=DeadlineReader())
    }
    assert board[answered.code].prepared
    assert not board[waiting.code].prepared
    assert board[waiting.code].assignment.department == department


def test_the_board_costs_the_same_queries_however_long_the_agenda(
    staff, department, django_assert_num_queries
):
    session = planned(staff)
    petitions = [assigned(staff, department)[0] for _ in range(3)]
    services.agenda_add(session=session, petitions=petitions, actor=staff)
    roles_of(staff)  # read once per request, before the page's own queries
    # the agenda, the assignments, the calendar (read once for every deadline)
    with django_assert_num_queries(3):
        selectors.preparation_board(session, staff, reader=DeadlineReader())
    more = [assigned(staff, department)[0] for _ in range(12)]
    services.agenda_add(session=session, petitions=more, actor=staff)
    with django_assert_num_queries(3):
        assert len(selectors.preparation_board(session, staff, reader=DeadlineReader())) == 15


def test_a_concluded_sessions_agenda_does_not_change(staff):
    session = planned(staff)
    DialogueSession.objects.filter(pk=session.pk).update(status="concluded")
    session.refresh_from_db()
    with pytest.raises(RuleError):
        services.agenda_add(session=session, petitions=[classified(staff)], actor=staff)
    assert Petition.objects.count() == 1


def _agenda_page(client, session):
    from django.urls import reverse

    response = client.get(reverse("sessions:agenda", args=[session.pk]))
    assert response.status_code == 200
    return response


def test_a_carried_over_petition_is_offered_once_in_its_own_list(client, staff, today):
    earlier = held(staff, today, held_on=date(2026, 12, 2), title="Kỳ trước")
    waiting = classified(staff)
    services.agenda_add(session=earlier, petitions=[waiting], actor=staff)
    fresh = classified(staff)
    later = planned(staff, held_on=date(2026, 12, 28), title="Kỳ này")
    client.force_login(staff)
    context = _agenda_page(client, later).context
    assert [row.petition for row in context["carry_over"]] == [waiting]
    assert context["offered"] == [fresh]


def test_the_agenda_page_costs_the_same_queries_however_long_its_lists(
    client, staff, department, today, django_assert_max_num_queries
):
    earlier = held(staff, today, held_on=date(2026, 12, 2), title="Kỳ trước")
    services.agenda_add(
        session=earlier, petitions=[classified(staff) for _ in range(2)], actor=staff
    )
    later = planned(staff, held_on=date(2026, 12, 28), title="Kỳ này")
    services.agenda_add(
        session=later, petitions=[assigned(staff, department)[0] for _ in range(2)], actor=staff
    )
    classified(staff)
    client.force_login(staff)
    with django_assert_max_num_queries(40) as few:
        _agenda_page(client, later)
    services.agenda_add(
        session=earlier, petitions=[classified(staff) for _ in range(8)], actor=staff
    )
    services.agenda_add(
        session=later, petitions=[assigned(staff, department)[0] for _ in range(8)], actor=staff
    )
    for _ in range(8):
        classified(staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        context = _agenda_page(client, later).context
    assert (len(context["carry_over"]), len(context["offered"])) == (10, 9)
    assert sum(len(group) for _topic, group in context["groups"]) == 10
