"""Ageing by days past due: the one definition of the buckets, for the collection
ageing report (in SQL) and the customer statement (in Python)."""

from odoo.tools import SQL

AGEING_BUCKETS = [
    ("not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("31_60", "31-60 Days"),
    ("61_90", "61-90 Days"),
    ("over_90", "Over 90 Days"),
]
# The most days past due of each bucket; the last bucket takes the rest.
_LIMITS = ((0, "not_due"), (30, "1_30"), (60, "31_60"), (90, "61_90"))


def age_bucket(days_past_due):
    """The bucket of a number of days past due (0 or less: not due)."""
    return next((key for limit, key in _LIMITS if days_past_due <= limit), AGEING_BUCKETS[-1][0])


def age_bucket_sql(days_past_due):
    """The bucket of ``days_past_due`` (an SQL expression) as an SQL expression."""
    whens = SQL(" ").join(
        SQL("WHEN %s <= %s THEN %s", days_past_due, limit, key) for limit, key in _LIMITS
    )
    return SQL("CASE %s ELSE %s END", whens, AGEING_BUCKETS[-1][0])
