"""What the commune tells its residents about a session: the text read on the loudspeakers
and the text posted on social networks (plan III.6.1: "Thông báo cho Nhân dân được biết …
thông qua hệ thống truyền thanh, mạng xã hội"). Vietnamese, as they are read out."""

from sessions import organisers
from sessions.minutes_text import WEEKDAYS
from sessions.models import DialogueSession


def _moment(session: DialogueSession) -> str:
    day = session.held_on
    at = ""
    if session.starts_at:
        minutes = f" {session.starts_at.minute} phút" if session.starts_at.minute else ""
        at = f"{session.starts_at.hour} giờ{minutes}, "
    return f"{at}{WEEKDAYS[day.weekday()]}, ngày {day.day} tháng {day.month} năm {day.year}"


def _subject(session: DialogueSession) -> str:
    topics = [topic.name.lower() for topic in session.topics.all()]
    if session.kind == DialogueSession.Kind.AD_HOC and session.pressing_issue:
        return session.pressing_issue.rstrip(".")
    if topics:
        return "; ".join(topics)
    return (
        "các vấn đề Nhân dân quan tâm trên các lĩnh vực kinh tế, văn hóa - xã hội, an ninh - "
        "quốc phòng và hoạt động của hệ thống chính trị"
    )


def loudspeaker_text(session: DialogueSession) -> str:
    host = organisers.host_name(session)
    chair = (
        f" do đồng chí {session.chair_name}, {organisers.chair_title(session)}, chủ trì"
        if session.chair_name
        else ""
    )
    place = session.location or "…"
    return (
        f"Thông báo của {host}.\n"
        f"Thực hiện Kế hoạch tiếp xúc, đối thoại với Nhân dân năm {session.held_on.year}, vào hồi "
        f"{_moment(session)}, tại {place}, {host} tổ chức "
        f"{session.title[0].lower()}{session.title[1:]}{chair}.\n"
        f"Nội dung đối thoại tập trung vào: {_subject(session)}.\n"
        f"Kính mời {organisers.audience(session)} quan tâm đến dự, trực tiếp nêu ý kiến, "
        "kiến nghị. Ý kiến, kiến nghị cũng có thể gửi trước qua Ban công tác Mặt trận, "
        "Trưởng xóm, khối hoặc các đoàn thể.\n"
        f"{host} trân trọng thông báo."
    )


def social_text(session: DialogueSession) -> str:
    place = session.location or "…"
    return (
        f"THÔNG BÁO: {session.title.upper()}\n"
        f"Thời gian: {_moment(session)}\n"
        f"Địa điểm: {place}\n"
        f"Nội dung: {_subject(session)}.\n"
        f"Kính mời {organisers.audience(session)} đến dự và nêu ý kiến, kiến nghị.\n"
        f"— {organisers.host_name(session)}"
    )
