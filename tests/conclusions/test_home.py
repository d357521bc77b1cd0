import pytest

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_see_the_public_page(client):
    page = client.get("/").content.decode()
    assert "Đăng nhập dành cho cán bộ" in page
    assert "Chưa có kết luận nào được công bố" in page


@pytest.mark.parametrize(
    ("actor", "heading", "section"),
    [
        ("staff", "Ban Xây dựng Đảng", "party_building"),
        ("office", "Văn phòng Đảng ủy", "party_office"),
        ("secretary", "Bí thư Đảng ủy", "secretary"),
        ("inspector", "Ủy ban Kiểm tra Đảng ủy", "inspection"),
        ("dept_user", "Phòng Kinh tế", "unit"),
        ("front_user", "UB MTTQ và các đoàn thể", "front"),
    ],
)
def test_each_role_lands_on_its_own_home_page(client, request, actor, heading, section):
    client.force_login(request.getfixturevalue(actor))
    page = client.get("/").content.decode()
    assert f'data-role="{section}"' in page
    assert heading in page
    assert page.count("data-role=") == 1


def test_party_building_sees_the_default_deadline_in_working_days(client, staff, settings):
    client.force_login(staff)
    response = client.get("/")
    assert response.context["answer_working_days"] == 10
    assert "10 ngày làm việc" in response.content.decode()


def test_a_department_user_without_a_department_is_told_so(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(roles=["department"]))
    assert "chưa là thành viên của cơ quan, đơn vị nào" in client.get("/").content.decode()


def test_a_member_of_a_unit_sees_its_inbox_whatever_the_role(client, office, department):
    department.members.add(office)
    client.force_login(office)
    page = client.get("/").content.decode()
    assert 'data-role="party_office"' in page
    assert 'data-role="unit"' in page
    assert "/petitions/inbox/" in page


def test_navigation_offers_reference_data_only_to_admin_site_users(client, staff, dept_user):
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert "/admin/" in client.get("/").content.decode()
    client.force_login(dept_user)
    response = client.get("/")
    assert response.status_code == 200
    assert 'href="/petitions/"' in response.content.decode()  # the navigation is there
    assert "/admin/" not in response.content.decode()


def test_the_home_page_costs_a_fixed_number_of_queries(
    client, dept_user, django_assert_max_num_queries
):
    client.force_login(dept_user)
    # session, user, roles, departments, their assignments (what they lead, what they
    # support), the tasks the conclusions gave them (one aggregate), site configuration and
    # the calendar exceptions for today and for the "due soon" window
    with django_assert_max_num_queries(11):
        assert client.get("/").status_code == 200


def test_names_read_family_name_first(client, staff):
    staff.last_name, staff.first_name = "Nguyễn Thị Hồng", "Nhung"
    staff.save()
    client.force_login(staff)
    assert "Xin chào, Nguyễn Thị Hồng Nhung" in client.get("/").content.decode()


@pytest.mark.parametrize("actor", ["office", "secretary", "inspector", "dept_user", "staff"])
def test_home_pages_offer_only_what_works_today(client, request, actor):
    """Every link of a home page opens a page that exists for its reader."""
    import re

    client.force_login(request.getfixturevalue(actor))
    page = client.get("/").content.decode()
    links = set(re.findall(r'href="(/[^"#]*)"', page)) - {"/accounts/logout/"}
    assert len(links) > 5
    for link in sorted(links):
        if link.startswith("/static/"):
            continue
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, (link, response.status_code)


@pytest.mark.parametrize("actor", ["staff", "secretary", "inspector"])
def test_the_home_figures_of_those_who_read_everything_cost_the_same_queries_however_many(
    client, request, actor, department, other_department, clock
):
    """Their figures are summed from the tallies (petitions/tallies.py): the page asks as
    many queries with one overdue petition as with six, led by two units."""
    from datetime import date

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.petitions.helpers import assigned

    user, staff = request.getfixturevalue(actor), request.getfixturevalue("staff")
    clock.set(date(2026, 11, 2))
    assigned(staff, department)
    clock.set(date(2026, 12, 21))
    client.force_login(user)
    client.get("/")  # the session's first request records the login
    with CaptureQueriesContext(connection) as few:
        page = client.get("/").content.decode()
    assert 'data-figure="1"' in page
    clock.set(date(2026, 11, 2))
    for unit in [department, other_department] * 2 + [other_department]:
        assigned(staff, unit)
    clock.set(date(2026, 12, 21))
    client.force_login(user)
    client.get("/")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    assert 'data-figure="6"' in page
    assert len(many) == len(few)
