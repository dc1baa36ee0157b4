"""Whether a visit's day is past, today or to come on its rep's clock (``spm_time``),
for the Today, My Day and Overdue filters: the day the server knows for the rep, not
the day of the browser that shows the list (a phone on another clock, a manager
elsewhere looking at the team's visits)."""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from .spm_time import spm_rep_today

REP_DAYS = [("past", "Past"), ("today", "Today"), ("upcoming", "Upcoming")]
_VISIT_DATE_OPERATOR = {"past": "<", "today": "=", "upcoming": ">"}


def _rep_day(visit_date, today):
    if visit_date < today:
        return "past"
    return "today" if visit_date == today else "upcoming"


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    rep_day = fields.Selection(
        REP_DAYS,
        string="Day for the Rep",
        compute="_compute_rep_day",
        search="_search_rep_day",
        help="Whether the visit's day is past, today or to come on its rep's clock.",
    )

    @api.depends("visit_date", "user_id")
    def _compute_rep_day(self):
        for visit in self:
            visit.rep_day = visit.visit_date and _rep_day(
                visit.visit_date, spm_rep_today(visit.user_id)
            )

    @api.model
    def _spm_reps_by_today(self):
        """``{today: user ids}`` over the internal users (``False`` for visits without a
        rep): as many keys as there are local dates on earth now, two at most."""
        Users = self.env["res.users"].sudo().with_context(active_test=False)
        reps_by_today = defaultdict(list)
        for rep in Users.search([("share", "=", False)]):
            reps_by_today[spm_rep_today(rep)].append(rep.id)
        reps_by_today[spm_rep_today(Users)].append(False)
        return reps_by_today

    def _search_rep_day(self, operator, value):
        values = value if isinstance(value, (list, tuple)) else [value]
        if operator not in ("=", "!=", "in", "not in") or not all(
            day is False or (isinstance(day, str) and day in _VISIT_DATE_OPERATOR) for day in values
        ):
            raise UserError(
                self.env._(
                    "Day for the Rep: search it for past, today or upcoming, not %(search)s.",
                    search=f"{operator} {value!r}",
                )
            )
        reps_by_today = self._spm_reps_by_today()
        domains = [[("visit_date", "=", False)]] if False in values else []
        for day in set(values) - {False}:
            compare = _VISIT_DATE_OPERATOR[day]
            if len(reps_by_today) == 1:  # everybody on the same day
                domains.append([("visit_date", compare, next(iter(reps_by_today)))])
                continue
            domains.extend(
                [("user_id", "in", rep_ids), ("visit_date", compare, today)]
                for today, rep_ids in reps_by_today.items()
            )
        domain = expression.OR(domains) if domains else expression.FALSE_DOMAIN
        return ["!", *domain] if operator in ("!=", "not in") else domain
