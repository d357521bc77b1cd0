"""Roles, topics and departments the commune starts with; all editable afterwards."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TOPICS = [
    ("economy", "Cơ chế, chính sách phát triển nông nghiệp, nông dân, nông thôn"),
    ("economy", "Quản lý đất đai, tài nguyên khoáng sản, giải phóng mặt bằng"),
    ("economy", "Giao thông, thủy lợi, điện, nước"),
    ("economy", "Vệ sinh môi trường, phân loại, xử lý rác thải"),
    ("culture_society", "Chăm sóc sức khỏe, phòng chống dịch bệnh, khám chữa bệnh, an toàn thực phẩm"),
    ("culture_society", "Giáo dục, đào tạo"),
    ("culture_society", "Văn hóa, thể dục thể thao, quản lý di tích"),
    ("culture_society", "Chính sách người có công, người nghèo"),
    ("security_defence", "An ninh trật tự, an toàn giao thông"),
    ("security_defence", "Phòng chống tệ nạn xã hội: trộm cắp, cờ bạc, số đề, ma túy"),
    ("political_system", "Hoạt động của các tổ chức trong hệ thống chính trị"),
    ("political_system", "Thực hiện chức trách, nhiệm vụ của cán bộ, công chức"),
]

DEPARTMENTS = [
    ("Văn phòng Đảng ủy", "VPĐU", "party"),
    ("Ban Xây dựng Đảng", "BXDĐ", "party"),
    ("Ủy ban Kiểm tra Đảng ủy", "UBKT", "party"),
    ("Văn phòng HĐND và UBND", "VP HĐND-UBND", "government"),
    ("Phòng Kinh tế", "P. Kinh tế", "government"),
    ("Phòng Văn hóa - Xã hội", "P. VH-XH", "government"),
    ("Trung tâm Phục vụ hành chính công", "TTPVHCC", "government"),
    ("Công an xã", "CA xã", "armed"),
    ("Ban Chỉ huy Quân sự xã", "BCHQS", "armed"),
    ("Ủy ban MTTQ Việt Nam xã", "UB MTTQ", "front"),
    ("Hội Nông dân", "HND", "front"),
    ("Hội Liên hiệp Phụ nữ", "HLHPN", "front"),
    ("Đoàn Thanh niên", "ĐTN", "front"),
    ("Hội Cựu chiến binh", "HCCB", "front"),
]

REFERENCE_MODELS = [
    ("petitions", "topic"),
    ("petitions", "department"),
    ("petitions", "residentialunit"),
    ("doluong_dialogue", "calendarexception"),
]

# Django permissions matter for the admin site (reference data); what each role may see
# and do in the application is decided in petitions/permissions.py.
GROUP_PERMISSIONS = {
    "party_building": [
        *[(app, f"{action}_{model}") for app, model in REFERENCE_MODELS
          for action in ("add", "change", "view")],
        ("doluong_dialogue", "view_siteconfiguration"),
        ("doluong_dialogue", "change_siteconfiguration"),
    ],
    "party_office": [
        *[(app, f"view_{model}") for app, model in REFERENCE_MODELS],
        ("doluong_dialogue", "view_siteconfiguration"),
        ("doluong_dialogue", "change_siteconfiguration"),
    ],
    "secretary": [(app, f"view_{model}") for app, model in REFERENCE_MODELS],
    "inspection": [(app, f"view_{model}") for app, model in REFERENCE_MODELS],
    "department": [("petitions", "view_topic"), ("petitions", "view_department")],
    "front": [("petitions", "view_topic"), ("petitions", "view_residentialunit")],
}


def create(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    for app_label in ("petitions", "doluong_dialogue"):
        app_config = apps.get_app_config(app_label)
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )

    Topic = apps.get_model("petitions", "Topic")
    for order, (group, name) in enumerate(TOPICS, start=1):
        Topic.objects.get_or_create(name=name, defaults={"group": group, "order": order})

    Department = apps.get_model("petitions", "Department")
    for order, (name, short_name, kind) in enumerate(DEPARTMENTS, start=1):
        Department.objects.get_or_create(
            name=name, defaults={"short_name": short_name, "kind": kind, "order": order}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("petitions", "0001_initial"),
        ("doluong_dialogue", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
