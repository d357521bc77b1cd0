"""What a Party document says, once, for both renderers (PDF and Word).

A `PartyDocument` holds the header (issuing body, number, place and date), the type name and
summary or the "V/v …" subject line, the body as a list of simple blocks, the signature
blocks and the recipients. `render_pdf` and `render_docx` lay out exactly this, so the PDF
and the Word copy cannot say different things.

The deployment's identity (the superior body, the issuing body, the place name, the code
suffix, the signer) is read from SiteConfiguration by `Issuer.current()` and
`Signature.current()`, which the document uses when none is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from doluong_dialogue import pdf
from doluong_dialogue.models import SiteConfiguration

Align = Literal["left", "center", "right", "justify"]

# Always the last recipient (Hướng dẫn 36-HD/VPTW: the issuing office keeps a copy).
ARCHIVE_LINE = "Lưu Văn phòng Đảng ủy."
# The Party's title over the place and date, and its number: "Số 12-TB/ĐU" (no colon).
PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
PARTY_NUMBER_FORMAT = "Số {number}-{code}/{suffix}"


@dataclass(frozen=True)
class Run:
    """A piece of text in one style."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


def _runs(parts: tuple[str | Run, ...]) -> tuple[Run, ...]:
    return tuple(part if isinstance(part, Run) else Run(str(part)) for part in parts)


@dataclass(frozen=True, init=False)
class Paragraph:
    """Body text: `Paragraph("Đề nghị ", Run("đúng giờ", bold=True), ".")`.

    Justified with a first-line indent unless told otherwise; `keep_with_next` keeps it on
    the page of what follows (the closing sentence with the signature).
    """

    kind = "paragraph"
    runs: tuple[Run, ...]
    align: Align
    indent: bool
    keep_with_next: bool

    def __init__(
        self,
        *parts: str | Run,
        align: Align = "justify",
        indent: bool = True,
        keep_with_next: bool = False,
    ) -> None:
        object.__setattr__(self, "runs", _runs(parts))
        object.__setattr__(self, "align", align)
        object.__setattr__(self, "indent", indent and align == "justify")
        object.__setattr__(self, "keep_with_next", keep_with_next)


@dataclass(frozen=True)
class Heading:
    """A section heading in bold ("I. TÌNH HÌNH CHUNG"), kept with what follows."""

    kind = "heading"
    text: str
    align: Align = "left"


@dataclass(frozen=True, init=False)
class Item:
    """A numbered item ("1. …", with `number=1`) or a bulleted one ("- …")."""

    kind = "item"
    runs: tuple[Run, ...]
    number: int | str | None

    def __init__(self, *parts: str | Run, number: int | str | None = None) -> None:
        object.__setattr__(self, "runs", _runs(parts))
        object.__setattr__(self, "number", number)

    @property
    def marker(self) -> str:
        if self.number is None:
            return "-"
        return f"{self.number}." if isinstance(self.number, int) else str(self.number)


@dataclass(frozen=True)
class Table:
    """A bordered table with a header row (repeated on every page).

    `widths` are the columns' shares of the line, in per cent; even when not given.
    """

    kind = "table"
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if any(len(row) != len(self.header) for row in self.rows):
            raise ValueError("Every row of a table has as many cells as its header.")
        if self.widths is not None and len(self.widths) != len(self.header):
            raise ValueError("A table has one width per column.")

    @property
    def column_widths(self) -> tuple[float, ...]:
        if self.widths:
            total = sum(self.widths)
            return tuple(100 * width / total for width in self.widths)
        return tuple(100 / len(self.header) for _column in self.header)


@dataclass(frozen=True)
class Addressee:
    """The "Kính gửi: …" block, centred under the title.

    One addressee reads "Kính gửi: Ông/Bà Nguyễn Văn A"; several are listed one a line
    under "Kính gửi:". `notes` are lines under it (an address, "(Đại diện nhóm …)").
    """

    kind = "addressee"
    names: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def lines(self) -> tuple[str, ...]:
        if len(self.names) == 1:
            return (f"Kính gửi: {self.names[0]}",)
        last = len(self.names) - 1
        listed = tuple(f"- {name}{'.' if i == last else ';'}" for i, name in enumerate(self.names))
        return ("Kính gửi:", *listed)


@dataclass(frozen=True)
class Figure:
    """A chart (SVG markup from doluong_dialogue.charts) and its caption. The PDF draws it;
    the Word copy gives the caption, the figures being in the table that goes with it."""

    kind = "figure"
    svg: str  # markup built by doluong_dialogue.charts from escaped texts only
    caption: str


@dataclass(frozen=True)
class QRCode:
    """A QR code of `data` (an address) with lines of text beside it ("Quét mã để trả lời
    trực tuyến", the short address)."""

    kind = "qr"
    data: str
    lines: tuple[str, ...] = ()

    def _code(self):
        import segno

        return segno.make(self.data, error="m")

    @property
    def svg(self) -> str:
        return self._code().svg_inline(omitsize=True, border=0)

    def png(self) -> bytes:
        import io

        buffer = io.BytesIO()
        self._code().save(buffer, kind="png", scale=8, border=1)
        return buffer.getvalue()


Block = Paragraph | Heading | Item | Table | Addressee | Figure | QRCode


