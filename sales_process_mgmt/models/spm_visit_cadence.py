import logging
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.osv import expression

from .spm_bulk import create_in_bulk
from .spm_cron import REMAINING_BATCHES, in_scheduler, run_batches
from .spm_time import spm_local_to_utc, spm_rep_today, spm_rep_tz, spm_today

_logger = logging.getLogger(__name__)

# Working hours in the rep's timezone used for the revisits the cadence plans.
WORKDAY_START_HOUR = 9
WORKDAY_SLOTS = 8


class SpmVisit(models.Model):
    """Revisit cadence (回访客户): the visit a rep promised at check-out, and the
    scheduled planning of a revisit and a to-do for every customer that is due."""

    _inherit = "spm.visit"

    @api.model
    def _spm_local_start(self, user, day, slot):
        """UTC naive datetime of working-hour ``slot`` of ``day`` in the rep's timezone."""
        hour = WORKDAY_START_HOUR + slot % WORKDAY_SLOTS
        return spm_local_to_utc(spm_rep_tz(user), day, hour)

    def _spm_plan_next_visit(self):
        """Plan the visit the rep promised (next visit date), unless one is planned."""
        self.ensure_one()
        if not self.next_visit_date:
            return self.browse()
        planned = self.sudo().search(
            [
                ("partner_id", "=", self.partner_id.id),
                ("state", "=", "planned"),
                ("visit_date", "<=", self.next_visit_date),
            ],
            order="planned_start",
            limit=1,
        )
        if planned:
            self.message_post(
                body=self.env._(
                    "No visit planned for %(date)s: %(visit)s on %(planned)s already comes first.",
                    date=self.next_visit_date,
                    visit=planned.name,
                    planned=planned.visit_date,
                )
            )
            return self.browse()
        start = self._spm_local_start(self.user_id, self.next_visit_date, 0)
        return self.browse().create(
            {
                "partner_id": self.partner_id.id,
                "contact_id": self.contact_id.id,
                "user_id": self.user_id.id,
                "company_id": self.company_id.id,
                "purpose": "revisit",
                "planned_start": start,
                "opportunity_id": self.opportunity_id.id,
                "objective": self.next_step,
            }
        )

    @api.model
    def _spm_revisit_domain(self):
        """Customers due for a revisit within each company's horizon, with an active
        rep and no open visit within that horizon."""
        by_company = []
        for company in (
            self.env["res.company"].sudo().search([("spm_revisit_horizon_days", ">=", 0)])
        ):
            # the company's day, not the day of whoever runs the cron
            today = spm_today(company)
            horizon = today + timedelta(days=company.spm_revisit_horizon_days)
            company_domain = self.env["res.partner"]._spm_company_customers_domain(company)
            # a visit planned beyond the horizon (a collection next month) does not
            # hold off a revisit that is due now
            # (a revisit of the cadence, even pushed later by a full agenda, does)
            open_soon = [
                "|",
                ("state", "=", "in_progress"),
                "&",
                ("state", "=", "planned"),
                "|",
                ("cadence_planned", "=", True),
                ("visit_date", "<=", horizon),
            ]
            by_company.append(
                [
                    "&",
                    "&",
                    ("spm_next_visit_due", "<=", horizon),
                    ("spm_visit_ids", "not any", open_soon),
                    *company_domain,
                ]
            )
        return [
            ("spm_next_visit_due", "!=", False),
            ("parent_id", "=", False),
            "|",
            ("user_id.active", "=", True),
            ("spm_region_id.user_id.active", "=", True),
            *expression.OR(by_company),
        ]

    @api.model
    def _cron_refresh_visit_overdue(self, batch_size=5000):
        """The customers' overdue flags change with the day (daily, before the
        revisits are planned). Returns the number of customers whose flag changed."""
        Partner = self.env["res.partner"]
        domain = Partner._spm_visit_overdue_stale_domain()

        def refresh_batch():
            stale = Partner._spm_refresh_visit_overdue(limit=batch_size, stale_domain=domain)
            remaining = (
                Partner.with_context(active_test=False).search_count(
                    domain, limit=REMAINING_BATCHES * batch_size
                )
                if len(stale) == batch_size
                else 0
            )
            return len(stale), remaining

        return run_batches(self.env, refresh_batch)

    @api.model
    def _cron_plan_revisits(self, batch_size=500, partner_ids=None):
        """Plan a revisit and a to-do for every customer due within the horizon
        (or only among ``partner_ids``), daily. Returns the number of revisits
        planned."""
        Partner = self.env["res.partner"].with_context(active_test=True)
        scope = [("id", "in", partner_ids)] if partner_ids is not None else []
        if scope or not in_scheduler(self.env):
            # under the scheduler, the flags of all customers have their own job
            Partner._spm_refresh_visit_overdue(scope)
        domain = [*scope, *self._spm_revisit_domain()]

        def plan_batch():
            partners = Partner.search(domain, order="spm_next_visit_due, id", limit=batch_size)
            planned = self._spm_plan_revisits_for(partners)
            remaining = (
                Partner.search_count(domain, limit=REMAINING_BATCHES * batch_size)
                if len(partners) == batch_size
                else 0
            )
            return len(planned), remaining

        return run_batches(self.env, plan_batch)

    @api.model
    def _spm_working_weekdays(self, company):
        """Weekdays (0 = Monday) the company works: its working-time calendar, else
        Monday to Friday."""
        attendances = company.resource_calendar_id.attendance_ids
        return {int(att.dayofweek) for att in attendances} or {0, 1, 2, 3, 4}

    def _spm_plan_revisits_for(self, partners):
        """Plan the revisits of ``partners``: on the due day (today when overdue) in
        the rep's timezone, on working days only, at most one per working hour for a
        rep a day (counting what the rep already has planned); the rest flows over to
        the next working days."""
        now = fields.Datetime.now()
        reps = {
            partner: partner.user_id.filtered("active") or partner.spm_region_id.user_id
            for partner in partners
        }
        # an archived rep no longer visits: the region's responsible rep takes over
        slots = {}
        all_reps = self.env["res.users"].union(*reps.values())
        if all_reps:
            for user, day, count in self.sudo()._read_group(
                [
                    ("user_id", "in", all_reps.ids),
                    ("state", "in", ("planned", "in_progress")),
                    ("visit_date", ">=", (now - timedelta(days=1)).date()),
                ],
                ["user_id", "visit_date:day"],
                ["__count"],
            ):
                slots[user.id, fields.Date.to_date(day)] = count
        workdays = {}
        next_day = {}
        vals_list = []
        for partner, rep in reps.items():
            company = partner.company_id or rep.company_id
            if company not in workdays:
                workdays[company] = self._spm_working_weekdays(company)
            # due today or overdue: today in the rep's timezone
            day = max(
                partner.spm_next_visit_due,
                spm_rep_today(rep, now=now),
                next_day.get(rep.id, date.min),
            )
            while day.weekday() not in workdays[company] or (
                slots.get((rep.id, day), 0) >= WORKDAY_SLOTS
            ):
                day += timedelta(days=1)
            slot = slots.get((rep.id, day), 0)
            slots[rep.id, day] = slot + 1
            # customers come in due order: the rep's earlier days are full
            next_day[rep.id] = day
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "user_id": rep.id,
                    "company_id": company.id,
                    "purpose": "revisit",
                    "planned_start": self._spm_local_start(rep, day, slot),
                    "cadence_planned": True,
                }
            )
        Visit = (
            self.with_context(
                mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
            )
            .sudo()
            ._spm_protected()
        )
        # another worker may plan some of these customers meanwhile, or one customer
        # cannot be planned (e.g. inconsistent companies): the others are planned
        visits = create_in_bulk(
            Visit, vals_list, _logger, lambda vals: f"Revisit of partner {vals['partner_id']}"
        )
        visits = self.sudo().browse(visits.ids)
        self._spm_schedule_revisit_activities(visits)
        return visits

    @api.model
    def _spm_schedule_revisit_activities(self, visits):
        if not visits:
            return
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id(self._name)
        vals_list = []
        for visit in visits:
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": visit.id,
                    "activity_type_id": activity_type.id if activity_type else False,
                    "summary": self.env._(
                        "Revisit %(customer)s", customer=visit.partner_id.display_name
                    ),
                    "date_deadline": visit.visit_date,
                    "user_id": visit.user_id.id,
                }
            )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(
            vals_list
        )
