from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from petitions import search as search_module
from petitions import services
from petitions.models import Assignment, Petition, Topic
from petitions.search import PetitionFilterForm
from tests.factories import PetitionFactory, ResidentialUnitFactory
from tests.petitions.helpers import search_estimate_queries

pytestmark = pytest.mark.django_db

LIST = reverse("petitions:list")
BULK = reverse("petitions:bulk_assign")


def codes(response) -> list[str]:
    return [row.petition.code for row in response.context["rows"]]


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def classified(staff, topic=None, urgency="normal", **fields) -> Petition:
    petition = PetitionFactory(created_by=staff, **fields)
    return services.petition_classify(
        petition=petition, actor=staff, topic=topic or Topic.objects.first(), urgency=urgency
    )


def assigned(staff, department, supporting=(), deadline=None, **fields) -> Petition:
    petition = classified(staff, **fields)
    services.petition_assign(
        petition=petition,
        actor=staff,
        department=department,
        supporting=supporting,
        deadline=deadline,
    )
    petition.refresh_from_db()
    return petition


def store_deadline(petition: Petition, deadline: date) -> None:
    """Move a stored deadline (the service refuses past dates; time passing does not)."""
    Petition.objects.filter(pk=petition.pk).update(deadline=deadline)
    Assignment.objects.filter(petition=petition).update(deadline=deadline)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


# --- Who sees what --------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_staff_see_every_petition_newest_first(staff_client, staff):
    older = PetitionFactory(received_on=date(2026, 10, 1))
    newer = PetitionFactory(received_on=date(2026, 11, 1))
    response = staff_client.get(LIST)
    assert codes(response) == [newer.code, older.code]
    html = response.content.decode()
    assert reverse("petitions:detail", args=[newer.pk]) in html


def test_department_user_sees_only_their_departments_petitions(
    client, staff, dept_user, department, other_department
):
    lead = assigned(staff, department)
    supporting = assigned(staff, other_department, supporting=[department])
    theirs = assigned(staff, other_department)
    unassigned = classified(staff)
    client.force_login(dept_user)
    shown = set(codes(client.get(LIST)))
    assert shown == {lead.code, supporting.code}
    assert theirs.code not in shown
    assert unassigned.code not in shown


def test_department_user_sees_the_mask_for_a_hidden_petitioner(
    client, staff, dept_user, department
):
    assigned(staff, department, petitioner_name="Lê Đình Hòe", hide_identity=True)
    client.force_login(dept_user)
    html = client.get(LIST).content.decode()
    assert "Đã giữ bí mật" in html
    assert "Lê Đình Hòe" not in html


def test_staff_see_a_hidden_petitioners_name(staff_client):
    PetitionFactory(petitioner_name="Lê Đình Hòe", hide_identity=True)
    html = staff_client.get(LIST).content.decode()
    assert "Lê Đình Hòe" in html
    assert "Đã giữ bí mật" not in html


def test_user_text_is_escaped(staff_client):
    PetitionFactory(summary="<script>alert(1)</script> Đường hỏng")
    html = staff_client.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


# --- Filters --------------------------------------------------------------------------


def test_status_filter(staff_client, staff):
    received = PetitionFactory()
    done = classified(staff)
    assert codes(staff_client.get(LIST, {"status": "classified"})) == [done.code]
    assert codes(staff_client.get(LIST, {"status": "received"})) == [received.code]


def test_open_status_filter_leaves_out_closed_petitions(staff_client, staff):
    open_petition = classified(staff)
    closed = classified(staff)
    services.petition_close(petition=closed, actor=staff, outcome="resolved")
    assert codes(staff_client.get(LIST, {"status": "open"})) == [open_petition.code]


def test_topic_filter(staff_client, staff):
    land, roads = Topic.objects.all()[1:3]
    on_land = classified(staff, topic=land)
    classified(staff, topic=roads)
    assert codes(staff_client.get(LIST, {"topic": land.pk})) == [on_land.code]


def test_department_filter_finds_lead_and_supporting_departments(
    staff_client, staff, department, other_department
):
    lead = assigned(staff, department)
    supporting = assigned(staff, other_department, supporting=[department])
    other = assigned(staff, other_department)
    shown = set(codes(staff_client.get(LIST, {"department": department.pk})))
    assert shown == {lead.code, supporting.code}
    assert other.code not in shown


