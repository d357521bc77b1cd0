import unicodedata
from datetime import date, timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from petitions import search as search_module
from petitions import services
from petitions.models import Petition, Topic
from petitions.permissions import Role, visible_petitions
from petitions.search import PetitionFilterForm, filter_petitions, search
from tests.factories import PetitionFactory, UserFactory
from tests.petitions.helpers import search_estimate_queries

pytestmark = pytest.mark.django_db

LIST = reverse("petitions:list")


def codes(response) -> set[str]:
    return {row.petition.code for row in response.context["rows"]}


def found(user, query: str) -> set[str]:
    petitions = filter_petitions(visible_petitions(user), {"q": query}, user, timezone.localdate())
    return set(petitions.values_list("code", flat=True))


def assigned_to(department, staff, **fields) -> Petition:
    petition = PetitionFactory(created_by=staff, **fields)
    services.petition_classify(
        petition=petition, actor=staff, topic=Topic.objects.first(), urgency="normal"
    )
    services.petition_assign(petition=petition, actor=staff, department=department)
    return petition


def test_dat_dai_finds_dat_dai_stored_as_nfc(staff):
    land = PetitionFactory(summary=unicodedata.normalize("NFC", "Tranh chấp đất đai ở xóm"))
    road = PetitionFactory(summary="Đường liên xóm xuống cấp")
    assert found(staff, "dat dai") == {land.code}
    assert road.code not in found(staff, "dat dai")


def test_dat_dai_finds_dat_dai_stored_as_nfd(staff):
    summary = unicodedata.normalize("NFD", "Tranh chấp ĐẤT ĐAI ở xóm")
    assert summary != unicodedata.normalize("NFC", summary)
    land = PetitionFactory(summary=summary, content=summary)
    assert found(staff, "dat dai") == {land.code}


def test_a_query_typed_with_accents_and_capitals_finds_the_same(staff):
    land = PetitionFactory(summary="Tranh chấp đất đai ở xóm")
    assert found(staff, "ĐẤT   Đai!") == {land.code}
    assert found(staff, unicodedata.normalize("NFD", "đất đai")) == {land.code}


def test_search_matches_the_start_of_words_not_the_middle(staff):
    land = PetitionFactory(summary="Tranh chấp đất đai", content="Ranh giới thửa đất")
    assert found(staff, "tranh cha") == {land.code}
    assert found(staff, "anh") == set()  # inside "tranh", "ranh": not a word start


def test_every_word_of_the_query_must_match(staff):
    petition = PetitionFactory(summary="Tranh chấp đất đai", content="Ranh giới thửa đất")
    assert found(staff, "dat ranh gioi") == {petition.code}
    assert found(staff, "dat karaoke") == set()


def test_search_finds_a_petition_by_its_receipt_code(staff):
    petition = PetitionFactory()
    PetitionFactory()
    assert found(staff, petition.code) == {petition.code}


def test_nguyen_van_finds_the_petitioner_for_staff(staff, client):
    petition = PetitionFactory(petitioner_name="Nguyễn Văn Thưởng", summary="Xin hỗ trợ giống lúa")
    PetitionFactory(petitioner_name="Trần Thị Lài")
    client.force_login(staff)
    response = client.get(LIST, {"q": "nguyen van"})
    assert codes(response) == {petition.code}
    assert "Nguyễn Văn Thưởng" in response.content.decode()


def test_ban_xay_dung_dang_and_the_secretary_find_a_hidden_petitioner_by_name(staff, secretary):
    petition = PetitionFactory(petitioner_name="Nguyễn Văn Thưởng", hide_identity=True)
    assert found(staff, "nguyen van") == {petition.code}
    assert found(secretary, "nguyen van") == {petition.code}


def test_other_readers_of_everything_do_not_find_a_hidden_petitioner_by_name(
    office, inspector, client
):
    """Issue 12, item 5: the Party Office, the Inspection Committee and the deputy
    secretaries read every petition, but a hidden petitioner's name and phone are not theirs
    to search or see."""
    hidden = PetitionFactory(
        petitioner_name="Nguyễn Văn Thưởng",
        petitioner_phone="0912 345 678",
        hide_identity=True,
        summary="Xin hỗ trợ giống lúa",
    )
    deputy = UserFactory(username="pbt_test", roles=[Role.DEPUTY_SECRETARY])
    for reader in (office, inspector, deputy):
        for query in ("nguyen van", "thuong", "0912"):
            assert found(reader, query) == set()
        client.force_login(reader)
        response = client.get(LIST, {"q": "giong lua"})
        assert codes(response) == {hidden.code}
        html = response.content.decode()
        assert "Thưởng" not in html
        assert "0912" not in html
        detail = client.get(reverse("petitions:detail", args=[hidden.pk])).content.decode()
        assert "Thưởng" not in detail
        assert "0912" not in detail


