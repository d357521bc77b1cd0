"""The Fatherland Front and the mass organisations as organisers of their own dialogues
(plan section IV.2: "xây dựng kế hoạch và tổ chức đối thoại với cán bộ, hội viên của tổ chức
mình"), and how each writes its own documents.

A session with no organiser is the commune Party committee's; one with an organiser (a unit
of kind FRONT) is that organisation's, chaired by its own head and concluded by its own
notice. The organisation is recognised by its petition channel (Department.channel), which
every Front unit has.

Document format (the header, the number and the signature):

- The Fatherland Front and the associations (Hội Nông dân, Hội Liên hiệp Phụ nữ, Hội Cựu
  chiến binh) write administrative-style documents: Nghị định 30/2020/NĐ-CP về công tác văn
  thư, Phụ lục I (thể thức văn bản hành chính): the issuing body's name on the left in
  capitals, bold, ruled underneath; on the right the national name and motto "CỘNG HÒA XÃ
  HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh phúc", ruled; the number "Số: 05/TB-
  MTTQ" (a colon, the number, a slash, the type's code, a dash, the body's code); numbers
  run from 01 each calendar year (Điều 15). The Front's own guidance on its documents (the
  Hướng dẫn of Ban Thường trực Ủy ban Trung ương MTTQ Việt Nam on thể thức văn bản) follows
  the same layout for these elements; its text was not at hand, so Nghị định 30/2020/NĐ-CP
  is the cited basis.
- Đoàn TNCS Hồ Chí Minh writes the Đoàn's own format (Quy định về ban hành văn bản của Đoàn
  TNCS Hồ Chí Minh, Quyết định 367-QĐ/TWĐTN-VP of 29/10/2013): the issuing committee on
  the left over "***", "ĐOÀN TNCS HỒ CHÍ MINH" on the right, ruled, the number "Số: 05-
  TB/ĐTN"; its notices too are numbered from 01 each year.

The names of the superior bodies and of the commune come from SiteConfiguration (the
province from "ĐẢNG BỘ TỈNH NGHỆ AN", the commune from the place name), so another commune
runs the same code.
"""

from dataclasses import dataclass

from doluong_dialogue import text
from doluong_dialogue.models import SiteConfiguration
from petitions.models import Channel, Department

NATIONAL_MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
YOUTH_UNION_TITLE = ("ĐOÀN TNCS HỒ CHÍ MINH",)


@dataclass(frozen=True)
class OrganisationStyle:
    """How one organisation names itself and signs (Vietnamese, as printed)."""

    superior: str  # "{province}" is the province ("TỈNH NGHỆ AN")
    body: str  # "{commune}" is the commune ("XÃ ĐÔ LƯƠNG")
    code: str  # the body's code in the number: "MTTQ"
    authority: str  # "TM. BAN THƯỜNG TRỰC"
    head_title: str  # "CHỦ TỊCH", as printed over the signature
    head_label: str  # "Chủ tịch Ủy ban MTTQ Việt Nam xã", as the chair is named
    announcer: str  # who "thông báo để …" at the end of the notice
    members: str = "cán bộ, hội viên"  # whom it holds its dialogues with
    branches: str = "Các chi hội, tổ hội"  # who follows up in the hamlets
    youth: bool = False  # the Đoàn's own format instead of the administrative one


STYLES = {
    Channel.FRONT: OrganisationStyle(
        superior="",
        body="ỦY BAN MTTQ VIỆT NAM\n{commune}",
        code="MTTQ",
        authority="TM. BAN THƯỜNG TRỰC",
        head_title="CHỦ TỊCH",
        head_label="Chủ tịch Ủy ban MTTQ Việt Nam xã",
        announcer="Ban Thường trực Ủy ban MTTQ Việt Nam xã",
        members="cán bộ Mặt trận, đại diện các tầng lớp Nhân dân",
        branches="Các Ban công tác Mặt trận",
    ),
    Channel.FARMERS: OrganisationStyle(
        superior="HỘI NÔNG DÂN {province}",
        body="HỘI NÔNG DÂN {commune}",
        code="HND",
        authority="TM. BAN THƯỜNG VỤ",
        head_title="CHỦ TỊCH",
        head_label="Chủ tịch Hội Nông dân xã",
        announcer="Ban Thường vụ Hội Nông dân xã",
    ),
    Channel.WOMEN: OrganisationStyle(
        superior="HỘI LHPN {province}",
        body="HỘI LHPN {commune}",
        code="HPN",
        authority="TM. BAN THƯỜNG VỤ",
        head_title="CHỦ TỊCH",
        head_label="Chủ tịch Hội Liên hiệp Phụ nữ xã",
        announcer="Ban Thường vụ Hội Liên hiệp Phụ nữ xã",
    ),
    Channel.VETERANS: OrganisationStyle(
        superior="HỘI CỰU CHIẾN BINH {province}",
        body="HỘI CỰU CHIẾN BINH {commune}",
        code="CCB",
        authority="TM. BAN THƯỜNG VỤ",
        head_title="CHỦ TỊCH",
        head_label="Chủ tịch Hội Cựu chiến binh xã",
        announcer="Ban Thường vụ Hội Cựu chiến binh xã",
    ),
    Channel.YOUTH: OrganisationStyle(
        superior="BCH ĐOÀN {province}",
        body="BCH ĐOÀN {commune}",
        code="ĐTN",
        authority="TM. BAN CHẤP HÀNH",
        head_title="BÍ THƯ",
        head_label="Bí thư Đoàn xã",
        announcer="Ban Chấp hành Đoàn xã",
        members="cán bộ, đoàn viên thanh niên",
        branches="Các chi đoàn",
        youth=True,
    ),
}
# A Front unit whose channel is not one of these writes as the Front does.
DEFAULT_STYLE = STYLES[Channel.FRONT]


