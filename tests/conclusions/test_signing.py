"""Review and signature: draft → submitted → signed, or returned with the Secretary's
comment; only the Secretary signs (a deputy "KT. BÍ THƯ" when allowed); each signature takes
the next number of the term's notices."""

import pytest
from django.contrib.auth.models import Group

from conclusions import services
from conclusions.models import Conclusion
from doluong_dialogue.models import SiteConfiguration
from doluong_dialogue.rules import RuleError
from sessions.models import DialogueSession
from tests.conclusions.helpers import drafted, submitted
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
Status = Conclusion.Status


def test_the_secretary_returns_a_draft_with_a_comment(staff, office, secretary, clock, department):
    conclusion = submitted(staff, office, clock, department)
    with pytest.raises(RuleError) as refused:
        services.conclusion_return(conclusion=conclusion, actor=secretary, comment=" ")
    assert refused.value.field == "comment"
    conclusion = services.conclusion_return(
        conclusion=conclusion, actor=secretary, comment="Bổ sung thời hạn cho Phòng Kinh tế"
    )
    assert conclusion.status == Status.DRAFT
    assert conclusion.review_comment == "Bổ sung thời hạn cho Phòng Kinh tế"
    assert conclusion.events.latest("id").note == "Bổ sung thời hạn cho Phòng Kinh tế"


def test_only_the_secretary_signs(staff, office, inspector, clock, department):
    conclusion = submitted(staff, office, clock, department)
    for someone in (staff, office, inspector):
        with pytest.raises(RuleError, match="Bí thư"):
            services.conclusion_sign(conclusion=conclusion, actor=someone)
    assert Conclusion.objects.get().status == Status.SUBMITTED


def test_a_draft_not_submitted_is_not_signed(staff, office, secretary, clock, department):
    conclusion = drafted(staff, office, clock, department)
    with pytest.raises(RuleError, match="trình ký"):
        services.conclusion_sign(conclusion=conclusion, actor=secretary)


def test_signing_numbers_freezes_and_concludes_the_session(
    staff, office, secretary, clock, department
):
    conclusion = submitted(staff, office, clock, department)
    conclusion = services.conclusion_sign(conclusion=conclusion, actor=secretary)
    assert conclusion.status == Status.SIGNED
    assert conclusion.number == 1
    assert (conclusion.signer_authority, conclusion.signer_title) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    assert conclusion.session.status == DialogueSession.Status.CONCLUDED
    with pytest.raises(RuleError, match="đã được ký"):
        services.conclusion_sign(conclusion=conclusion, actor=secretary)
    assert Conclusion.objects.get().number == 1


def test_a_deputy_signs_only_when_allowed(staff, office, clock, department):
    deputy = UserFactory(
        username="phobithu", first_name="Hùng", last_name="Trần Văn", roles=["deputy_secretary"]
    )
    assert Group.objects.filter(name="deputy_secretary").exists()
    conclusion = submitted(staff, office, clock, department)
    with pytest.raises(RuleError, match="Bí thư"):
        services.conclusion_sign(conclusion=conclusion, actor=deputy)
    site = SiteConfiguration.load()
    site.deputy_may_sign = True
    site.save()
    conclusion = services.conclusion_sign(conclusion=conclusion, actor=deputy)
    assert (conclusion.signer_authority, conclusion.signer_title) == ("KT. BÍ THƯ", "PHÓ BÍ THƯ")
    assert conclusion.signer_name == "Trần Văn Hùng"


def test_numbers_follow_each_other_across_sessions(staff, office, secretary, clock, department):
    from datetime import date

    from tests.conclusions.helpers import held_session

    first = submitted(staff, office, clock, department)
    services.conclusion_sign(conclusion=first, actor=secretary)
    clock.set(date(2026, 11, 26))
    session, *_ = held_session(staff, office, clock, department, title="Kỳ thứ hai")
    second = services.conclusion_draft(session=session, actor=staff)
    services.conclusion_submit(conclusion=second, actor=staff)
    second = services.conclusion_sign(conclusion=second, actor=secretary)
    assert second.number == 2
