"""The 2026 sessions of the invented commune, with the petitions on their agendas."""

from datetime import date

from django.db import transaction

from petitions.models import Petition, Topic
from sessions.models import AgendaItem, DialogueSession

SESSIONS = [
    {
        "title": "Hội nghị tiếp xúc, đối thoại định kỳ 6 tháng đầu năm 2026",
        "kind": DialogueSession.Kind.PERIODIC,
        "half_year": 1,
        "held_on": date(2026, 6, 12),
        "status": DialogueSession.Status.HELD,
        "location": "Hội trường Đảng ủy xã",
        "window": (date(2026, 1, 1), date(2026, 6, 5)),
    },
    {
        "title": "Đối thoại đột xuất về ô nhiễm môi trường do trại chăn nuôi",
        "kind": DialogueSession.Kind.AD_HOC,
        "pressing_issue": "Nhiều hộ dân phản ánh trại chăn nuôi xả thải ra kênh tưới",
        "held_on": date(2026, 8, 5),
        "status": DialogueSession.Status.HELD,
        "location": "Nhà văn hóa xóm Đông Hồ",
        "topic_prefix": "Vệ sinh môi trường",
        "window": (date(2026, 6, 6), date(2026, 8, 1)),
    },
    {
        "title": "Đối thoại chuyên đề về quản lý đất đai, giải phóng mặt bằng",
        "kind": DialogueSession.Kind.THEMATIC,
        "held_on": date(2026, 9, 18),
        "status": DialogueSession.Status.HELD,
        "location": "Hội trường UBND xã",
        "topic_prefix": "Quản lý đất đai",
        "window": (date(2026, 6, 6), date(2026, 9, 15)),
    },
    {
        "title": "Hội nghị tiếp xúc, đối thoại định kỳ 6 tháng cuối năm 2026",
        "kind": DialogueSession.Kind.PERIODIC,
        "half_year": 2,
        "held_on": date(2026, 12, 18),
        "status": DialogueSession.Status.PLANNED,
        "location": "Hội trường Đảng ủy xã",
        "window": (date(2026, 6, 6), date(2026, 12, 10)),
    },
]


@transaction.atomic
def seed_sessions(*, stdout=None) -> None:
    for spec in SESSIONS:
        spec = dict(spec)
        first, last = spec.pop("window")
        prefix = spec.pop("topic_prefix", None)
        topic = Topic.objects.filter(name__startswith=prefix).first() if prefix else None
        session, created = DialogueSession.objects.get_or_create(
            title=spec["title"], defaults={**spec, "year": spec["held_on"].year, "topic": topic}
        )
        if not created or session.agenda_items.exists():
            continue
        petitions = Petition.objects.filter(
            received_on__range=(first, last), duplicate_of__isnull=True
        ).exclude(status=Petition.Status.ROUTED_OUT)
        if topic:
            petitions = petitions.filter(topic=topic)
        elif session.kind == DialogueSession.Kind.PERIODIC:
            # A periodic session takes what the thematic and ad-hoc ones did not.
            petitions = petitions.filter(agenda_items__isnull=True)
        AgendaItem.objects.bulk_create(
            AgendaItem(session=session, petition=petition, order=order)
            for order, petition in enumerate(petitions.order_by("received_on", "id"), start=1)
        )
        if stdout:
            stdout.write(f"  session «{session.title}»: {session.agenda_items.count()} petitions")
