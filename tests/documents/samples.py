"""Sample documents with every kind of block, for the tests and for a look by eye."""

from datetime import date

from doluong_dialogue.documents import (
    Addressee,
    Heading,
    Item,
    Paragraph,
    PartyDocument,
    Run,
    Signature,
    Table,
    standard_recipients,
)


def notice(*, number: int | None = 12, final: bool = False) -> PartyDocument:
    """A notice with a heading, paragraphs in three styles, items, a table and an addressee."""
    return PartyDocument(
        code="TB",
        title="Thông báo kết luận hội nghị đối thoại",
        day=date(2026, 2, 5),
        number=number,
        type_name="THÔNG BÁO",
        summary="Kết luận của Thường trực Đảng ủy tại hội nghị đối thoại với Nhân dân",
        body=[
            Addressee(("Các chi bộ trực thuộc", "Ủy ban nhân dân xã")),
            Paragraph(
                "Ngày 03 tháng 02 năm 2026, Thường trực Đảng ủy xã chủ trì hội nghị tiếp xúc, "
                "đối thoại với Nhân dân. Ý kiến của Nhân dân được tổng hợp đầy đủ: ",
                Run("Đường, ư, ỹ, ậ, Ơ", bold=True),
                " và ",
                Run("nghiêng", italic=True),
                ".",
            ),
            Heading("I. NHỮNG NỘI DUNG ĐÃ GIẢI QUYẾT"),
            Item("Sửa chữa tuyến đường liên xóm Yên Thịnh - Đông Hồ.", number=1),
            Item("Lắp đặt đèn chiếu sáng tại ngã ba chợ.", number=2),
            Heading("II. NHIỆM VỤ GIAO CÁC CƠ QUAN"),
            Item("Rà soát hồ sơ đất đai tồn đọng."),
            Table(
                header=("TT", "Nội dung", "Cơ quan chủ trì", "Thời hạn"),
                rows=(
                    ("1", "Khắc phục ổ gà tuyến đường liên xóm", "Phòng Kinh tế", "28/02/2026"),
                    (
                        "2",
                        "Thu gom rác thải khu chợ Đô Lương",
                        "Phòng Văn hóa - Xã hội",
                        "15/03/2026",
                    ),
                    (
                        "3",
                        "Kiểm tra an toàn thực phẩm bếp ăn trường học",
                        "Công an xã",
                        "31/03/2026",
                    ),
                ),
                widths=(8, 47, 27, 18),
            ),
            Paragraph(
                "Thường trực Đảng ủy thông báo để các cơ quan biết, thực hiện./.",
                keep_with_next=True,
            ),
        ],
        recipients=standard_recipients("Như kính gửi"),
        final=final,
    )


def letter() -> PartyDocument:
    """A letter (công văn): no type name, a "V/v" line under the number."""
    return PartyDocument(
        code="CV",
        title="Công văn đôn đốc trả lời kiến nghị",
        day=date(2026, 3, 9),
        number=5,
        subject="V/v đôn đốc trả lời kiến nghị của cử tri",
        body=[
            Addressee(("Phòng Kinh tế xã",)),
            Paragraph(
                "Thực hiện Kế hoạch tiếp xúc, đối thoại năm 2026, Ban Thường vụ Đảng ủy đề nghị "
                "Phòng Kinh tế khẩn trương trả lời các kiến nghị được giao trước ngày 20/3/2026."
            ),
            Paragraph("Đề nghị các đồng chí quan tâm thực hiện./.", keep_with_next=True),
        ],
        recipients=standard_recipients("Như trên"),
    )


def minutes() -> PartyDocument:
    """Minutes: two signature blocks side by side, no "Nơi nhận"."""
    return PartyDocument(
        code="BB",
        title="Biên bản hội nghị đối thoại",
        day=date(2026, 2, 3),
        number=None,
        type_name="BIÊN BẢN",
        summary="Hội nghị tiếp xúc, đối thoại giữa Thường trực Đảng ủy với Nhân dân",
        body=[
            Paragraph(
                "Hồi 07 giờ 30 phút, ngày 03 tháng 02 năm 2026, tại Hội trường Ủy ban nhân dân "
                "xã, Thường trực Đảng ủy tổ chức hội nghị tiếp xúc, đối thoại với Nhân dân."
            ),
            Heading("I. THÀNH PHẦN"),
            Item("Chủ trì: đồng chí Bí thư Đảng ủy."),
            Item("Thư ký: đồng chí Chánh Văn phòng Đảng ủy."),
            Heading("II. NỘI DUNG"),
            Paragraph("Ông Nguyễn Văn Ơn (xóm Yên Thịnh) phản ánh đường liên xóm xuống cấp."),
            Paragraph(
                "Hội nghị kết thúc hồi 11 giờ cùng ngày. "
                "Biên bản đã được thông qua trước hội nghị./.",
                keep_with_next=True,
            ),
        ],
        signatures=[
            Signature(title="NGƯỜI GHI BIÊN BẢN", name="Trần Thị Thư"),
            Signature(title="CHỦ TRÌ HỘI NGHỊ", name="Nguyễn Văn Chủ"),
        ],
        recipients=None,
    )
