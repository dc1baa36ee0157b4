from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

from .spm_time import spm_rep_today, spm_todays


def _overdue_flag_stale(due_before, due_from):
    """Customers not flagged overdue though due before ``due_before``, or flagged
    though not due (no date, or due on or after ``due_from``)."""
    return [
        "|",
        "&",
        ("spm_visit_overdue", "=", False),
        ("spm_next_visit_due", "<", due_before),
        "&",
        ("spm_visit_overdue", "=", True),
        "|",
        ("spm_next_visit_due", "=", False),
        ("spm_next_visit_due", ">=", due_from),
    ]


class ResPartner(models.Model):
    """Revisit cadence of a customer (回访客户): last visit, next visit due, overdue."""

    _inherit = "res.partner"

    spm_visit_ids = fields.One2many("spm.visit", "partner_id", string="Visits")
    spm_visit_count = fields.Integer(string="Visit Count", compute="_compute_spm_visit_count")
    spm_visit_interval_days = fields.Integer(
        string="Revisit Interval (days)",
        help="Days between two visits of this customer; 0 follows the interval of its class.",
    )
    spm_last_visit_date = fields.Date(
        string="Last Visit",
        compute="_compute_spm_last_visit_date",
        store=True,
        index="btree_not_null",
    )
    spm_next_visit_due = fields.Date(
        string="Next Visit Due",
        compute="_compute_spm_next_visit_due",
        store=True,
        index="btree_not_null",
        help="Last visit plus the revisit interval of the customer or of its class.",
    )
    spm_visit_overdue = fields.Boolean(
        string="Visit Overdue",
        compute="_compute_spm_visit_overdue",
        store=True,
        help="The customer is past its revisit date; refreshed daily.",
    )

    def _compute_spm_visit_count(self):
        counts = dict(
            self.env["spm.visit"]._read_group(
                [("partner_id", "in", self.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.spm_visit_count = counts.get(partner._origin, 0)

    @api.depends("spm_visit_ids.state", "spm_visit_ids.visit_date")
    def _compute_spm_last_visit_date(self):
        last = dict(
            self.env["spm.visit"]
            .sudo()
            ._read_group(
                [("partner_id", "in", self.ids), ("state", "=", "done")],
                ["partner_id"],
                ["visit_date:max"],
            )
        )
        for partner in self:
            partner.spm_last_visit_date = last.get(partner._origin, False)

    def _spm_visit_interval(self):
        """Effective revisit interval in days (0 = no cadence)."""
        self.ensure_one()
        if self.spm_visit_interval_days > 0:
            return self.spm_visit_interval_days
        if not self.spm_tier:
            return 0
        company = self.company_id or self.env.company
        return company[f"spm_visit_interval_{self.spm_tier.lower()}"]

    @api.depends("spm_last_visit_date", "spm_tier", "spm_visit_interval_days", "parent_id")
    def _compute_spm_next_visit_due(self):
        for partner in self:
            interval = not partner.parent_id and partner._spm_visit_interval()
            if not interval:
                partner.spm_next_visit_due = False
            elif partner.spm_last_visit_date:
                partner.spm_next_visit_due = partner.spm_last_visit_date + timedelta(days=interval)
            else:
                # never visited: due from the day it entered the archive
                created = partner.create_date or fields.Datetime.now()
                partner.spm_next_visit_due = created.date()

    def _spm_today(self):
        """Today for the customer: on its rep's clock, else its company's
        (``spm_rep_today``), never in the timezone of whoever runs the cron."""
        self.ensure_one()
        return spm_rep_today(self.user_id, self.company_id or self.env.company)

    @api.depends("spm_next_visit_due", "user_id.tz")
    def _compute_spm_visit_overdue(self):
        for partner in self:
            partner.spm_visit_overdue = bool(
                partner.spm_next_visit_due and partner.spm_next_visit_due < partner._spm_today()
            )

    @api.model
    def _spm_visit_overdue_stale_domain(self, domain=()):
        """Customers (among ``domain``) whose overdue flag is stale: past their due
        date on their own day (``_spm_today``) and not flagged, or flagged and not
        past it. Today differs by timezone (UTC-12 to UTC+14): the customers near the
        day's edge in any of them are grouped by rep and company, each group decided
        on its own day."""
        now = fields.Datetime.now()
        earliest, latest = spm_todays(now)
        near_the_edge = [*domain, *_overdue_flag_stale(due_before=latest, due_from=earliest)]
        today_by_group = {
            (user, company): spm_rep_today(user, company or self.env.company, now=now)
            for user, company in self.with_context(active_test=False)._read_group(
                near_the_edge, ["user_id", "company_id"]
            )
        }
        # a rep with a timezone has one day whatever the company: one term per day
        days_by_user = defaultdict(set)
        for (user, _company), today in today_by_group.items():
            days_by_user[user].add(today)
        groups_by_today = defaultdict(list)
        users_by_today = defaultdict(set)
        for (user, company), today in today_by_group.items():
            if len(days_by_user[user]) == 1:
                users_by_today[today].add(user.id)
            else:
                groups_by_today[today].append(
                    [("user_id", "=", user.id), ("company_id", "=", company.id)]
                )
        stale = []
        for today in users_by_today.keys() | groups_by_today.keys():
            scope = groups_by_today[today]
            if users_by_today[today]:
                scope.append([("user_id", "in", list(users_by_today[today]))])
            stale.append(
                [*expression.OR(scope), *_overdue_flag_stale(due_before=today, due_from=today)]
            )
        return [*domain, *expression.OR(stale)] if stale else expression.FALSE_DOMAIN

    @api.model
    def _spm_refresh_visit_overdue(self, domain=(), limit=None, stale_domain=None):
        """Days pass: flip the overdue flag of (at most ``limit``) customers among
        ``domain`` whose due date was crossed. Returns those whose flag changed."""
        if stale_domain is None:
            stale_domain = self._spm_visit_overdue_stale_domain(domain)
        stale = self.with_context(active_test=False).search(stale_domain, order="id", limit=limit)
        if not stale:
            return stale
        flagged = stale.filtered("spm_visit_overdue")
        self.env.add_to_compute(self._fields["spm_visit_overdue"], stale)
        stale.flush_recordset(["spm_visit_overdue"])
        return stale.filtered(lambda partner: partner.spm_visit_overdue != (partner in flagged))

    @api.model
    def _spm_company_customers_domain(self, companies):
        """The customers whose cadence follows ``companies``: their own, and the
        shared customers (no company) when the current company is among them, as a
        shared customer follows the current company (its intervals, its horizon)."""
        domain = [("company_id", "in", companies.ids)]
        if self.env.company in companies:
            domain = expression.OR([[("company_id", "=", False)], domain])
        return domain

    @api.model
    def _spm_recompute_visit_due(self, companies):
        """The intervals of ``companies`` changed: recompute the due dates of their
        classified customers (and of shared customers, which follow the current
        company), except those with their own interval."""
        partners = self.with_context(active_test=False).search(
            [
                ("parent_id", "=", False),
                ("spm_tier", "!=", False),
                ("spm_visit_interval_days", "<=", 0),
                *self._spm_company_customers_domain(companies),
            ]
        )
        self.env.add_to_compute(self._fields["spm_next_visit_due"], partners)
        partners.flush_recordset(["spm_next_visit_due", "spm_visit_overdue"])
        return partners

    @api.constrains("spm_visit_interval_days")
    def _check_spm_visit_interval_days(self):
        for partner in self:
            if partner.spm_visit_interval_days < 0:
                raise ValidationError(
                    self.env._(
                        "The revisit interval of %(partner)s cannot be negative; use 0 to "
                        "follow its class.",
                        partner=partner.display_name,
                    )
                )

    def action_spm_view_visits(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_visit_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {
            "default_partner_id": self.commercial_partner_id.id,
            "search_default_filter_mine": 0,
        }
        action["view_mode"] = "list,kanban,calendar,form"
        action["views"] = [(False, mode) for mode in ("list", "kanban", "calendar", "form")]
        return action
