"""Today and now in the timezone of the customer or of the rep.

One helper for the whole addon: a visit's day, the revisit cadence, collection slots and
the discount budget's day are all decided on the clock of the people concerned, never on
the clock of whoever runs the scheduled action (UTC on most servers).

Each caller names whose clock counts, in order of preference: records (a customer, a
rep, a company) or timezone names. The first valid timezone wins; UTC when none has one.
A company counts by its own partner's timezone.

The rep's working day (a visit's day, a customer's revisit due, the scheduled actions that
mark visits missed and customers overdue) is on one clock, ``spm_rep_tz``: the rep's
timezone, else the rep's company's, else the given company's (a customer without a rep),
else UTC. Never the timezone in the context, which is the clock of whoever runs the
computation: a stored day or flag is the same whoever computes it.
"""

from datetime import datetime, time, timedelta

import pytz

from odoo import fields


def _tz_name(candidate):
    if not candidate:
        return None
    if isinstance(candidate, str):
        return candidate
    if candidate._name == "res.company":
        return candidate.partner_id.tz
    return candidate.tz


def spm_tz(*candidates):
    """The pytz timezone of the first candidate that has a valid one, else UTC."""
    for candidate in candidates:
        name = _tz_name(candidate)
        if name and name in pytz.all_timezones_set:
            return pytz.timezone(name)
    return pytz.utc


def spm_now(*candidates, now=None):
    """Aware local datetime of ``now`` (naive UTC, default the current time)."""
    return pytz.utc.localize(now or fields.Datetime.now()).astimezone(spm_tz(*candidates))


def spm_today(*candidates, now=None):
    """The local date of ``now`` (naive UTC, default the current time)."""
    return spm_now(*candidates, now=now).date()


def spm_rep_tz(rep, company=None):
    """The clock of ``rep``'s working day (see the module docstring); ``company`` is
    the fallback when the rep (or the rep's company) has no timezone."""
    return spm_tz(rep, rep.company_id, company)


def spm_rep_today(rep, company=None, now=None):
    """The local date of ``now`` (naive UTC, default the current time) on ``rep``'s
    clock (``spm_rep_tz``)."""
    return spm_today(rep, rep.company_id, company, now=now)


def spm_local_to_utc(tz, day, hour):
    """Naive UTC datetime of ``hour`` o'clock (an int) of ``day`` in ``tz``."""
    local = tz.localize(datetime.combine(day, time(hour)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


def spm_todays(now=None):
    """``(earliest, latest)``: the first and the last local date of ``now`` (naive UTC,
    default the current time) anywhere on earth (timezones run from UTC-12 to UTC+14).
    A day before ``earliest`` has passed everywhere; a day after ``latest`` has begun
    nowhere."""
    now = now or fields.Datetime.now()
    return (now - timedelta(hours=12)).date(), (now + timedelta(hours=14)).date()
