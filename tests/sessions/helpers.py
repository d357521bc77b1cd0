"""Short ways to bring a session to a given state through the services."""

from datetime import date

from petitions.models import Topic
from sessions import services
from sessions.models import DialogueSession

# Tests run on Wednesday 25/11/2026 (the `today` fixture of each test module).
TODAY = date(2026, 11, 25)


def planned(actor, *, held_on=date(2026, 12, 18), kind=DialogueSession.Kind.THEMATIC, **fields):
    data = {
        "title": "Đối thoại chuyên đề về quản lý đất đai",
        "kind": kind,
        "held_on": held_on,
        "location": "Hội trường Đảng ủy xã",
        "secretary_name": "Phan Đình Toàn",
        "topics": [Topic.objects.get(name__startswith="Quản lý đất đai")]
        if kind == DialogueSession.Kind.THEMATIC
        else [],
        **fields,
    }
    if kind == DialogueSession.Kind.PERIODIC:
        data.setdefault("half_year", services.half_of(held_on))
    if kind == DialogueSession.Kind.AD_HOC:
        data.setdefault("pressing_issue", "Trại chăn nuôi xả thải ra kênh tưới")
        data.setdefault("decided_by", "Thường trực Đảng ủy")
    return services.session_create(data=services.SessionData(**data), actor=actor)


def announced(actor, **fields):
    session = planned(actor, **fields)
    return services.session_announce(session=session, actor=actor)


def held(actor, clock, **fields):
    """Announced today for its day, then held on that day (the clock moves there)."""
    session = announced(actor, **fields)
    clock.set(session.held_on)
    return services.session_hold(session=session, actor=actor)