def test_whoever_entered_a_hidden_petition_finds_it_by_name(office):
    petition = PetitionFactory(
        petitioner_name="Nguyễn Văn Thưởng", hide_identity=True, created_by=office
    )
    assert found(office, "thuong") == {petition.code}


def test_department_user_does_not_find_a_hidden_petitioner_by_name(
    staff, dept_user, department, client
):
    hidden = assigned_to(
        department,
        staff,
        petitioner_name="Nguyễn Văn Thưởng",
        petitioner_phone="0912 345 678",
        hide_identity=True,
        summary="Xin hỗ trợ giống lúa",
    )
    client.force_login(dept_user)
    for query in ("nguyen van", "thuong", "0912"):
        assert codes(client.get(LIST, {"q": query})) == set()
    # Found by what it is about, and then shown with the petitioner masked.
    response = client.get(LIST, {"q": "giong lua"})
    assert codes(response) == {hidden.code}
    html = response.content.decode()
    assert "Đã giữ bí mật" in html
    assert "Thưởng" not in html
    assert "0912" not in html


def test_department_user_finds_a_petitioner_who_is_not_hidden(staff, dept_user, department):
    visible = assigned_to(department, staff, petitioner_name="Nguyễn Văn Thưởng")
    assert found(dept_user, "nguyen van") == {visible.code}


def test_department_user_does_not_find_another_departments_petition(
    staff, dept_user, department, other_department
):
    mine = assigned_to(department, staff, summary="Sạt lở đất ven sông")
    theirs = assigned_to(other_department, staff, summary="Sạt lở đất bờ kênh")
    assert found(dept_user, "sat lo dat") == {mine.code}
    assert found(staff, "sat lo dat") == {mine.code, theirs.code}


def test_an_empty_or_punctuation_only_query_does_not_filter(staff):
    PetitionFactory()
    PetitionFactory()
    assert len(found(staff, "")) == 2
    assert len(found(staff, " -- ?! ")) == 2


@pytest.mark.parametrize(("cap", "counted"), [(2, None), (10_000, 4)])
@pytest.mark.parametrize(
    ("sort", "expected"),
    [("received", ["b", "d", "c", "a"]), ("deadline", ["c", "d", "b", "a"])],
)
def test_search_results_sort_the_same_whether_the_matches_are_few_or_many(
    staff, department, monkeypatch, cap, counted, sort, expected
):
    """Few matches are sorted around the indexes, many by them: the order is the same."""
    monkeypatch.setattr(search_module, "SEARCH_CAP", cap)
    today = timezone.localdate()
    made = {}
    for name, day, due in [("a", 1, None), ("b", 4, 9), ("c", 3, 2), ("d", 3, 5)]:
        petition = PetitionFactory(
            summary=f"Tranh chấp đất đai {name}", received_on=date(2026, 10, day)
        )
        if due is not None:
            Petition.objects.filter(pk=petition.pk).update(deadline=today + timedelta(days=due))
        made[petition.code] = name
    form = PetitionFilterForm({"q": "dat dai", "sort": sort}, user=staff, today=today)
    codes = form.filter(Petition.objects.all()).values_list("code", flat=True)
    assert [made[code] for code in codes] == expected
    assert form.count == counted


@pytest.mark.parametrize("matches", [5, 30])
def test_a_search_is_counted_once_and_its_queries_do_not_grow(
    client, staff, django_assert_num_queries, matches
):
    for n in range(matches):
        PetitionFactory(summary="Tranh chấp đất đai", hide_identity=n % 2 == 0)
    PetitionFactory(summary="Đường liên xóm xuống cấp")
    client.force_login(staff)
    # session, user, roles, site configuration, topics, departments, units, calendar,
    # the count (before the page, to choose the sort; on PostgreSQL from the search keys
    # alone, after the size of their table), page ids, rows.
    with django_assert_num_queries(13 + search_estimate_queries()):
        response = client.get(LIST, {"q": "dat dai"})
    assert response.context["page"].count == matches
    assert len(response.context["rows"]) == min(matches, 25)


# --- PostgreSQL: the full-text index is what answers ----------------------------------


