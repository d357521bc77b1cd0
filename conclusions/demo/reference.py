"""Invented demo data for the reference tables and accounts.

Every person and hamlet here is made up; the site shows a banner saying so.
"""

import os

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User
from django.db import transaction

from doluong_dialogue.models import SiteConfiguration
from petitions.models import Department, ResidentialUnit
from petitions.permissions import Role

DEFAULT_DEMO_PASSWORD = "doluong2026"

# Invented hamlet and block names; the Front's sample list (shared/samples) uses the same
# invented names, so importing it finds its hamlets.
HAMLETS = [
    "Yên Thịnh",
    "Yên Thành",
    "Yên Lạc",
    "Đông Hồ",
    "Bắc Thịnh",
    "Phú Thịnh",
    "Lưu Thịnh",
    "Thịnh Mỹ",
    "Trung Sơn",
    "Thuận Sơn",
    "Đà Sơn",
    "Văn Khánh",
]
BLOCKS = ["3", "5", "Tân Lập", "Tân Phúc"]

# username, first name, last name, roles, units, admin site access. A unit's members answer
# what it is assigned, whatever their role; Ban Chỉ huy Quân sự and Hội Cựu chiến binh are
# left without members, so the assign page shows how such a unit looks.
ACCOUNTS = [
    ("bxd", "Nhung", "Nguyễn Thị Hồng", [Role.PARTY_BUILDING], ["Ban Xây dựng Đảng"], True),
    ("vpdu", "Hà", "Lê Thị Thu", [Role.PARTY_OFFICE], ["Văn phòng Đảng ủy"], True),
    ("bithu", "Toàn", "Phan Đình", [Role.SECRETARY], [], False),
    ("ubkt", "Quang", "Hồ Sỹ", [Role.INSPECTION], ["Ủy ban Kiểm tra Đảng ủy"], False),
    ("kinhte", "Tâm", "Nguyễn Văn", [Role.DEPARTMENT], ["Phòng Kinh tế"], False),
    ("vhxh", "Mai", "Đặng Thị", [Role.DEPARTMENT], ["Phòng Văn hóa - Xã hội"], False),
    ("vpub", "Hiền", "Trần Thị", [Role.DEPARTMENT], ["Văn phòng HĐND và UBND"], False),
    ("hcc", "Phương", "Võ Thị", [Role.DEPARTMENT], ["Trung tâm Phục vụ hành chính công"], False),
    ("congan", "Hưng", "Lê Đình", [Role.DEPARTMENT], ["Công an xã"], False),
    ("mttq", "Lợi", "Thái Văn", [Role.FRONT], ["Ủy ban MTTQ Việt Nam xã"], False),
    ("nongdan", "Thắng", "Phạm Văn", [Role.FRONT], ["Hội Nông dân"], False),
    ("phunu", "Lan", "Hoàng Thị", [Role.FRONT], ["Hội Liên hiệp Phụ nữ"], False),
    ("doantn", "Trung", "Nguyễn Văn", [Role.FRONT], ["Đoàn Thanh niên"], False),
]
SECRETARY_USERNAME = "bithu"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD


@transaction.atomic
def seed_reference(*, stdout=None) -> None:
    """Hamlets, blocks, accounts and department members; changes nothing when run again."""
    for order, name in enumerate(HAMLETS, start=1):
        ResidentialUnit.objects.get_or_create(
            kind=ResidentialUnit.Kind.HAMLET, name=name, defaults={"order": order}
        )
    for order, name in enumerate(BLOCKS, start=len(HAMLETS) + 1):
        ResidentialUnit.objects.get_or_create(
            kind=ResidentialUnit.Kind.BLOCK, name=name, defaults={"order": order}
        )

    groups = {group.name: group for group in Group.objects.filter(name__in=Role.values)}
    departments = {department.name: department for department in Department.objects.all()}
    # One hash for every account: hashing costs half a second each, and they share it anyway.
    password = make_password(demo_password())
    for username, first, last, roles, department_names, admin_site in ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@doluong.example",
                "is_staff": admin_site,
            },
        )
        if created:
            user.password = password
            user.save(update_fields=["password"])
            if stdout:
                stdout.write(f"  account {username} ({', '.join(roles)})")
        user.groups.add(*(groups[role] for role in roles))
        for name in department_names:
            departments[name].members.add(user)

    admin, created = User.objects.get_or_create(
        username="quantri",
        defaults={"first_name": "Quản trị", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.password = password
        admin.save(update_fields=["password"])

    config = SiteConfiguration.load()
    secretary = User.objects.get(username=SECRETARY_USERNAME)
    changed = {"demo_data": True}
    if not config.secretary_name:
        changed["secretary_name"] = f"{secretary.last_name} {secretary.first_name}"
    SiteConfiguration.objects.filter(pk=config.pk).update(**changed)
