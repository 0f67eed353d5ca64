"""G6: the answer is due 24 hours later, counting weekdays only, in the customer's time zone."""
from datetime import date, datetime

import pytest

from server.customers import demo_customer
from server.workdays import add_working_time, expected_answer_by

HELSINKI = "Europe/Helsinki"


@pytest.mark.parametrize("received, due", [
    ("2026-11-25T10:00:00+02:00", "2026-11-26T10:00:00+02:00"),  # Wednesday → Thursday
    ("2026-11-27T10:00:00+02:00", "2026-11-30T10:00:00+02:00"),  # Friday → Monday
    ("2026-11-28T10:00:00+02:00", "2026-12-01T00:00:00+02:00"),  # Saturday: from Monday 00:00
    ("2026-11-29T23:59:00+02:00", "2026-12-01T00:00:00+02:00"),  # Sunday night
    ("2026-11-27T23:30:00+02:00", "2026-11-30T23:30:00+02:00"),  # half an hour of Friday
    ("2026-11-27T08:00:00+00:00", "2026-11-30T10:00:00+02:00"),  # UTC in, Helsinki out
])
def test_weekends_are_skipped(received, due):
    assert add_working_time(datetime.fromisoformat(received), HELSINKI).isoformat() == due


def test_holidays_are_skipped():
    holidays = {date(2026, 12, 24), date(2026, 12, 25)}
    due = add_working_time(datetime.fromisoformat("2026-12-23T15:00:00+02:00"), HELSINKI,
                           holidays)
    assert due.isoformat() == "2026-12-28T15:00:00+02:00"


def test_daylight_saving_change_keeps_the_wall_clock():
    due = add_working_time(datetime.fromisoformat("2026-03-27T10:00:00+02:00"), HELSINKI)
    assert due.isoformat() == "2026-03-30T10:00:00+03:00"


def test_customer_time_zone_decides_the_day():
    # Friday 23:30 in Helsinki is still Friday 22:30 in Stockholm.
    received = datetime.fromisoformat("2026-11-27T21:30:00+00:00")
    assert add_working_time(received, "Europe/Stockholm").isoformat() == \
        "2026-11-30T22:30:00+01:00"


def test_expected_answer_by_is_iso_8601_with_offset():
    text = expected_answer_by(datetime.fromisoformat("2026-11-25T10:00:00.123456+02:00"),
                              demo_customer())
    assert text == "2026-11-26T10:00:00+02:00"
    assert datetime.fromisoformat(text).utcoffset() is not None
