"""The mapper: turns a row into what intake records (topic, departments, residential unit,
petitioner), and says what it did not recognise.

Names match folded (no accents, no case) by a record's name or one of its other names, so
"Đất đai, GPMB", "UBND xã (Phòng Kinh tế)" and "Xóm Yên Thành" find the commune's own topic,
department and hamlet. Intake's own rules are asked of the service for each row.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from doluong_dialogue.text import fold, fold_words
from petitions import services
from petitions.importing.reader import SheetRow
from petitions.importing.validation import RowError, model_limit
from petitions.models import Department, Petition, ResidentialUnit, Topic, intake_fingerprint
from petitions.services import PetitionData

# Words that say nothing about which topic a text means.
_STOP_WORDS = {"va", "cac", "cua", "trong", "cho", "ve", "linh", "vuc", "nhung", "voi"}
_GROUP_WORDS = (
    (Topic.Group.ECONOMY, ("kinh te",)),
    (Topic.Group.CULTURE_SOCIETY, ("van hoa", "xa hoi", "y te", "giao duc")),
    (Topic.Group.SECURITY_DEFENCE, ("an ninh", "quoc phong", "trat tu")),
    (Topic.Group.POLITICAL_SYSTEM, ("chinh tri", "xay dung dang", "chinh quyen")),
)
# How a group or an organisation names itself; a person's name starts with a surname.
# ("Đoàn", "Trương" and "Bàn" are also surnames, so only their organisational forms count.)
_GROUP_PREFIXES = (
    "cu tri",
    "cac cu tri",
    "nhan dan",
    "hoi",
    "chi hoi",
    "chi bo",
    "dang bo",
    "doan thanh nien",
    "doan tn",
    "chi doan",
    "ban cong tac mat tran",
    "ban thanh tra nhan dan",
    "ban quan ly",
    "ban dai dien",
    "ban dieu hanh",
    "uy ban",
    "ub mttq",
    "ubmttq",
    "mat tran",
    "mttq",
    "to dan pho",
    "to tu quan",
    "tap the",
    "cac ho",
    "ho dan",
    "ba con",
    "nhom",
    "cong dong",
    "hop tac xa",
    "htx",
    "cau lac bo",
    "clb",
    "truong mam non",
    "truong tieu hoc",
    "truong thcs",
    "truong thpt",
    "xom",
    "khoi",
    "thon",
)
_PEOPLE_IN_TEXT = re.compile(
    r"(\d{1,6})\s*(?:ho gia dinh|ho dan|ho|nguoi|cu tri|gia dinh|cong dan)\b"
)
_CONFIDENTIAL_TEXT = re.compile(
    r"giu bi mat|bao mat|giu kin|an danh|khong cong khai (?:ten|danh tinh|ho ten)"
)
_PRESSING_TEXT = re.compile(r"buc xuc|khan cap|noi com")
_LEGAL_TEXT = re.compile(r"\b(?:khieu nai|to cao)\b")
_YES = {"x", "co", "1", "yes", "true", "v", "✓", "✔", "dung", "giu bi mat"}


def looks_like_group(name: str) -> bool:
    folded = fold_words(name)
    return folded.startswith(tuple(f"{prefix} " for prefix in _GROUP_PREFIXES)) or any(
        folded == prefix for prefix in _GROUP_PREFIXES
    )


_SENTENCE_END = re.compile(r"[.!?]\s+(?=\S)")


def summary_of(content: str) -> str:
    """The first line's first sentence, within the summary's limit (300 characters), cut at
    a word."""
    first_line = next((line for line in content.split("\n") if line.strip()), "").strip()
    sentence = first_line
    for end in _SENTENCE_END.finditer(first_line):
        following = first_line[end.end()]
        # The next sentence starts with a capital or a number; "v.v. rất" does not end one.
        if following.isupper() or following.isdigit():
            sentence = first_line[: end.start() + 1]
            break
    limit = model_limit("summary")
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


def _words(text: str) -> frozenset[str]:
    return frozenset(fold_words(text).split()) - _STOP_WORDS


def group_of_section(section: str) -> str | None:
    folded = f" {fold_words(section)} "
    for group, phrases in _GROUP_WORDS:
        if any(f" {phrase} " in folded for phrase in phrases):
            return group
    return None


@dataclass
class PlannedPetition:
    """A row of the list as it will be created."""

    row: int
    data: PetitionData
    lead: Department | None = None
    supporting: list[Department] = field(default_factory=list)
    section: str = ""
    note: str = ""
    warnings: list[str] = field(default_factory=list)
    # Found by the plan: the petition already recorded, or the earlier row of the same list,
    # that this row repeats (the same petitioner and content, folded).
    repeats: Petition | None = None
    repeats_row: int | None = None
    # Whether the lead unit has a member to answer for it (a unit without one cannot lead).
    lead_answers: bool = True

    @property
    def can_be_assigned(self) -> bool:
        return self.lead is not None and self.data.topic is not None and self.lead_answers

    @property
    def fingerprint(self) -> str:
        return intake_fingerprint(self.data.petitioner_name, self.data.content)

    @property
    def is_repeat(self) -> bool:
        return self.repeats is not None or self.repeats_row is not None


class Mapper:
    """Matches a list's names for topics, agencies and hamlets to the commune's own.

    Reference data is loaded once; a name matches folded (no accents, no case), by the
    record's name or one of its other names (`aliases`, one per line).
    """

    def __init__(self) -> None:
        self.topics = list(Topic.objects.filter(is_active=True))
        self.departments = list(Department.objects.active())
        self.answering = services.units_with_members(self.departments)
        self.units = list(ResidentialUnit.objects.filter(is_active=True))
        self._topic_exact: dict[str, Topic] = {}
        self._topic_words: list[tuple[frozenset[str], Topic]] = []
        for topic in self.topics:
            for label in (topic.name, *topic.aliases.splitlines()):
                if label.strip():
                    self._topic_exact.setdefault(fold_words(label), topic)
                    self._topic_words.append((_words(label), topic))
        self._departments: dict[str, Department] = {}
        for department in self.departments:
            labels = (department.name, department.short_name, *department.aliases.splitlines())
            for label in labels:
                key = fold_words(label)
                if key:
                    self._departments.setdefault(key, department)
                    self._departments.setdefault(_without_commune(key), department)
        self._units: dict[str, ResidentialUnit] = {}
        for unit in self.units:
            kind = "xom" if unit.kind == ResidentialUnit.Kind.HAMLET else "khoi"
            self._units.setdefault(f"{kind} {fold_words(unit.name)}", unit)

    # Topics

    def match_topic(self, text: str, group: str | None = None) -> tuple[Topic | None, list[Topic]]:
        """The topic a text names, or None and the equally likely candidates."""
        exact = self._topic_exact.get(fold_words(text))
        if exact:
            return exact, []
        words = _words(text)
        if not words:
            return None, []
        best: dict[int, tuple[float, float]] = {}
        for label_words, topic in self._topic_words:
            common = len(words & label_words)
            if not common:
                continue
            score = (common / len(words), common / len(words | label_words))
            best[topic.pk] = max(best.get(topic.pk, (0.0, 0.0)), score)
        candidates = [t for t in self.topics if t.pk in best and best[t.pk][0] >= 0.5]
        if group and any(t.group == group for t in candidates):
            candidates = [t for t in candidates if t.group == group]
        if not candidates:
            return None, []
        top = max(best[t.pk] for t in candidates)
        candidates = [t for t in candidates if best[t.pk] == top]
        return (candidates[0], []) if len(candidates) == 1 else (None, candidates)

    def topic_for_section(self, section: str) -> Topic | None:
        """When the topic cell is empty: the section's group, if it has one topic, or the
        topic the section title names ("IV. HOẠT ĐỘNG CỦA HỆ THỐNG CHÍNH TRỊ")."""
        group = group_of_section(section)
        if group is None:
            return None
        in_group = [t for t in self.topics if t.group == group]
        if len(in_group) == 1:
            return in_group[0]
        title = re.sub(r"^\s*[IVXLCivxlc]+\s*[.)/:-]\s*", "", section)
        topic, _candidates = self.match_topic(title, group)
        return topic if topic and topic.group == group else None

    # Departments

    def match_department(self, text: str) -> Department | None:
        key = fold_words(text)
        return self._departments.get(key) or self._departments.get(_without_commune(key))

    def match_departments(self, text: str) -> tuple[list[Department], list[str]]:
        """The agencies of a cell, first the lead: "Phòng Văn hóa - Xã hội; Công an xã".

        A parenthesis names the more specific agency: "UBND xã (Phòng Kinh tế)" is Phòng
        Kinh tế. Returns what was found and the parts that were not recognised.
        """
        found, unknown = [], []
        for part in re.split(r"[;\n]+", text):
            part = part.strip(" \t.,-\u2013\u2014\u2022+*")
            if not part:
                continue
            departments = self._department_part(part)
            if departments:
                found.extend(d for d in departments if d not in found)
            else:
                unknown.append(part)
        return found, unknown

    def _department_part(self, part: str) -> list[Department]:
        bracket = re.fullmatch(r"(.*?)\((.*)\)\s*", part)
        if bracket:
            outer, inner = bracket.group(1).strip(), bracket.group(2)
            specific = self._all_or_nothing(re.split(r"[,;]", inner))
            if specific:
                return specific
            department = self.match_department(outer) if outer else None
            return [department] if department else []
        department = self.match_department(part)
        if department:
            return [department]
        return self._all_or_nothing(part.split(","))

    def _all_or_nothing(self, names: list[str]) -> list[Department]:
        departments = [self.match_department(name) for name in names if name.strip()]
        return departments if departments and all(departments) else []

    # Residential units

    def match_unit(self, text: str) -> ResidentialUnit | None:
        """The hamlet or block an address names: "Xóm Yên Thành", "Khối 3, xã Đô Lương"."""
        folded = f" {fold_words(text)} "
        matches = [key for key in self._units if f" {key} " in folded]
        return self._units[max(matches, key=len)] if matches else None

    # A row

    def map(
        self, row: SheetRow, titles: dict[str, str], base: dict
    ) -> tuple[PlannedPetition | None, list[RowError]]:
        values = row.values
        errors: list[RowError] = []
        warnings_: list[str] = []

        def error(key: str, message: str) -> None:
            errors.append(RowError(row.number, titles.get(key, key), message))

        group = group_of_section(row.section) if row.section else None
        topic_text = values.get("topic", "")
        topic = None
        if topic_text:
            topic, candidates = self.match_topic(topic_text, group)
            if candidates:
                error(
                    "topic",
                    _("topic “%(text)s” could be any of: %(names)s; write the topic's full name")
                    % {"text": topic_text, "names": "; ".join(t.name for t in candidates)},
                )
            elif topic is None:
                error(
                    "topic",
                    _(
                        "topic “%(text)s” is not recognised; use a topic's name from the list, "
                        "or ask the Party Building Committee to add it as another name of a topic"
                    )
                    % {"text": topic_text},
                )
        else:
            topic = self.topic_for_section(row.section) if row.section else None
            if topic is None:
                warnings_.append(_("No topic: the petition will wait to be classified."))

        departments, unknown = self.match_departments(values.get("departments", ""))
        for part in unknown:
            error(
                "departments",
                _(
                    "agency “%(text)s” is not recognised; use a department's name from the list "
                    "and separate several agencies with “;”"
                )
                % {"text": part},
            )
        if not values.get("departments"):
            warnings_.append(_("No agency is proposed: the petition must be assigned by hand."))
        lead_answers = not departments or departments[0].pk in self.answering
        if not lead_answers:
            warnings_.append(
                _(
                    "%(unit)s has no member to answer for it yet: the petition will wait to be "
                    "assigned by hand."
                )
                % {"unit": departments[0].name}
            )

        address = values.get("address", "").replace("\n", ", ")
        petitioner = values.get("petitioner", "").replace("\n", " ")
        unit = self.match_unit(address) if address else None
        if address and unit is None:
            warnings_.append(
                _("“%(address)s” is not a hamlet or block in the list; only the address is kept.")
                % {"address": address}
            )
        if not address and petitioner:
            unit = self.match_unit(petitioner)

        note = values.get("note", "")
        folded_note = fold(note)
        people = int(values["people"]) if values.get("people", "").isdigit() else 0
        if not people:
            counts = [int(n) for n in _PEOPLE_IN_TEXT.findall(f"{folded_note} {fold(petitioner)}")]
            people = max(counts, default=0)
        is_group = looks_like_group(petitioner) or people > 1
        if is_group and not people:
            # Lists rarely count the voters of a hamlet or the members of an organisation.
            people = 2
            warnings_.append(
                _(
                    "The number of people is not given: counted as 2, the fewest a group has. "
                    "Correct it on the petition if it is known."
                )
            )
        people = people or 1
        hide = fold_words(values.get("confidential", "")) in _YES or bool(
            _CONFIDENTIAL_TEXT.search(folded_note)
        )
        content = values.get("content", "")
        folded_content = fold(content)
        if _LEGAL_TEXT.search(folded_content):
            warnings_.append(
                _(
                    "The content mentions a complaint or a denunciation: check whether it must "
                    "follow its legal procedure."
                )
            )
        if errors:
            return None, errors
        kind = Petition.Kind.REQUEST
        if folded_content.startswith("phan anh"):
            kind = Petition.Kind.FEEDBACK
        elif folded_content.startswith("de xuat"):
            kind = Petition.Kind.PROPOSAL
        data = PetitionData(
            summary=summary_of(content),
            content=content,
            petitioner_name=petitioner,
            petitioner_phone=_phone(values.get("phone", "")),
            petitioner_address=address,
            residential_unit=unit,
            is_group=is_group,
            people_count=people,
            hide_identity=hide,
            topic=topic,
            urgency=(
                Petition.Urgency.PRESSING
                if _PRESSING_TEXT.search(folded_note)
                else Petition.Urgency.NORMAL
            ),
            kind=kind,
            **base,
        )
        for refusal in services.petition_data_errors(data):
            # Intake's own rules, as the form applies them; the column is the field's. The
            # list's date is checked once for the whole list, above.
            if refusal.field != "received_on":
                error(_FIELD_COLUMNS.get(refusal.field, ""), refusal.message)
        if errors:
            return None, errors
        planned = PlannedPetition(
            row=row.number,
            data=data,
            lead=departments[0] if departments else None,
            lead_answers=lead_answers,
            supporting=departments[1:],
            section=row.section,
            note=note,
            warnings=warnings_,
        )
        return planned, []


# Which column of the list an intake field comes from, to place the service's refusals.
_FIELD_COLUMNS = {
    "people_count": "people",
    "petitioner_name": "petitioner",
    "content": "content",
}


def _without_commune(key: str) -> str:
    """ "hoi nong dan xa" and "hoi nong dan" name the same body."""
    return key[: -len(" xa")] if key.endswith(" xa") else key


def _phone(text: str) -> str:
    """A mobile number typed into a number cell loses its leading zero: 912345678."""
    digits = re.sub(r"\D", "", text)
    if text.isdigit() and len(digits) == 9:
        return "0" + text
    return text
