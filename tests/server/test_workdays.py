"""G6: the answer is due 24 hours later, counting weekdays only, in the customer's time zone."""
import dataclasses
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


def finnish_customer(**changes):
    return dataclasses.replace(demo_customer(), **changes)


@pytest.mark.parametrize("received, due", [
    # Juhannusaatto (Midsummer Eve), Friday 19 June 2026: Thursday's report is due Monday.
    ("2026-06-18T10:00:00+03:00", "2026-06-22T10:00:00+03:00"),
    # Itsenäisyyspäivä (Independence Day), Monday 6 December 2027: Friday's is due Tuesday.
    ("2027-12-03T10:00:00+02:00", "2027-12-07T10:00:00+02:00"),
    # Pitkäperjantai and 2. pääsiäispäivä (Good Friday, Easter Monday 29 March 2027).
    ("2027-03-25T10:00:00+02:00", "2027-03-30T10:00:00+03:00"),
])
def test_finnish_public_holidays_come_from_the_holidays_library(received, due):
    """No customer types these days: the default country, FI, gives them (G6)."""
    customer = finnish_customer()
    assert (customer.country, customer.extra_holidays) == ("FI", frozenset())
    assert expected_answer_by(datetime.fromisoformat(received), customer) == due


def test_the_customers_country_decides_its_public_holidays():
    # 6 December is Finland's Independence Day, a working day in Sweden.
    received = datetime.fromisoformat("2027-12-03T10:00:00+01:00")
    swedish = finnish_customer(country="SE", timezone="Europe/Stockholm")
    assert expected_answer_by(received, swedish) == "2027-12-06T10:00:00+01:00"


def test_a_customers_extra_days_add_to_its_countrys_holidays():
    # Thursday 31 December 2026 is the customer's own day off; 1 January is a public holiday.
    customer = finnish_customer(extra_holidays=frozenset({date(2026, 12, 31)}))
    received = datetime.fromisoformat("2026-12-30T10:00:00+02:00")
    assert expected_answer_by(received, customer) == "2027-01-04T10:00:00+02:00"
    assert expected_answer_by(received, finnish_customer()) == "2026-12-31T10:00:00+02:00"
