"""The Front and the mass organisations holding their own dialogues (plan section IV.2)."""

from petitions.models import Department
from petitions.permissions import Role
from tests.factories import UserFactory
from tests.sessions.helpers import held, planned

FRONT = "Ủy ban MTTQ Việt Nam xã"
FARMERS = "Hội Nông dân"
YOUTH = "Đoàn Thanh niên"
HEADS = {FRONT: "Thái Văn Lợi", FARMERS: "Phạm Văn Thắng", YOUTH: "Nguyễn Văn Trung"}


def organisation(name: str) -> Department:
    return Department.objects.get(name=name)


def organisation_staff(name: str, username: str):
    """A member of the organisation with the Front role: runs its own dialogues."""
    return UserFactory(username=username, roles=[Role.FRONT], departments=[organisation(name)])


def organisation_planned(actor, name: str = FRONT, **fields):
    return planned(
        actor,
        title=fields.pop("title", f"Đối thoại với hội viên — {name}"),
        organiser=organisation(name),
        organiser_head_name=HEADS[name],
        location="Nhà văn hóa xóm Yên Thịnh",
        **fields,
    )


def organisation_held(actor, clock, name: str = FRONT, **fields):
    return held(
        actor,
        clock,
        title=fields.pop("title", f"Đối thoại với hội viên — {name}"),
        organiser=organisation(name),
        organiser_head_name=HEADS[name],
        location="Nhà văn hóa xóm Yên Thịnh",
        **fields,
    )
