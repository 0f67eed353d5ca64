"""G6: support answers within 24 hours counted on working days, in the customer's time zone.

Working days are Monday to Friday, less the public holidays of the customer's country (the
`holidays` library) and the customer's own extra days off.
"""
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

ANSWER_WITHIN = timedelta(hours=24)
MAX_DAYS_SCANNED = 400  # a year of holidays cannot stall the loop


@lru_cache(maxsize=64)
def public_holidays(country: str, year: int) -> frozenset[date]:
    """The country's public holidays of one year, computed once per process."""
    return frozenset(holidays.country_holidays(country, years=year))


@dataclass(frozen=True)
class DaysOff:
    """A customer's days off besides weekends: its country's public holidays and its own."""

    country: str | None = None
    extra: frozenset[date] = field(default_factory=frozenset)

    def __contains__(self, day: date) -> bool:
        return day in self.extra or (self.country is not None
                                     and day in public_holidays(self.country, day.year))


def is_workday(day: date, days_off) -> bool:
    """Monday to Friday, and not one of the customer's days off."""
    return day.weekday() < 5 and day not in days_off


def add_working_time(start: datetime, timezone: str, days_off=DaysOff(),
                     duration: timedelta = ANSWER_WITHIN) -> datetime:
    """`start` plus `duration`, counting only the hours of working days, on the local clock.

    Wall-clock arithmetic: Friday 10:00 + 24 h is Monday 10:00 even across a DST change;
    a report on Saturday starts counting at Monday 00:00.
    """
    zone = ZoneInfo(timezone)
    cursor = start.astimezone(zone).replace(tzinfo=None)
    remaining = duration
    for _ in range(MAX_DAYS_SCANNED):
        next_midnight = datetime.combine(cursor.date() + timedelta(days=1), time())
        if is_workday(cursor.date(), days_off):
            step = min(remaining, next_midnight - cursor)
            cursor += step
            remaining -= step
            if not remaining:
                break
        cursor = next_midnight
    return cursor.replace(tzinfo=zone)


def expected_answer_by(received_at: datetime, customer) -> str:
    """The ISO 8601 time (with offset) by which support promises to answer (G6)."""
    days_off = DaysOff(customer.country, customer.extra_holidays)
    moment = add_working_time(received_at, customer.timezone, days_off)
    return moment.isoformat(timespec="seconds")
