"""The text the minutes (Biên bản) start from, drawn up from what was recorded at the session.

The document is written in Vietnamese whatever the interface language: these are its words,
not user-interface strings.
"""

from doluong_dialogue.models import SiteConfiguration
from sessions import organisers
from sessions.models import DialogueSession

WEEKDAYS = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]


def _when(session: DialogueSession) -> str:
    day = session.held_on
    moment = f"{session.starts_at:%H} giờ {session.starts_at:%M}, " if session.starts_at else ""
    return f"Vào hồi {moment}{WEEKDAYS[day.weekday()]}, ngày {day:%d} tháng {day:%m} năm {day.year}"


def draw_up_minutes(session: DialogueSession) -> str:
    site = SiteConfiguration.load()
    lines = [
        f"{_when(session)}, tại {session.location or '…'}, "
        f"{organisers.host_name(session, site)} tổ chức "
        f"{session.title[0].lower()}{session.title[1:]}.",
        "",
        "I. THÀNH PHẦN",
    ]
    presiding = session.presiding
    if presiding:
        lines.append(
            "- Chủ trì: "
            + "; ".join(f"đồng chí {name}, {title}" for title, name in presiding)
            + "."
        )
    units = [unit.name for unit in session.attending_units.all()] or [
        unit.name for unit in session.participating_units.all()
    ]
    if units:
        lines.append("- Đại diện các cơ quan, đơn vị: " + ", ".join(units) + ".")
    if session.attendance:
        lines.append(
            f"- Tổng số người tham dự: {session.attendance} {organisers.audience(session)}."
        )
    lines += ["", "II. NỘI DUNG"]
    speeches = list(
        session.speeches.select_related("agenda_item__petition", "petition").order_by("order")
    )
    if not speeches:
        lines.append("(Chưa ghi ý kiến nào.)")
    for number, speech in enumerate(speeches, start=1):
        origin = f" ({speech.speaker_from})" if speech.speaker_from else ""
        code = f" [{speech.petition.code}]" if speech.petition_id else ""
        lines.append(f"{number}. Ông/bà {speech.speaker}{origin} nêu{code}: {speech.raised}")
        if speech.answer:
            by = f"{speech.answered_by} " if speech.answered_by else ""
            lines.append(f"   {by}trả lời: {speech.answer}".replace("   trả lời", "   Trả lời"))
        if not speech.dialogued:
            lines.append("   Nội dung chưa được đối thoại tại hội nghị.")
    not_spoken = session.agenda_items.filter(speeches__isnull=True, dialogued=False).select_related(
        "petition"
    )
    waiting = [f"{item.petition.code} — {item.petition.summary}" for item in not_spoken]
    if waiting:
        lines += ["", "Các kiến nghị trong chương trình chưa được đối thoại tại hội nghị:"]
        lines += [f"- {line}" for line in waiting]
    lines += [
        "",
        "III. KẾT THÚC",
        "Hội nghị kết thúc vào hồi … giờ … cùng ngày. Biên bản đã được thông qua trước hội nghị.",
    ]
    return "\n".join(lines)
