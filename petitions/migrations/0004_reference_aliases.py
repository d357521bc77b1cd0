"""How the Front's and other bodies' lists name topics and departments, for the importer."""

from django.db import migrations

TOPIC_ALIASES = {
    "Cơ chế, chính sách phát triển nông nghiệp, nông dân, nông thôn": [
        "Nông nghiệp, nông dân, nông thôn",
        "Nông nghiệp",
    ],
    "Quản lý đất đai, tài nguyên khoáng sản, giải phóng mặt bằng": [
        "Đất đai, GPMB",
        "Đất đai",
        "Giải phóng mặt bằng",
        "Tài nguyên khoáng sản",
    ],
    "Giao thông, thủy lợi, điện, nước": [
        "Giao thông, thủy lợi",
        "Giao thông",
        "Thủy lợi",
        "Điện, nước",
    ],
    "Vệ sinh môi trường, phân loại, xử lý rác thải": [
        "Môi trường, rác thải",
        "Vệ sinh môi trường",
        "Môi trường",
        "Rác thải",
    ],
    "Chăm sóc sức khỏe, phòng chống dịch bệnh, khám chữa bệnh, an toàn thực phẩm": [
        "Y tế, an toàn thực phẩm",
        "Y tế",
        "An toàn thực phẩm",
    ],
    "Giáo dục, đào tạo": ["Giáo dục"],
    "Văn hóa, thể dục thể thao, quản lý di tích": [
        "Văn hóa, thể thao, di tích",
        "Văn hóa, thể thao",
        "Văn hóa",
    ],
    "Chính sách người có công, người nghèo": ["Chính sách xã hội", "Người có công"],
    "An ninh trật tự, an toàn giao thông": ["An ninh trật tự", "An toàn giao thông"],
    "Phòng chống tệ nạn xã hội: trộm cắp, cờ bạc, số đề, ma túy": [
        "Phòng chống tệ nạn xã hội",
        "Tệ nạn xã hội",
    ],
    "Hoạt động của các tổ chức trong hệ thống chính trị": ["Hệ thống chính trị"],
    "Thực hiện chức trách, nhiệm vụ của cán bộ, công chức": [
        "Thực hiện chức trách của cán bộ, công chức",
        "Cán bộ, công chức",
    ],
}

DEPARTMENT_ALIASES = {
    "Văn phòng HĐND và UBND": ["UBND xã", "Ủy ban nhân dân xã", "HĐND xã", "Văn phòng UBND"],
    "Ủy ban Kiểm tra Đảng ủy": ["UBKT Đảng ủy", "UBKT"],
    "Văn phòng Đảng ủy": ["VP Đảng ủy"],
    "Ban Xây dựng Đảng": ["Ban XD Đảng"],
    "Công an xã": ["Công an"],
    "Ban Chỉ huy Quân sự xã": ["Quân sự xã", "Ban CHQS xã"],
    "Ủy ban MTTQ Việt Nam xã": ["MTTQ xã", "Mặt trận Tổ quốc xã", "Ủy ban Mặt trận Tổ quốc xã"],
    "Hội Nông dân": ["Hội Nông dân xã"],
    "Hội Liên hiệp Phụ nữ": ["Hội Phụ nữ", "Hội Phụ nữ xã"],
    "Đoàn Thanh niên": ["Đoàn Thanh niên xã", "Đoàn xã"],
    "Hội Cựu chiến binh": ["Hội Cựu chiến binh xã"],
    "Trung tâm Phục vụ hành chính công": ["Bộ phận một cửa"],
}


def add_aliases(apps, schema_editor):
    Topic = apps.get_model("petitions", "Topic")
    Department = apps.get_model("petitions", "Department")
    for model, aliases in ((Topic, TOPIC_ALIASES), (Department, DEPARTMENT_ALIASES)):
        for name, names in aliases.items():
            model.objects.filter(name=name, aliases="").update(aliases="\n".join(names))


class Migration(migrations.Migration):
    dependencies = [("petitions", "0003_petitions")]
    operations = [migrations.RunPython(add_aliases, migrations.RunPython.noop)]