@dataclass(frozen=True)
class Signature:
    """One signature block: the authority line ("T/M BAN THƯỜNG VỤ", may be empty), the
    title ("BÍ THƯ", "NGƯỜI GHI BIÊN BẢN"), room to sign, and the name (may be empty: the
    signer writes it)."""

    title: str
    authority: str = ""
    name: str = ""

    @classmethod
    def current(cls, site: SiteConfiguration | None = None) -> Signature:
        """The deployment's signer: "T/M BAN THƯỜNG VỤ" / "BÍ THƯ" / the Secretary's name."""
        site = site or SiteConfiguration.load()
        return cls(
            authority=site.signing_authority,
            title=site.signer_title,
            name=site.secretary_name,
        )


@dataclass(frozen=True)
class Issuer:
    """Who issues the document and where (the header): from SiteConfiguration.

    The Party committee's documents keep the defaults (Hướng dẫn 36-HD/VPTW). A body that
    writes another format (the Front and the mass organisations, sessions/organisers.py)
    gives its own right-hand `heading` (ruled under its last line), the `mark` under its
    name ("*" for the Party, "***" for the Youth Union, "" for a rule), the `number_format`
    ("Số: {number}/{code}-{suffix}") and the archive line under "Nơi nhận". The issuing
    body's name may run over several lines ("\n"). Such a body signs with its own
    `certificate` (its code, "MTTQ": signing.py); "" is the deployment's certificate.
    """

    superior_body: str
    issuing_body: str
    place_name: str
    code_suffix: str
    heading: tuple[str, ...] = (PARTY_HEADING,)
    mark: str = "*"
    number_format: str = PARTY_NUMBER_FORMAT
    archive_line: str = ARCHIVE_LINE
    certificate: str = ""

    @property
    def issuing_lines(self) -> list[str]:
        return [line for line in self.issuing_body.splitlines() if line.strip()]

    @property
    def signing_body(self):
        """Whose certificate signs the document (signing.SigningBody)."""
        from doluong_dialogue.documents.signing import COMMITTEE, SigningBody

        if not self.certificate:
            return COMMITTEE
        return SigningBody(code=self.certificate, name=" ".join(self.issuing_lines))

    @classmethod
    def current(cls, site: SiteConfiguration | None = None) -> Issuer:
        site = site or SiteConfiguration.load()
        return cls(
            superior_body=site.superior_body,
            issuing_body=site.issuing_body,
            place_name=site.place_name,
            code_suffix=site.code_suffix,
        )


def standard_recipients(*first: str, site: SiteConfiguration | None = None) -> list[str]:
    """`first` (e.g. "Như trên"), then the deployment's standard recipients."""
    site = site or SiteConfiguration.load()
    return [*first, *site.recipient_lines]


@dataclass
class PartyDocument:
    """A document in the Party format (Hướng dẫn 36-HD/VPTW).

    code        the type's code in the number: "TB", "GM", "BB", "CV".
    title       what the document is called in the interface and the file name.
    day         the date in the place-and-date line.
    number      the register's number (see numbers.next_number), or None for a draft:
                "Số      -GM/ĐU" leaves room to write it in.
    type_name   "GIẤY MỜI", "THÔNG BÁO", "BIÊN BẢN"; empty for a letter (công văn).
    summary     the bold line under the type name.
    subject     a letter's "V/v …" line under the number.
    body        blocks: Paragraph, Heading, Item, Table, Addressee, QRCode.
    signatures  side by side, left to right; the deployment's signer when not given.
    recipients  the "Nơi nhận:" lines, without dashes or final punctuation; "Lưu Văn
                phòng Đảng ủy." is added last. None: no "Nơi nhận" block (minutes).
    final       signed or finalised: only its PDF exists, render_docx refuses it.
    issuer      the header's bodies, place and code suffix; the deployment's when not given.
    """

    code: str
    title: str
    day: date
    number: int | None = None
    type_name: str = ""
    summary: str = ""
    subject: str = ""
    body: list[Block] = field(default_factory=list)
    signatures: list[Signature] | None = None
    recipients: list[str] | None = None
    final: bool = False
    issuer: Issuer | None = None

    def __post_init__(self) -> None:
        if self.issuer is None:
            self.issuer = Issuer.current()
        if self.signatures is None:
            self.signatures = [Signature.current()]

    @property
    def number_line(self) -> str:
        """ "Số 05-GM/ĐU" (no colon; a zero before numbers under 10), or "Số      -GM/ĐU"."""
        number = f"{self.number:02d}" if self.number is not None else " " * 6
        return self.issuer.number_format.format(
            number=number, code=self.code, suffix=self.issuer.code_suffix
        )

    @property
    def date_line(self) -> str:
        """ "Đô Lương, ngày 05 tháng 02 năm 2026"."""
        return pdf.party_date_line(self.issuer.place_name, self.day)

    @property
    def recipient_lines(self) -> list[str]:
        """The lines under "Nơi nhận:", each with its dash and punctuation."""
        if self.recipients is None:
            return []
        lines = [line.strip().strip(" -").rstrip(";.").strip() for line in self.recipients]
        return [f"- {line};" for line in lines if line] + [f"- {self.issuer.archive_line}"]
