"""The forms a page offers, read from its HTML: where they go and what fields they send."""

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, file, date, hidden, number, ...
    options: list[str] = field(default_factory=list)
    value: str = ""


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def signature(self) -> tuple:
        return (self.method, tuple(sorted(self.fields)))


def _is_date(name: str, attrs: dict) -> bool:
    hints = (attrs.get("class") or "") + (attrs.get("placeholder") or "") + name
    return any(hint in hints for hint in ("date", "dd/mm", "_on", "deadline", "day"))


class _Parser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.select: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = Form(
                attrs.get("action") or self.page_url, (attrs.get("method") or "get").lower()
            )
            self.forms.append(self.current)
            return
        if self.current is None or not attrs.get("name"):
            if tag == "option" and self.select is not None:
                self.select.options.append(attrs.get("value", ""))
            return
        name = attrs["name"]
        if name == "csrfmiddlewaretoken":
            return
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            known = self.current.fields.get(name)
            if known and kind in ("checkbox", "radio"):
                known.options.append(attrs.get("value", "on"))
                return
            self.current.fields[name] = Field(
                name,
                "date" if kind == "date" or _is_date(name, attrs) else kind,
                [attrs.get("value", "on")] if kind in ("checkbox", "radio") else [],
                attrs.get("value", ""),
            )
        elif tag == "textarea":
            self.current.fields[name] = Field(name, "textarea")
        elif tag == "select":
            self.select = self.current.fields[name] = Field(name, "select")
        elif tag == "option" and self.select is not None:
            self.select.options.append(attrs.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None


def forms_of(html: str, page_url: str) -> list[Form]:
    parser = _Parser(page_url)
    parser.feed(html)
    return [form for form in parser.forms if form.fields]
