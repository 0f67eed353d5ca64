"""G6: support answers within 24 hours counted on weekdays only, in the customer's time zone."""
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ANSWER_WITHIN = timedelta(hours=24)
MAX_DAYS_SCANNED = 400  # a year of holidays cannot stall the loop


def is_workday(day: date, holidays) -> bool:
    """Monday to Friday, and not one of the customer's holidays."""
    return day.weekday() < 5 and day not in holidays


def add_working_time(start: datetime, timezone: str, holidays=frozenset(),
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
        if is_workday(cursor.date(), holidays):
            step = min(remaining, next_midnight - cursor)
            cursor += step
            remaining -= step
            if not remaining:
                break
        cursor = next_midnight
    return cursor.replace(tzinfo=zone)


def expected_answer_by(received_at: datetime, customer) -> str:
    """The ISO 8601 time (with offset) by which support promises to answer (G6)."""
    moment = add_working_time(received_at, customer.timezone, customer.holidays)
    return moment.isoformat(timespec="seconds")