def test_department_filter_lists_a_petition_once_with_several_supporting_assignments(
    staff_client, staff, department, other_department
):
    petition = assigned(staff, other_department, supporting=[department])
    services.assignment_decline(
        assignment=petition.assignments.get(), actor=staff, reason="Không thuộc thẩm quyền"
    )
    services.petition_assign(
        petition=petition, actor=staff, department=other_department, supporting=[department]
    )
    response = staff_client.get(LIST, {"department": department.pk})
    assert codes(response) == [petition.code]
    assert response.context["page"].count == 1


def test_residential_unit_filter(staff_client):
    unit = ResidentialUnitFactory()
    here = PetitionFactory(residential_unit=unit)
    PetitionFactory(residential_unit=ResidentialUnitFactory())
    assert codes(staff_client.get(LIST, {"residential_unit": unit.pk})) == [here.code]


def test_urgency_filter(staff_client, staff):
    pressing = classified(staff, urgency="pressing")
    classified(staff, urgency="normal")
    assert codes(staff_client.get(LIST, {"urgency": "pressing"})) == [pressing.code]


def test_channel_filter(staff_client):
    direct = PetitionFactory(channel=Petition.Channel.DIRECT)
    PetitionFactory(channel=Petition.Channel.FRONT)
    assert codes(staff_client.get(LIST, {"channel": "direct"})) == [direct.code]


def test_overdue_filter_compares_the_stored_deadline_with_today(
    staff_client, staff, department, clock
):
    today = date(2026, 12, 3)  # a Thursday
    clock.set(today)
    staff_client.force_login(staff)
    late = assigned(staff, department)
    store_deadline(late, today - timedelta(days=2))  # Tuesday: two working days ago
    due_today = assigned(staff, department)
    store_deadline(due_today, today)
    closed_late = assigned(staff, department)
    store_deadline(closed_late, today - timedelta(days=5))
    services.petition_close(petition=closed_late, actor=staff, outcome="resolved")

    response = staff_client.get(LIST, {"due": "overdue"})
    assert codes(response) == [late.code]
    assert "Quá hạn 2 ngày làm việc" in response.content.decode()

    # Nothing is stored when a day passes: tomorrow the one due today is overdue too.
    clock.set(today + timedelta(days=1))
    staff_client.force_login(staff)
    assert set(codes(staff_client.get(LIST, {"due": "overdue"}))) == {late.code, due_today.code}


def test_due_soon_filter_and_badge(staff_client, staff, department):
    today = timezone.localdate()
    soon = assigned(staff, department)
    store_deadline(soon, today)
    later = assigned(staff, department)
    store_deadline(later, today + timedelta(days=30))
    response = staff_client.get(LIST, {"due": "due_soon"})
    assert codes(response) == [soon.code]
    assert "Sắp đến hạn" in response.content.decode()


def test_acknowledgement_overdue_filter(staff_client):
    today = timezone.localdate()
    late = PetitionFactory(acknowledgement_due=today - timedelta(days=1))
    PetitionFactory(acknowledgement_due=today - timedelta(days=1), acknowledged_on=today)
    PetitionFactory(acknowledgement_due=today + timedelta(days=3))
    PetitionFactory(acknowledgement_due=None)
    response = staff_client.get(LIST, {"acknowledgement_overdue": "on"})
    assert codes(response) == [late.code]


def test_received_date_range_is_typed_day_first(staff_client):
    march = PetitionFactory(received_on=date(2026, 3, 5))
    PetitionFactory(received_on=date(2026, 5, 3))
    response = staff_client.get(LIST, {"received_from": "01/03/2026", "received_to": "31/03/2026"})
    assert codes(response) == [march.code]


def test_a_reversed_or_invalid_date_range_is_reported_not_a_500(staff_client):
    PetitionFactory()
    response = staff_client.get(LIST, {"received_from": "31/03/2026", "received_to": "01/03/2026"})
    assert response.status_code == 200
    assert "Ngày kết thúc trước ngày bắt đầu." in response.content.decode()
    response = staff_client.get(LIST, {"received_from": "32/13/2026"})
    assert response.status_code == 200
    assert 'value="32/13/2026"' in response.content.decode()  # what was typed stays


def test_an_overlong_search_is_refused_with_a_message(staff_client):
    PetitionFactory()
    response = staff_client.get(LIST, {"q": "đất " * 25_000})
    assert response.status_code == 200
    assert response.context["form"].errors["q"]


