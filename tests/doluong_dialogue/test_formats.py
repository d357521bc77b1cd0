from datetime import UTC, date, datetime

import pytest
from django import forms
from django.utils import timezone
from django.utils.formats import date_format

from doluong_dialogue.models import CalendarException


def test_a_typed_date_is_read_day_first():
    field = forms.DateField()
    assert field.clean("05/03/2026") == date(2026, 3, 5)
    assert field.clean("25/03/2026") == date(2026, 3, 25)


def test_a_month_that_does_not_exist_is_refused_in_vietnamese():
    with pytest.raises(forms.ValidationError) as error:
        forms.DateField().clean("03/25/2026")
    assert error.value.messages == ["Nhập một ngày hợp lệ."]


def test_dates_are_shown_as_dd_mm_yyyy_in_ho_chi_minh_time():
    assert date_format(date(2026, 3, 5)) == "05/03/2026"
    late_evening_utc = datetime(2026, 3, 5, 18, 30, tzinfo=UTC)
    assert date_format(timezone.localtime(late_evening_utc), "DATETIME_FORMAT") == (
        "01:30 06/03/2026"
    )


@pytest.mark.django_db
def test_typing_05_03_2026_in_a_date_field_stores_5_march(admin_client):
    response = admin_client.post(
        "/admin/doluong_dialogue/calendarexception/add/",
        {"day": "05/03/2026", "kind": "day_off", "note": "Nghỉ thêm"},
    )
    assert response.status_code == 302
    assert CalendarException.objects.get(note="Nghỉ thêm").day == date(2026, 3, 5)
