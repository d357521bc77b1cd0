"""The Inspection Committee's oversight: the overdue register by unit with its ageing
buckets (assignments and directives), the items behind each figure, the on-time rate and its
trend, the filters; and the proposals of review, raised by the Committee and concluded by the
Secretary."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conclusions import oversight, review_flags
from conclusions.models import ReviewFlag, ReviewFlagEvent
from doluong_dialogue.deadlines import DeadlineReader
from doluong_dialogue.rules import RuleError
from petitions.models import Assignment, Petition, ResidentialUnit, Topic
from sessions.models import AgendaItem, DialogueSession
from tests.petitions.helpers import assigned

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 12, 7)  # 24/11 is a day off


def overdue(staff, unit, deadline: date, summary: str = "Cống thoát nước bị tắc") -> Assignment:
    _petition, assignment = assigned(staff, unit, summary=summary)
    Assignment.objects.filter(pk=assignment.pk).update(deadline=deadline)
    assignment.refresh_from_db()
    return assignment


@pytest.fixture
def late(staff, department, other_department, clock):
    """On Monday 07/12: Phòng Kinh tế has items 3, 6 and 12 working days overdue, and one due
    next week; Phòng Văn hóa - Xã hội one 3 days overdue."""
    clock.set(date(2026, 11, 2))
    items = {
        "three": overdue(staff, department, date(2026, 12, 2)),
        "six": overdue(staff, department, date(2026, 11, 27)),
        "twelve": overdue(staff, department, date(2026, 11, 18)),
        "coming": overdue(staff, department, date(2026, 12, 14)),
        "other": overdue(staff, other_department, date(2026, 12, 2)),
    }
    clock.set(MONDAY)
    return items


def test_the_register_puts_each_unit_s_items_in_their_ageing_bucket(late, department):
    rows = oversight.register(oversight.Filters(), DeadlineReader(MONDAY))
    economy = next(row for row in rows if row.unit == department)
    assert economy.counts["assignment"] == {"1-5": 1, "6-10": 1, "10+": 1}
    assert economy.total() == 3
    assert rows[0] == economy  # the most overdue first
    # Each item's own badge agrees with its bucket.
    reader = DeadlineReader(MONDAY)
    assert [reader.of(late[name]).overdue_days for name in ("three", "six", "twelve")] == [
        3,
        6,
        12,
    ]


def test_a_figure_opens_exactly_its_items(late, department, client, inspector):
    client.force_login(inspector)
    page = client.get("/conclusions/oversight/")
    assert page.status_code == 200
    html = page.content.decode()
    link = f"/conclusions/oversight/items/?kind=assignment&amp;unit={department.pk}&amp;bucket=6-10"
    assert f'href="{link}" data-figure="1"' in html
    listing = client.get(link.replace("&amp;", "&"))
    assert 'data-count="1"' in listing.content.decode()
    assert late["six"].petition.code in listing.content.decode()
    assert late["twelve"].petition.code not in listing.content.decode()


def test_filters_narrow_every_figure(late, department, client, inspector):
    roads = Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")
    health = Topic.objects.exclude(pk=roads.pk).first()
    assert oversight.register(oversight.Filters(topic=health), DeadlineReader(MONDAY)) == []
    assert oversight.register(oversight.Filters(topic=roads), DeadlineReader(MONDAY))
    client.force_login(inspector)
    response = client.get(f"/conclusions/oversight/?topic={health.pk}")
    assert "Không có nội dung nào quá hạn" in response.content.decode()


def test_a_period_that_ends_before_it_starts_is_refused_in_vietnamese(client, inspector):
    client.force_login(inspector)
    response = client.get("/conclusions/oversight/?start=01/12/2026&end=01/11/2026")
    assert response.status_code == 200
    assert "Kỳ báo cáo kết thúc trước ngày bắt đầu" in response.content.decode()
    bad = client.get("/conclusions/oversight/?start=31/02/2026")
    assert bad.status_code == 200
    assert "is-invalid" in bad.content.decode()


def test_the_on_time_rate_and_its_trend_count_what_was_completed(late, department):
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    Assignment.objects.filter(pk=late["coming"].pk).update(
        status="answered", done_at=datetime(2026, 12, 1, 10, tzinfo=tz), done_on_time=True
    )
    Assignment.objects.filter(pk=late["three"].pk).update(
        status="answered", done_at=datetime(2026, 11, 3, 10, tzinfo=tz), done_on_time=False
    )
    ((unit, rate),) = oversight.on_time_by_unit(oversight.Filters())
    assert unit == department and (rate.done, rate.on_time, rate.percent) == (2, 1, 50)
    december = oversight.on_time_by_unit(oversight.Filters(start=date(2026, 12, 1)))
    assert [(rate.done, rate.percent) for _unit, rate in december] == [(1, 100)]
    months = oversight.trend(oversight.Filters(), DeadlineReader(MONDAY))
    assert len(months) == 12 and months[-1].first_day == date(2026, 12, 1)
    assert (months[-1].rate.done, months[-1].rate.on_time) == (1, 1)
    assert (months[-2].rate.done, months[-2].rate.late) == (1, 1)


def test_a_period_counts_what_was_done_on_its_days_in_the_commune_s_time(late):
    """Done at 23:50 on the last day counts; at 00:10 the next day it does not (UTC would
    put both on the same day)."""
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    for item, moment in (
        ("coming", datetime(2026, 11, 30, 23, 50, tzinfo=tz)),
        ("three", datetime(2026, 12, 1, 0, 10, tzinfo=tz)),
        ("six", datetime(2026, 11, 1, 0, 10, tzinfo=tz)),
        ("twelve", datetime(2026, 10, 31, 23, 50, tzinfo=tz)),
    ):
        Assignment.objects.filter(pk=late[item].pk).update(
            status="answered", done_at=moment, done_on_time=True
        )
    november = oversight.Filters(start=date(2026, 11, 1), end=date(2026, 11, 30))
    assert [rate.done for _unit, rate in oversight.on_time_by_unit(november)] == [2]
    # The first and last days a date can hold are bounds like any other.
    ever = oversight.Filters(start=date.min, end=date.max)
    assert [rate.done for _unit, rate in oversight.on_time_by_unit(ever)] == [4]


@pytest.mark.parametrize(
    "narrowed",
    ["", "topic", "hamlet", "topic&hamlet", "session"],
    ids=["all", "topic", "hamlet", "topic-and-hamlet", "session"],
)
def test_the_dashboard_s_queries_do_not_grow_with_the_items(
    staff, department, other_department, clock, client, inspector, narrowed
):
    """Whole, or narrowed to a topic or a hamlet (summed from their tallies), or to both or
    a session (counted through the assignments' copies)."""

    def queries() -> int:
        clock.set(MONDAY)
        client.force_login(inspector)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/conclusions/oversight/?{query}").status_code == 200
        return len(captured)

    clock.set(date(2026, 11, 2))
    first = overdue(staff, department, date(2026, 12, 2))
    hamlet = ResidentialUnit.objects.create(name="Yên Thịnh")
    Petition.objects.update(residential_unit=hamlet)
    session = DialogueSession.objects.create(
        title="Hội nghị đối thoại định kỳ 6 tháng cuối năm 2026",
        kind=DialogueSession.Kind.PERIODIC,
        year=2026,
        held_on=date(2026, 11, 20),
    )
    AgendaItem.objects.create(session=session, petition_id=first.petition_id)
    values = {"topic": first.petition.topic_id, "hamlet": hamlet.pk, "session": session.pk}
    query = "&".join(f"{name}={values[name]}" for name in narrowed.split("&") if name)
    few = queries()
    clock.set(date(2026, 11, 2))
    for number in range(8):
        for unit in (department, other_department):
            item = overdue(staff, unit, date(2026, 11, 18), f"Đường hỏng đoạn {number}")
            Petition.objects.filter(pk=item.petition_id).update(residential_unit=hamlet)
            AgendaItem.objects.create(session=session, petition_id=item.petition_id)
    assert queries() == few


def test_units_do_not_see_the_dashboard(client, dept_user, late):
    client.force_login(dept_user)
    assert client.get("/conclusions/oversight/").status_code == 403
    assert client.get("/conclusions/oversight/items/?kind=assignment").status_code == 403


# --- Proposals of review -----------------------------------------------------------------------


def raise_flag(inspector, department, late, **fields):
    data = review_flags.FlagData(
        reason="Nhiều kiến nghị quá hạn trên 10 ngày làm việc, không báo cáo lý do.",
        unit=department,
        assignments=[late["twelve"], late["six"]],
    )
    for name, value in fields.items():
        setattr(data, name, value)
    return review_flags.review_flag_raise(data=data, actor=inspector)


def test_the_inspection_committee_proposes_a_review_and_the_secretary_concludes(
    late, department, inspector, secretary
):
    flag = raise_flag(inspector, department, late)
    assert flag.status == ReviewFlag.Status.RAISED
    assert set(flag.assignments.all()) == {late["twelve"], late["six"]}
    flag = review_flags.review_flag_consider(flag=flag, actor=secretary)
    with pytest.raises(RuleError, match="Hãy ghi nội dung kết luận"):
        review_flags.review_flag_conclude(flag=flag, actor=secretary, outcome=" ")
    flag = review_flags.review_flag_conclude(
        flag=flag, actor=secretary, outcome="Yêu cầu Phòng Kinh tế kiểm điểm, báo cáo trước 20/12."
    )
    assert flag.status == ReviewFlag.Status.CONCLUDED
    assert list(flag.events.values_list("kind", flat=True)) == [
        ReviewFlagEvent.Kind.RAISED,
        ReviewFlagEvent.Kind.CONSIDERED,
        ReviewFlagEvent.Kind.CONCLUDED,
    ]
    with pytest.raises(RuleError, match="đã có kết luận"):
        review_flags.review_flag_conclude(flag=flag, actor=secretary, outcome="Lần nữa")


def test_a_proposal_needs_a_reason_and_evidence_of_the_unit(
    late, department, other_department, inspector, staff, dept_user
):
    with pytest.raises(RuleError, match="Hãy nêu lý do"):
        raise_flag(inspector, department, late, reason="  ")
    with pytest.raises(RuleError, match="Hãy nêu đơn vị hoặc cá nhân"):
        raise_flag(inspector, department, late, unit=None)
    with pytest.raises(RuleError, match="do chính đơn vị chủ trì"):
        raise_flag(inspector, department, late, assignments=[late["other"]])
    with pytest.raises(RuleError, match="không phải thành viên"):
        raise_flag(inspector, other_department, late, assignments=[], person=dept_user)
    with pytest.raises(RuleError, match="Chỉ Ủy ban Kiểm tra"):
        raise_flag(staff, department, late)
    assert not ReviewFlag.objects.exists()


def test_the_proposal_pages(client, late, department, inspector, secretary, dept_user, staff):
    client.force_login(inspector)
    form = client.get(f"/conclusions/flags/new/{department.pk}/")
    assert form.status_code == 200
    assert late["twelve"].petition.code in form.content.decode()
    refused = client.post(f"/conclusions/flags/new/{department.pk}/", {"reason": ""})
    assert refused.status_code == 200
    assert "Hãy nêu lý do đề nghị kiểm điểm" in refused.content.decode()
    sent = client.post(
        f"/conclusions/flags/new/{department.pk}/",
        {"reason": "Chậm trả lời nhiều kiến nghị.", "assignments": [late["twelve"].pk]},
    )
    flag = ReviewFlag.objects.get()
    assert sent["Location"] == f"/conclusions/flags/{flag.pk}/"

    client.force_login(secretary)
    home = client.get("/").content.decode()
    assert 'data-testid="tile-flags"' in home
    listing = client.get("/conclusions/flags/?show=open")
    assert 'data-count="1"' in listing.content.decode()
    refused = client.post(f"/conclusions/flags/{flag.pk}/decide/", {"action": "conclude"})
    assert "Hãy ghi nội dung kết luận" in refused.content.decode()
    client.post(f"/conclusions/flags/{flag.pk}/decide/", {"action": "consider"})
    client.post(
        f"/conclusions/flags/{flag.pk}/decide/",
        {"action": "conclude", "note": "Phòng Kinh tế kiểm điểm tại cuộc họp tháng 12."},
    )
    flag.refresh_from_db()
    assert flag.status == ReviewFlag.Status.CONCLUDED

    # Nobody else sees the proposals, nor raises one.
    for user in (dept_user, staff):
        client.force_login(user)
        assert client.get(f"/conclusions/flags/{flag.pk}/").status_code == 404
        assert client.get(f"/conclusions/flags/new/{department.pk}/").status_code == 403
    client.force_login(inspector)
    assert (
        client.post(f"/conclusions/flags/{flag.pk}/decide/", {"action": "consider"}).status_code
        == 302
    )
    flag.refresh_from_db()
    assert flag.status == ReviewFlag.Status.CONCLUDED


def test_the_inspection_committee_changes_nothing_but_its_own_proposals(
    client, staff, office, inspector, department, clock, late
):
    from conclusions.models import Conclusion, UrgingLetter
    from tests.conclusions.helpers import submitted

    clock.set(date(2026, 11, 2))
    conclusion = submitted(staff, office, clock, department)
    clock.set(MONDAY)
    client.force_login(inspector)
    attempts = [
        f"/conclusions/{conclusion.pk}/sign/",
        f"/conclusions/{conclusion.pk}/return/",
        f"/conclusions/{conclusion.pk}/edit/",
        f"/conclusions/{conclusion.pk}/directives/new/",
        f"/conclusions/{conclusion.pk}/issue/",
        f"/conclusions/urging/new/assignment/{late['twelve'].pk}/",
        f"/petitions/{late['twelve'].petition_id}/assign/",
    ]
    for url in attempts:
        response = client.post(url, {"comment": "Sửa", "summary": "Khác"})
        assert response.status_code in (302, 403, 404), (url, response.status_code)
        if response.status_code == 302:
            assert "/accounts/login/" not in response["Location"]
    conclusion.refresh_from_db()
    assert conclusion.status == Conclusion.Status.SUBMITTED
    assert conclusion.summary != "Khác"
    assert not UrgingLetter.objects.exists()
    assert conclusion.events.count() == 2  # drafted, submitted: nothing since


def test_every_figure_of_the_dashboard_equals_the_list_it_opens(late, client, inspector):
    """Whole, and narrowed to a topic, a hamlet or both: the figures are then summed from
    other tallies (by place) or counted from the rows, the lists read the assignments."""
    from tests.conclusions.figures import figures_of, list_length

    roads = Topic.objects.get(name="Giao thông, thủy lợi, điện, nước")
    yen_thinh = ResidentialUnit.objects.create(name="Yên Thịnh")
    Petition.objects.filter(pk__in=[late["six"].petition_id, late["other"].petition_id]).update(
        residential_unit=yen_thinh
    )
    client.force_login(inspector)
    for query, expected in (
        ("", 4),  # 1-5, 6-10, over 10 for one unit; 1-5 for the other
        (f"?topic={roads.pk}", 4),
        (f"?hamlet={yen_thinh.pk}", 2),
        (f"?topic={roads.pk}&hamlet={yen_thinh.pk}", 2),
    ):
        figures = figures_of(client.get(f"/conclusions/oversight/{query}").content.decode())
        assert len(figures) == expected, query
        for href, value in figures:
            response = client.get(href.replace("&amp;", "&"))
            assert response.status_code == 200, href
            assert list_length(response.content.decode()) == value, href


def test_the_dashboard_its_workbook_and_its_report_show_the_same_figures(
    late, client, inspector, department, tmp_path
):
    import io
    import re
    from urllib.parse import parse_qs, urlparse

    from openpyxl import load_workbook

    from petitions.models import Department
    from tests.conclusions.figures import figures_of
    from tests.documents.conftest import flowing, pdf_text

    Assignment.objects.filter(pk=late["three"].pk).update(
        status="answered",
        done_at=datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
        done_on_time=True,
    )
    client.force_login(inspector)
    query = "start=01/11/2026&end=31/12/2026"
    page = client.get(f"/conclusions/oversight/?{query}").content.decode()
    shown = {}
    for href, value in figures_of(page):
        params = parse_qs(urlparse(href.replace("&amp;", "&")).query)
        unit = Department.objects.get(pk=params["unit"][0]).name
        shown[(unit, params["kind"][0], params["bucket"][0])] = value

    book = load_workbook(
        io.BytesIO(client.get(f"/conclusions/oversight/giam-sat.xlsx?{query}").content)
    )
    register, rates = book.worksheets
    rows = list(register.iter_rows(min_row=3, values_only=True))
    keys = [(kind, key) for kind in oversight.KINDS for key, *_r in oversight.BUCKETS]
    in_book = {
        (row[1], kind, key): count
        for row in rows
        for (kind, key), count in zip(keys, row[2:8], strict=True)
        if count
    }
    assert in_book == shown
    assert [row[1:] for row in rates.iter_rows(min_row=3, values_only=True)] == [
        ("Phòng Kinh tế", 1, 1, 0, "100%")
    ]

    pdf = client.get(f"/conclusions/oversight/giam-sat.pdf?{query}").content
    # A row reads on in the text's flow, or (beside the signature block) on one line of the
    # page as laid out.
    flow = flowing(pdf_text(pdf, tmp_path))
    lines = pdf_text(pdf, tmp_path, "-layout").splitlines()

    def printed(name, cells) -> bool:
        pattern = rf"{re.escape(name)}\s+" + r"\s+".join(str(cell) for cell in cells)
        return bool(re.search(pattern, flow)) or any(re.search(pattern, line) for line in lines)

    for row in rows:
        assert printed(row[1], row[2:]), row
    assert printed("Phòng Kinh tế", [1, 1, 0, "100%"]), "\n".join(lines)
    assert "ỦY BAN KIỂM TRA" in flowing(" ".join(lines))
    word = client.get(f"/conclusions/oversight/giam-sat.docx?{query}")
    assert word.status_code == 200 and word.content[:2] == b"PK"
