"""Dates are typed as dd/mm/yyyy; a date that does not exist is said not to exist."""

import pytest
from django import forms

from doluong_dialogue.forms import DateField


class Form(forms.Form):
    day = DateField()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/2026", "Không có ngày 31/02/2026: tháng 2 năm 2026 có 28 ngày."),
        ("29/02/2027", "Không có ngày 29/02/2027: tháng 2 năm 2027 có 28 ngày."),
        ("31/04/2026", "Không có ngày 31/04/2026: tháng 4 năm 2026 có 30 ngày."),
        ("12/13/2026", "Không có tháng 13: tháng chỉ từ 1 đến 12."),
        ("hôm qua", "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 05/03/2026."),
    ],
)
def test_a_date_that_does_not_exist_is_not_called_badly_typed(typed, message):
    form = Form({"day": typed})
    assert form.errors["day"] == [message]


def test_a_leap_day_exists():
    form = Form({"day": "29/02/2028"})
    assert form.is_valid()
