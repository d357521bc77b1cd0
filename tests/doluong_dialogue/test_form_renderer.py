"""The form renderer writes drop-down lists out in Python: the same elements, attributes and
escaping as Django's templates write, for single and multiple choice, with groups."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from doluong_dialogue.forms import Renderer


class Elements(HTMLParser):
    """The elements of a fragment as (tag, sorted attributes) and their text, in order: the
    same markup whatever the whitespace and the order of the attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, tuple(sorted(attrs))))

    def handle_endtag(self, tag):
        self.found.append(("/" + tag,))

    def handle_data(self, data):
        if data.strip():
            self.found.append(("text", data.strip()))


def elements(html: str) -> list[tuple]:
    parser = Elements()
    parser.feed(html)
    return parser.found


CHOICES = [
    ("", "— chưa chọn —"),
    ("Xóm", [("1", "Xóm Yên Thịnh"), ("2", 'Xóm "Đông" <Hồ> & Bắc')]),
    ("Khối", [("3", "Khối 5")]),
]


@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=CHOICES, attrs={"class": "form-select", "required": True}), "2"),
        (forms.Select(choices=[("a", "Một"), ("b", "Hai")], attrs={"disabled": True}), None),
        (forms.SelectMultiple(choices=CHOICES, attrs={"aria-describedby": "x"}), ["1", "3"]),
        (forms.NullBooleanSelect(), True),
    ],
)
def test_a_list_is_written_as_django_s_templates_write_it(widget, value):
    ours = widget.render("hamlet", value, attrs={"id": "id_hamlet"}, renderer=Renderer())
    django = widget.render("hamlet", value, attrs={"id": "id_hamlet"}, renderer=DjangoTemplates())
    assert elements(ours) == elements(django)


def test_labels_and_values_are_escaped():
    html = forms.Select(choices=[*CHOICES, ('"><b>', "x")]).render(
        "hamlet", None, renderer=Renderer()
    )
    assert "Xóm &quot;Đông&quot; &lt;Hồ&gt; &amp; Bắc" in html
    assert 'value="&quot;&gt;&lt;b&gt;"' in html
    assert "<b>" not in html


def test_the_project_renders_its_forms_with_it():
    class Form(forms.Form):
        hamlet = forms.ChoiceField(choices=CHOICES)

    assert isinstance(Form().renderer, Renderer)
    assert "selected>Xóm Yên Thịnh</option>" in str(Form(initial={"hamlet": "1"})["hamlet"])