def test_filters_combine(staff_client, staff, department):
    land = Topic.objects.all()[1]
    match = assigned(staff, department, topic=land, urgency="pressing")
    assigned(staff, department, topic=land)  # normal urgency
    classified(staff, topic=land, urgency="pressing")  # not assigned
    response = staff_client.get(
        LIST, {"topic": land.pk, "urgency": "pressing", "department": department.pk}
    )
    assert codes(response) == [match.code]


def test_unknown_filter_values_are_ignored_with_a_message(staff_client):
    PetitionFactory()
    response = staff_client.get(LIST, {"status": "bogus", "topic": "abc"})
    assert response.status_code == 200
    assert len(codes(response)) == 1
    assert response.context["form"].errors


# --- Sorting --------------------------------------------------------------------------


def test_sort_by_received_date_oldest_first(staff_client):
    newer = PetitionFactory(received_on=date(2026, 11, 1))
    older = PetitionFactory(received_on=date(2026, 10, 1))
    assert codes(staff_client.get(LIST, {"sort": "received_asc"})) == [older.code, newer.code]


def test_sort_by_deadline_puts_the_nearest_first_and_none_last(staff_client, staff, department):
    today = timezone.localdate()
    later = assigned(staff, department)
    store_deadline(later, today + timedelta(days=10))
    sooner = assigned(staff, department)
    store_deadline(sooner, today + timedelta(days=2))
    unassigned = classified(staff)
    assert codes(staff_client.get(LIST, {"sort": "deadline"})) == [
        sooner.code,
        later.code,
        unassigned.code,
    ]


def test_sort_by_urgency_puts_pressing_first(staff_client, staff):
    normal = classified(staff, urgency="normal", received_on=date(2026, 11, 3))
    pressing = classified(staff, urgency="pressing", received_on=date(2026, 11, 1))
    assert codes(staff_client.get(LIST, {"sort": "urgency"})) == [pressing.code, normal.code]


def test_sort_by_code(staff_client):
    second = PetitionFactory(code="KN-2026-000002", received_on=date(2026, 10, 1))
    first = PetitionFactory(code="KN-2026-000001", received_on=date(2026, 11, 1))
    assert codes(staff_client.get(LIST, {"sort": "code"})) == [first.code, second.code]


# --- Paging and empty states ----------------------------------------------------------


def test_page_two_continues_where_page_one_stopped(staff_client):
    for day in range(30):
        PetitionFactory(received_on=date(2026, 10, 1) + timedelta(days=day))
    first = codes(staff_client.get(LIST))
    second_response = staff_client.get(LIST, {"page": 2})
    second = codes(second_response)
    assert len(first) == 25
    assert len(second) == 5
    assert not set(first) & set(second)
    assert second_response.context["page"].count == 30


def test_page_links_keep_the_filters(staff_client):
    for _ in range(30):
        PetitionFactory(channel=Petition.Channel.DIRECT)
    html = staff_client.get(LIST, {"channel": "direct"}).content.decode()
    assert "?channel=direct&amp;page=2" in html


def test_a_page_past_the_end_shows_the_last_page_with_a_message(staff_client):
    for _ in range(30):
        PetitionFactory()
    response = staff_client.get(LIST, {"page": 99})
    assert response.status_code == 200
    assert response.context["page"].number == 2
    assert len(codes(response)) == 5
    assert "Không có trang 99; đang hiển thị trang 2." in messages_of(response)


