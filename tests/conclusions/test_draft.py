"""The draft is written from the session, in the plan's sections, with a directive for each
unit that still owes the residents an answer."""

import pytest

from conclusions import services
from conclusions.documents import directive_sentence
from conclusions.models import Conclusion, ConclusionEvent
from doluong_dialogue.rules import RuleError
from tests.conclusions.helpers import SESSION_DAY, held_session
from tests.sessions.helpers import planned

pytestmark = pytest.mark.django_db


def test_the_draft_says_what_was_dialogued_and_what_was_not(staff, office, clock, department):
    session, _answered, _waiting = held_session(staff, office, clock, department)
    conclusion = services.conclusion_draft(session=session, actor=staff)
    assert conclusion.status == Conclusion.Status.DRAFT
    assert "ngày 18/12/2026" in conclusion.summary
    assert "Đường liên xóm Yên Thịnh xuống cấp (Xóm" not in conclusion.not_dialogued
    assert "Đường liên xóm Yên Thịnh xuống cấp" in conclusion.dialogued
    assert "UBND xã bố trí vốn sửa trong quý I năm 2027" in conclusion.dialogued
    assert "Đèn đường xóm Đông Hồ bị hỏng" in conclusion.not_dialogued
    assert "đang giải quyết" in conclusion.in_progress
    assert conclusion.events.get().kind == ConclusionEvent.Kind.DRAFTED


def test_the_draft_gives_the_unit_that_owes_answers_a_directive(staff, office, clock, department):
    session, answered, waiting = held_session(staff, office, clock, department)
    conclusion = services.conclusion_draft(session=session, actor=staff)
    (directive,) = conclusion.directives.all()
    assert directive.lead == department
    assert set(directive.petitions.all()) == {answered, waiting}
    # The codes are said once in the notice, after the task, from the linked petitions.
    assert answered.code not in directive.task
    line = directive_sentence(directive)
    assert line.count(answered.code) == 1 and line.count(waiting.code) == 1
    # The assignments' deadlines came before the session: the unit is given working days.
    assert directive.working_days == 15 and directive.deadline > SESSION_DAY
    assert list(conclusion.recipient_units.all()) == [department]


def test_a_session_not_yet_held_has_no_conclusion(staff):
    session = planned(staff)
    with pytest.raises(RuleError, match="đã được tổ chức"):
        services.conclusion_draft(session=session, actor=staff)


def test_a_session_has_one_conclusion(staff, office, clock, department):
    session, *_ = held_session(staff, office, clock, department)
    services.conclusion_draft(session=session, actor=staff)
    with pytest.raises(RuleError, match="đã có"):
        services.conclusion_draft(session=session, actor=staff)
    assert Conclusion.objects.count() == 1


def test_a_line_names_the_hamlet_once():
    from conclusions.draft import _line
    from petitions.models import Petition, ResidentialUnit

    hamlet = ResidentialUnit(kind="xom", name="Yên Thịnh")
    named = Petition(summary=f"Kênh tưới bị bồi lấp ({hamlet})", residential_unit=hamlet)
    unnamed = Petition(summary="Kênh tưới bị bồi lấp", residential_unit=hamlet)
    assert _line(named).count(str(hamlet)) == 1
    assert _line(unnamed) == f"- Kênh tưới bị bồi lấp ({hamlet})."


def test_a_hidden_petitioner_is_not_pointed_to_by_the_draft():
    from conclusions.draft import _line
    from petitions.models import Petition, ResidentialUnit

    hamlet = ResidentialUnit(kind="xom", name="Yên Thịnh")
    hidden = Petition(
        code="KN-2026-000042",
        summary="Tố cáo hàng xóm lấn đất",
        residential_unit=hamlet,
        hide_identity=True,
    )
    line = _line(hidden, "đang giải quyết")
    assert "lấn đất" not in line and "Yên Thịnh" not in line
    assert (
        line == "- Kiến nghị KN-2026-000042 (người kiến nghị đề nghị giữ bí mật): đang giải quyết."
    )
