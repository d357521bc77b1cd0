"""Short ways to bring a conclusion to a given state through the services.

The session is held on Friday 18/12/2026 (the clock moves there). Its agenda: a petition
assigned to the unit and answered at the session, and another one not dialogued.
"""

import uuid
from datetime import date

from conclusions import services
from conclusions.models import Conclusion
from sessions import services as session_services
from sessions.models import AgendaItem
from tests.petitions.helpers import assigned
from tests.sessions.helpers import planned

SESSION_DAY = date(2026, 12, 18)


def held_session(staff, office, clock, department, **fields):
    """(session, the petition answered at the session, the petition not dialogued)."""
    clock.set(date(2026, 11, 25))
    answered, _ = assigned(staff, department, summary="Đường liên xóm Yên Thịnh xuống cấp")
    waiting, _ = assigned(staff, department, summary="Đèn đường xóm Đông Hồ bị hỏng")
    session = planned(staff, held_on=SESSION_DAY, **fields)
    session_services.agenda_add(session=session, petitions=[answered, waiting], actor=staff)
    session_services.session_announce(session=session, actor=office)
    clock.set(SESSION_DAY)
    session_services.session_hold(session=session, actor=office)
    session_services.speech_save(
        session=session,
        actor=office,
        client_id=uuid.uuid4(),
        data=session_services.SpeechData(
            speaker="Nguyễn Văn Thưởng",
            speaker_from="Xóm Yên Thịnh",
            raised="Đường liên xóm xuống cấp, đề nghị sửa",
            agenda_item=AgendaItem.objects.get(session=session, petition=answered),
            answer="UBND xã bố trí vốn sửa trong quý I năm 2027",
            answered_by="Đồng chí Chủ tịch UBND xã",
        ),
    )
    session.refresh_from_db()
    return session, answered, waiting


def drafted(staff, office, clock, department, **fields) -> Conclusion:
    session, _answered, _waiting = held_session(staff, office, clock, department, **fields)
    return services.conclusion_draft(session=session, actor=staff)


def submitted(staff, office, clock, department) -> Conclusion:
    conclusion = drafted(staff, office, clock, department)
    return services.conclusion_submit(conclusion=conclusion, actor=staff)


def signed(staff, office, secretary, clock, department) -> Conclusion:
    conclusion = submitted(staff, office, clock, department)
    return services.conclusion_sign(conclusion=conclusion, actor=secretary)