def test_a_page_past_the_end_of_an_uncounted_list_offers_the_first_page(staff_client, monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_CAP", 2)  # three matches: "more than 2"
    for _ in range(3):
        PetitionFactory()
    response = staff_client.get(LIST, {"q": "xom", "page": 9})
    assert response.context["page"].count_capped
    html = response.content.decode()
    assert 'data-testid="past-the-end"' in html
    assert "?q=xom&amp;page=1" in html
    assert "Không có trang 9." in messages_of(response)


def test_more_matches_than_the_search_cap_are_shown_as_more_than_the_cap(staff_client, monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_CAP", 2)
    for _ in range(3):
        PetitionFactory()
    html = staff_client.get(LIST, {"q": "xom"}).content.decode()
    assert "Hơn 2 kiến nghị" in html


def test_a_search_is_counted_up_to_1000_a_list_up_to_10000(staff):
    form = PetitionFilterForm({"q": "xom"}, user=staff, today=None)
    assert form.count_cap == 1_000
    assert PetitionFilterForm({}, user=staff, today=None).count_cap == 10_000


def test_a_page_that_is_not_a_number_is_the_first_page(staff_client):
    PetitionFactory()
    response = staff_client.get(LIST, {"page": "abc"})
    assert response.status_code == 200
    assert len(codes(response)) == 1


def test_an_empty_list_says_there_are_no_petitions_yet(staff_client):
    html = staff_client.get(LIST).content.decode()
    assert 'data-testid="empty"' in html
    assert "Chưa có kiến nghị nào." in html


def test_no_match_offers_to_clear_the_filters(staff_client):
    PetitionFactory(channel=Petition.Channel.FRONT)
    html = staff_client.get(LIST, {"channel": "direct"}).content.decode()
    assert 'data-testid="no-match"' in html
    assert "Xóa bộ lọc" in html


# --- Query counts ---------------------------------------------------------------------

# session, user, roles, the user's units (the inbox link), site configuration, topics,
# departments, units, working-day calendar, dialogue sessions, page ids, capped count, rows of
# the page.
STAFF_LIST_QUERIES = 14


@pytest.mark.parametrize(("petitions", "page", "rows_shown"), [(30, 1, 25), (50, 1, 25)])
def test_list_queries_do_not_grow_with_the_rows(
    staff_client, staff, department, django_assert_num_queries, petitions, page, rows_shown
):
    for n in range(petitions):
        if n % 2:
            assigned(staff, department, hide_identity=n % 3 == 0)
        else:
            PetitionFactory(residential_unit=ResidentialUnitFactory())
    with django_assert_num_queries(STAFF_LIST_QUERIES):
        response = staff_client.get(LIST, {"page": page})
    assert len(codes(response)) == rows_shown


@pytest.mark.parametrize("rows_shown", [5, 25])
def test_list_queries_are_the_same_for_5_and_25_rows_shown(
    staff_client, staff, department, django_assert_num_queries, rows_shown
):
    """Page 2 of a search: 5 rows of 30 petitions, 25 rows of 50: the same queries."""
    for n in range(25 + rows_shown):
        if n % 2:
            assigned(staff, department)
        else:
            PetitionFactory(residential_unit=ResidentialUnitFactory())
    with django_assert_num_queries(STAFF_LIST_QUERIES + search_estimate_queries()):
        response = staff_client.get(LIST, {"page": 2, "q": "xom"})
    assert len(codes(response)) == rows_shown


def test_a_first_page_that_is_not_full_skips_the_count(staff_client, django_assert_num_queries):
    for _ in range(5):
        PetitionFactory()
    # No count, and no deadline to read the calendar for.
    with django_assert_num_queries(STAFF_LIST_QUERIES - 2):
        response = staff_client.get(LIST)
    assert response.context["page"].count == 5


@pytest.mark.parametrize("petitions", [5, 30])
def test_department_user_list_queries_do_not_grow_with_the_rows(
    client, staff, dept_user, department, django_assert_num_queries, petitions
):
    for n in range(petitions + 25):
        assigned(staff, department, hide_identity=n % 2 == 0)
    client.force_login(dept_user)
    # The staff queries: the user's units, read once, filter the list too.
    with django_assert_num_queries(STAFF_LIST_QUERIES):
        response = client.get(LIST, {"page": 2})
    assert len(codes(response)) == min(petitions, 25)


# --- Bulk assignment ------------------------------------------------------------------


def test_bulk_assign_reports_assigned_and_skipped_and_returns_to_the_filtered_list(
    staff_client, staff, department
):
    ready = [classified(staff), classified(staff)]
    not_classified = PetitionFactory()
    query = "channel=front&page=1"
    response = staff_client.post(
        BULK,
        {
            "ids": [p.pk for p in [*ready, not_classified]],
            "department": department.pk,
            "deadline": "",
            "query": query,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{LIST}?{query}"
    for petition in ready:
        petition.refresh_from_db()
        assert petition.status == Petition.Status.ASSIGNED
        assert petition.lead_department == department
    not_classified.refresh_from_db()
    assert not_classified.status == Petition.Status.RECEIVED
    shown = messages_of(response)
    assert "Đã giao 2 kiến nghị cho Phòng Kinh tế." in shown
    assert any(
        message.startswith(f"Không giao được {not_classified.code}: Chỉ giao được")
        for message in shown
    )


def test_bulk_assign_uses_the_typed_deadline(staff_client, staff, department):
    petition = classified(staff)
    deadline = timezone.localdate() + timedelta(days=20)
    staff_client.post(
        BULK,
        {"ids": [petition.pk], "department": department.pk, "deadline": f"{deadline:%d/%m/%Y}"},
    )
    petition.refresh_from_db()
    assert petition.deadline == deadline


def test_bulk_assign_without_a_selection_says_so(staff_client, department):
    response = staff_client.post(BULK, {"department": department.pk})
    assert response.status_code == 302
    assert "Hãy chọn ít nhất một kiến nghị để giao." in messages_of(response)


def test_bulk_assign_refuses_a_past_deadline(staff_client, staff, department):
    petition = classified(staff)
    response = staff_client.post(
        BULK, {"ids": [petition.pk], "department": department.pk, "deadline": "01/01/2020"}
    )
    (message,) = messages_of(response)
    assert message.startswith(f"Không giao được {petition.code}: Thời hạn không được trước")
    petition.refresh_from_db()
    assert petition.status == Petition.Status.CLASSIFIED


@pytest.mark.parametrize("user", ["dept_user", "front_user", "secretary", "office"])
def test_only_party_building_may_bulk_assign(client, staff, department, request, user):
    petition = classified(staff)
    client.force_login(request.getfixturevalue(user))
    response = client.post(BULK, {"ids": [petition.pk], "department": department.pk})
    assert response.status_code == 403
    petition.refresh_from_db()
    assert petition.status == Petition.Status.CLASSIFIED


def test_the_bulk_bar_is_shown_only_to_those_who_may_assign(client, staff, secretary):
    petition = classified(staff)
    client.force_login(staff)
    assert 'data-testid="bulk-assign"' in client.get(LIST).content.decode()
    client.force_login(secretary)
    response = client.get(LIST)
    assert codes(response) == [petition.code]  # the secretary reads the list, without the bar
    assert 'data-testid="bulk-assign"' not in response.content.decode()


def test_the_session_filter_lists_the_petitions_on_that_sessions_agenda(staff_client, staff):
    from sessions.models import AgendaItem, DialogueSession

    session = DialogueSession.objects.create(
        title="Hội nghị đối thoại định kỳ 6 tháng cuối năm 2026",
        kind=DialogueSession.Kind.PERIODIC,
        year=2026,
        held_on=date(2026, 12, 18),
    )
    on_agenda, elsewhere = PetitionFactory(), PetitionFactory()
    AgendaItem.objects.create(session=session, petition=on_agenda)
    response = staff_client.get(LIST, {"session": session.pk})
    assert codes(response) == [on_agenda.code]
    assert elsewhere.code not in codes(response)
    assert "6 tháng cuối năm 2026 (18/12/2026)" in response.content.decode()


def row_html(response, code: str) -> str:
    html = response.content.decode()
    start = html.index(f'<tr data-code="{code}">')
    return html[start : html.index("</tr>", start)]


def test_a_row_shows_the_petition_its_unit_deadline_and_state(
    staff_client, staff, department, dept_user, client
):
    unit = ResidentialUnitFactory()
    petition = assigned(
        staff,
        department,
        urgency="pressing",
        summary="Đường liên xóm <xuống cấp>",
        petitioner_name="Trần Thị Lài",
        residential_unit=unit,
        hide_identity=True,
    )
    late = timezone.localdate() - timedelta(days=3)
    store_deadline(petition, late)
    row = row_html(staff_client.get(LIST), petition.code)
    detail = reverse("petitions:detail", args=[petition.pk])
    assert f'<a class="fw-semibold" href="{detail}">{petition.code}</a>' in row
    assert f'value="{petition.pk}" form="bulk-form"' in row  # staff may assign in bulk
    assert "Trần Thị Lài" in row and str(unit) in row
    # Escaped, and the urgency set apart from the summary by a space.
    assert 'Đường liên xóm &lt;xuống cấp&gt;</a> <span class="badge text-bg-danger">' in row
    assert "Bức xúc, nổi cộm" in row
    assert (department.short_name or department.name) in row
    assert f"{late:%d/%m/%Y}" in row
    assert 'data-testid="overdue-badge"' in row
    # A member of the unit sees the petition but not the withheld identity, and no box.
    client.force_login(dept_user)
    row = row_html(client.get(LIST), petition.code)
    assert "Trần Thị Lài" not in row
    assert 'data-testid="identity-withheld">Đã giữ bí mật</span>' in row
    assert "bulk-form" not in row
