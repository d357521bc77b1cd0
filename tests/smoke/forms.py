"""The forms of an HTML page, read as a browser would, to submit them over real HTTP."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    # Each select's options as (value, label), to choose one by its label.
    options: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def data(self, **changes) -> dict:
        """The values the browser would send, with `changes` (name: value) made."""
        values: dict[str, str | list[str]] = {}
        for name, value in self.fields:
            if name in values:
                existing = values[name]
                values[name] = [*(existing if isinstance(existing, list) else [existing]), value]
            else:
                values[name] = value
        values.update(changes)
        return values

    def option(self, name: str, label: str) -> str:
        """The value of the option of select `name` whose label contains `label`."""
        for value, text in self.options.get(name, []):
            if label in text:
                return value
        raise LookupError(f"no option {label!r} in {name}: {self.options.get(name)}")

    def first_option(self, name: str) -> str:
        return next(value for value, _text in self.options[name] if value)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._option: tuple[str, bool] | None = None
        self._option_text = ""
        self._select_chosen: str | None = None
        self._textarea: str | None = None
        self._textarea_text = ""

    @property
    def form(self) -> Form | None:
        return self.forms[-1] if self.forms else None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                Form(action=attrs.get("action") or "", method=(attrs.get("method") or "get"))
            )
        elif self.form is None or "disabled" in attrs:
            return
        elif tag == "input" and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.form.fields.append(
                (
                    attrs["name"],
                    attrs.get("value") or ("on" if kind in {"checkbox", "radio"} else ""),
                )
            )
        elif tag == "select" and attrs.get("name"):
            self._select = attrs["name"]
            self._select_chosen = None
            self.form.options[self._select] = []
        elif tag == "option" and self._select:
            self._option = (attrs.get("value", ""), "selected" in attrs)
            self._option_text = ""
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._textarea_text = ""

    def handle_data(self, data):
        if self._option is not None:
            self._option_text += data
        if self._textarea is not None:
            self._textarea_text += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None and self._select:
            value, selected = self._option
            self.form.options[self._select].append((value, self._option_text.strip()))
            if selected or (
                self._select_chosen is None and not self.form.options[self._select][1:]
            ):
                self._select_chosen = value
            self._option = None
        elif tag == "select" and self._select:
            if self._select_chosen is not None:
                self.form.fields.append((self._select, self._select_chosen))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.form.fields.append((self._textarea, self._textarea_text.lstrip("\n")))
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    reader = _Reader()
    reader.feed(html)
    return reader.forms


def form_to(html: str, action: str, page: str = "") -> Form:
    """The page's POST form whose action contains `action`; with `action` empty, the form
    that posts back to the page itself (no action, or the page's own path)."""
    for form in forms_of(html):
        if form.method.lower() != "post":
            continue
        if (action and action in form.action) or (not action and form.action in ("", page)):
            return form
    actions = [form.action for form in forms_of(html)]
    raise LookupError(f"no form posting to {action or page!r}; the page has {actions}")