def style_of(organisation: Department) -> OrganisationStyle:
    return STYLES.get(organisation.channel, DEFAULT_STYLE)


@dataclass(frozen=True)
class Header:
    """An organisation's header, ready for doluong_dialogue.documents.Issuer."""

    superior_body: str
    issuing_body: str
    heading: tuple[str, ...]
    mark: str
    number_format: str
    code_suffix: str
    archive_line: str


def header_of(organisation: Department, site: SiteConfiguration | None = None) -> Header:
    site = site or SiteConfiguration.load()
    style = style_of(organisation)
    province = site.superior_body.upper().removeprefix("ĐẢNG BỘ").strip()
    commune = f"XÃ {site.place_name.upper()}"
    names = {"province": province, "commune": commune}
    if style.youth:
        # Quy định 367-QĐ/TWĐTN-VP: "Số: 05-TB/ĐTN", "***" under the issuing committee.
        heading, mark, number_format = YOUTH_UNION_TITLE, "***", "Số: {number}-{code}/{suffix}"
    else:
        # Nghị định 30/2020/NĐ-CP, Phụ lục I: "Số: 05/TB-MTTQ", a rule under the name.
        heading, mark, number_format = NATIONAL_MOTTO, "", "Số: {number}/{code}-{suffix}"
    return Header(
        superior_body=style.superior.format(**names),
        issuing_body=style.body.format(**names),
        heading=heading,
        mark=mark,
        number_format=number_format,
        code_suffix=style.code,
        archive_line="Lưu VT.",
    )


def series_code(organisation: Department, code: str = "TB") -> str:
    """The counter of the organisation's documents of type `code` ("TB-MTTQ"), numbered
    from 1 each year."""
    return f"{code}-{style_of(organisation).code}"


def issuer_of(session, site: SiteConfiguration | None = None):
    """The header of a session's documents: None (the Party committee's, the default) or
    the organising body's own, in the format it uses."""
    if session.organiser_id is None:
        return None
    from doluong_dialogue import documents as d

    site = site or SiteConfiguration.load()
    header = header_of(session.organiser, site)
    return d.Issuer(
        superior_body=header.superior_body,
        issuing_body=header.issuing_body,
        place_name=site.place_name,
        code_suffix=header.code_suffix,
        heading=header.heading,
        mark=header.mark,
        number_format=header.number_format,
        archive_line=header.archive_line,
        certificate=certificate_code(session.organiser),
    )


def certificate_code(organisation: Department) -> str:
    """The code that names the organisation's own signing certificate ("MTTQ": the file
    MTTQ.p12 in SIGNING_ORGANISATIONS_DIR, doluong_dialogue/documents/signing.py): its code
    in the number, in ASCII capitals ("ĐTN" → "DTN")."""
    return text.fold(style_of(organisation).code).upper().replace(" ", "")


def signing_body(session):
    """Whose certificate signs a session's notice (signing.SigningBody): the committee's for
    its own sessions, the organisation's own for an organisation's."""
    from doluong_dialogue.documents import signing

    issuer = issuer_of(session)
    return issuer.signing_body if issuer is not None else signing.COMMITTEE


def next_number(session, code: str, *, on) -> int:
    """The next number of a session's document of type `code` ("GM", "BB"): the Party
    committee's series of the term, or the organisation's own series of the year `on`."""
    from doluong_dialogue import documents

    if session.organiser_id is None:
        return documents.next_number(code)
    return documents.next_number(series_code(session.organiser, code), series_start=on.year)


def host_name(session, site: SiteConfiguration | None = None) -> str:
    """Who holds the session, as the documents name it: "Đảng ủy xã Đô Lương" or the
    organisation."""
    if session.organiser_id:
        return session.organiser.name
    return (site or SiteConfiguration.load()).short_name


def chair_title(session) -> str:
    """The chair's title in the documents' Vietnamese."""
    return session.chair_title


PARTY_AUDIENCE = "cán bộ, đảng viên và Nhân dân"


def audience(session) -> str:
    """Whom the session is held with, as the documents name them: the Party committee's
    "cán bộ, đảng viên và Nhân dân", an organisation its own members (plan section IV.2)."""
    if session.organiser_id:
        return style_of(session.organiser).members
    return PARTY_AUDIENCE