def bulk_petitions(staff, n: int, summary: str) -> None:
    petitions = [
        Petition(
            code=f"KN-2025-{n:06d}-{i}",
            summary=summary,
            content=summary,
            petitioner_name="Trần Thị Lài",
            channel=Petition.Channel.FRONT,
            received_on=timezone.localdate(),
            created_by=staff,
        )
        for i in range(n)
    ]
    for petition in petitions:
        petition.refresh_search()
    Petition.objects.bulk_create(petitions)


@pytest.mark.postgres
def test_search_uses_the_gin_indexes_for_the_page_and_the_count(staff, dept_user):
    bulk_petitions(staff, 3000, "Đường liên xóm xuống cấp, nhiều ổ gà")
    land = PetitionFactory(summary="Tranh chấp đất đai")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE petitions_petition")
        # At a few thousand rows the planner may rightly prefer a plain scan; what this
        # test checks is that the search expressions match the GIN indexes at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
    for user in (staff, dept_user):
        # What finds the matches (the list then reads its page by their ids).
        petitions = search(Petition.objects.all(), "dat dai", user)
        for query in (petitions.values("pk")[:26], petitions.order_by().values("pk")[:10001]):
            plan = query.explain()
            assert "Bitmap Index Scan on petition_search_text_fts" in plan
            assert "Bitmap Index Scan on petition_search_person_fts" in plan
            # A rare word must not make PostgreSQL walk the sort index row by row.
            assert "petition_received_idx" not in plan
    assert found(staff, "dat dai") == {land.code}


# --- Ranking ----------------------------------------------------------------------------


def ranked(user, query: str, **params) -> list[str]:
    petitions = filter_petitions(
        visible_petitions(user), {"q": query, **params}, user, timezone.localdate()
    )
    return list(petitions.values_list("code", flat=True))


def test_the_person_typed_with_accents_comes_before_the_words_that_fold_alike(staff):
    """ "Thưởng" folds like "thường" (usually); the person named Thưởng comes first."""
    usual = [
        PetitionFactory(
            summary=f"Đường xóm thường xuyên ngập lần {n}",
            content="Mưa lớn thường gây ngập úng.",
            petitioner_name="Trần Thị Lài",
            received_on=date(2026, 11, 20),
        )
        for n in range(19)
    ]
    person = PetitionFactory(
        summary="Đề nghị cấp giấy chứng nhận quyền sử dụng đất",
        content="Hồ sơ nộp từ năm 2024.",
        petitioner_name="Nguyễn Văn Thưởng",
        received_on=date(2026, 1, 5),  # the oldest: by date it would come last
    )
    codes = ranked(staff, "Thưởng")
    assert len(codes) == 20
    assert codes[0] == person.code
    assert set(codes[1:]) == {p.code for p in usual}


def test_the_receipt_code_typed_in_full_comes_first(staff):
    wanted = PetitionFactory(summary="Đường liên xóm", received_on=date(2026, 1, 5))
    PetitionFactory(summary=f"Nhắc lại kiến nghị {wanted.code} chưa được trả lời")
    assert ranked(staff, wanted.code)[0] == wanted.code


def test_the_phrase_as_typed_comes_before_its_words_scattered(staff):
    scattered = PetitionFactory(
        summary="Đất ở xóm Đông Hồ", content="Ranh giới đai cây xanh", received_on=date(2026, 11, 2)
    )
    phrase = PetitionFactory(
        summary="Tranh chấp đất đai", content="Hai hộ liền kề", received_on=date(2026, 1, 5)
    )
    assert ranked(staff, "đất đai") == [phrase.code, scattered.code]


def test_a_hidden_petitioner_does_not_lift_a_petition_for_a_department(
    staff, dept_user, department
):
    hidden = assigned_to(department, staff, petitioner_name="Nguyễn Văn Thưởng", hide_identity=True)
    Petition.objects.filter(pk=hidden.pk).update(received_on=date(2026, 1, 5))
    mentioned = assigned_to(
        department, staff, summary="Ông Thưởng phản ánh đường hỏng", received_on=date(2026, 11, 2)
    )
    assert ranked(dept_user, "Thưởng") == [mentioned.code]


def test_choosing_a_sort_replaces_the_ranking(staff):
    older = PetitionFactory(petitioner_name="Nguyễn Văn Thưởng", received_on=date(2026, 1, 5))
    newer = PetitionFactory(
        summary="Mưa thường gây ngập", petitioner_name="Lê Đình Hòe", received_on=date(2026, 11, 2)
    )
    assert ranked(staff, "Thưởng") == [older.code, newer.code]
    assert ranked(staff, "Thưởng", sort="received") == [newer.code, older.code]
