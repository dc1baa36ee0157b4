"""The rep's daily report 日报: the day's own records in one page, sent to the team leader.

A report belongs to one rep and one day of the rep's clock (``spm_rep_tz``). While it is
a draft it shows the day as it stands: the visits and their results, the orders
confirmed, the money collected, the promises taken, the feedback gathered (the
customers' words at visits, competitor observations) and tomorrow's planned visits; the
rep adds his own remarks. Sending it (the rep's button, else the hourly scheduled action
once the rep's working day has ended at the company's hour) stores the page as it was,
posts it to the team leader (else the first sales manager) and freezes the report: what
was reported stays as reported, whatever happens to the records later.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .spm_cron import REMAINING_BATCHES, run_batches
from .spm_manager import is_sales_manager, manager_to_notify
from .spm_protected_mixin import NOBODY
from .spm_time import spm_local_to_utc, spm_rep_today, spm_rep_tz, spm_todays
from .spm_visit import is_blank

REPORT_STATES = [("draft", "Draft"), ("sent", "Sent")]
# What sending writes; nobody writes it otherwise.
SENT_FIELDS = ("state", "sent_time", "sent_summary", "recipient_id")


def day_ended(rep, company, day, now):
    """Whether ``day`` has ended for ``rep`` at ``now`` (naive UTC): the company's
    report hour of that day has passed on the rep's clock."""
    tz = spm_rep_tz(rep, company)
    return spm_local_to_utc(tz, day, company.spm_daily_report_hour) <= now


class SpmDailyReport(models.Model):
    _name = "spm.daily.report"
    _description = "Rep's Daily Report"
    _inherit = ["mail.thread", "spm.protected.mixin", "spm.input.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(compute="_compute_name", store=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
    )
    date = fields.Date(
        required=True,
        index=True,
        default=lambda self: spm_rep_today(self.env.user),
        help="The day reported, on the rep's clock.",
    )
    state = fields.Selection(REPORT_STATES, required=True, default="draft", tracking=True)
    remarks = fields.Text(
        string="My Remarks",
        help="What the records do not say: difficulties, support needed, the market's mood.",
    )
    recipient_id = fields.Many2one("res.users", string="Sent To", readonly=True, copy=False)
    sent_time = fields.Datetime(readonly=True, copy=False)
    sent_summary = fields.Html(string="Report as Sent", readonly=True, copy=False, sanitize=False)
    summary = fields.Html(compute="_compute_day", sanitize=False)
    visit_count = fields.Integer(string="Visits", compute="_compute_day")
    visit_done_count = fields.Integer(string="Visits Done", compute="_compute_day")
    order_count = fields.Integer(string="Orders", compute="_compute_day")
    order_amount = fields.Monetary(
        string="Ordered", compute="_compute_day", currency_field="currency_id"
    )
    collected_amount = fields.Monetary(
        string="Collected", compute="_compute_day", currency_field="currency_id"
    )
    promise_count = fields.Integer(string="Promises", compute="_compute_day")
    feedback_count = fields.Integer(string="Feedback", compute="_compute_day")
    tomorrow_count = fields.Integer(string="Planned Tomorrow", compute="_compute_day")
    currency_id = fields.Many2one(related="company_id.currency_id")

    _sql_constraints = [
        (
            "spm_daily_report_rep_day_unique",
            "UNIQUE(user_id, date)",
            "A rep has one daily report per day.",
        ),
    ]

    @api.depends("user_id", "date")
    def _compute_name(self):
        for report in self:
            report.name = self.env._(
                "%(rep)s — %(day)s", rep=report.user_id.name or "", day=report.date or ""
            )

    @api.depends("user_id", "company_id")
    def _compute_team_id(self):
        for report in self:
            report.team_id = report.user_id.with_company(report.company_id).sale_team_id

    @api.depends("user_id", "date", "company_id")
    @api.depends_context("lang")
    def _compute_day(self):
        for report in self:
            day = report._spm_day()
            report.update(
                {
                    "visit_count": len(day["visits"]),
                    "visit_done_count": len(day["visits"].filtered(lambda v: v.state == "done")),
                    "order_count": len(day["orders"]),
                    "order_amount": day["order_amount"],
                    "collected_amount": day["collected_amount"],
                    "promise_count": len(day["promises"]),
                    "feedback_count": len(day["feedback_visits"]) + len(day["observations"]),
                    "tomorrow_count": len(day["tomorrow"]),
                    "summary": report._spm_render(day) if report.user_id and report.date else "",
                }
            )

    @api.constrains("date", "user_id")
    def _check_date(self):
        for report in self:
            if report.date > spm_rep_today(report.user_id, report.company_id):
                raise ValidationError(
                    self.env._(
                        "The daily report of %(rep)s for %(day)s cannot be written before "
                        "the day has begun.",
                        rep=report.user_id.name,
                        day=report.date,
                    )
                )

    @api.constrains("user_id", "company_id")
    def _check_user_company(self):
        for report in self:
            if report.company_id not in report.user_id.company_ids:
                raise ValidationError(
                    self.env._(
                        "%(rep)s does not work for %(company)s: the report cannot be filed there.",
                        rep=report.user_id.name,
                        company=report.company_id.name,
                    )
                )

    def _spm_protected_fields(self):
        return dict.fromkeys(SENT_FIELDS, NOBODY)

    def _spm_protected_hint(self):
        return self.env._("Use Send: it stores the report and posts it to the team leader.")

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        # The rep writes his own report: no "assigned to you" mail.
        return []

    @api.model_create_multi
    def create(self, vals_list):
        if not is_sales_manager(self.env):
            others = [
                vals for vals in vals_list if vals.get("user_id", self.env.uid) != self.env.uid
            ]
            if others:
                raise UserError(self.env._("A rep writes his own daily report only."))
        return super().create(vals_list)

    def write(self, vals):
        if self._spm_is_protected_write():
            return super().write(vals)
        if any(
            ("user_id" in vals and report.user_id.id != vals["user_id"])
            or ("date" in vals and report.date != fields.Date.to_date(vals["date"]))
            for report in self
        ):
            raise UserError(
                self.env._(
                    "The rep and the day of a daily report do not change: write the "
                    "report of that day instead."
                )
            )
        sent = self.filtered(lambda r: r.state == "sent")
        if sent and set(vals) - set(SENT_FIELDS):
            raise UserError(
                self.env._(
                    "The daily report %(report)s was sent: it stays as the team leader "
                    "received it.",
                    report=sent[0].display_name,
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        sent = self.filtered(lambda r: r.state == "sent")
        if sent:
            raise UserError(
                self.env._(
                    "The daily report %(report)s was sent: it cannot be deleted.",
                    report=sent[0].display_name,
                )
            )

    def action_send(self):
        """Send the drafts: the rep sends his own, a sales manager anyone's."""
        drafts = self.filtered(lambda r: r.state == "draft")
        if not is_sales_manager(self.env) and (self - drafts or drafts.user_id != self.env.user):
            raise UserError(
                self.env._("A rep sends his own daily report, once: it is already sent or not his.")
            )
        drafts._spm_send()
        return True

    # The day's records ---------------------------------------------------------------

    def _spm_bounds(self):
        """``(start, end)``: the report's day on the rep's clock, as naive UTC."""
        tz = spm_rep_tz(self.user_id, self.company_id)
        return (
            spm_local_to_utc(tz, self.date, 0),
            spm_local_to_utc(tz, self.date + timedelta(days=1), 0),
        )

    def _spm_day(self):
        """The report's day: ``{key: records or amount}``. Read as the superuser within
        the rep and the company: a team leader reads the rep's day through the report."""
        self.ensure_one()
        env = self.env
        empty = {
            "visits": env["spm.visit"],
            "orders": env["sale.order"],
            "receipts": env["spm.collection.receipt"],
            "promises": env["spm.payment.promise"],
            "feedback_visits": env["spm.visit"],
            "observations": env["spm.competitor.product"],
            "tomorrow": env["spm.visit"],
            "order_amount": 0.0,
            "collected_amount": 0.0,
        }
        if not (self.user_id and self.date and self.company_id):
            return empty
        start, end = self._spm_bounds()
        rep = [("user_id", "=", self.user_id.id), ("company_id", "=", self.company_id.id)]
        su = env(su=True)
        visits = su["spm.visit"].search(
            [*rep, ("visit_date", "=", self.date), ("state", "!=", "cancelled")],
            order="planned_start, id",
        )
        orders = su["sale.order"].search(
            [*rep, ("state", "=", "sale"), ("date_order", ">=", start), ("date_order", "<", end)],
            order="date_order, id",
        )
        receipts = su["spm.collection.receipt"].search(
            [*rep, ("date", "=", self.date), ("state", "!=", "refused")], order="id"
        )
        promises = su["spm.payment.promise"].search(
            [*rep, ("create_date", ">=", start), ("create_date", "<", end)], order="id"
        )
        observations = su["spm.competitor.product"].search(
            [
                ("observed_by_id", "=", self.user_id.id),
                ("company_id", "in", (False, self.company_id.id)),
                ("observed_on", "=", self.date),
            ],
            order="id",
        )
        tomorrow = su["spm.visit"].search(
            [*rep, ("visit_date", "=", self.date + timedelta(days=1)), ("state", "=", "planned")],
            order="planned_start, id",
        )
        currency = self.company_id.currency_id

        def in_company_currency(records, amount_field):
            return sum(
                record.currency_id._convert(
                    record[amount_field], currency, self.company_id, self.date
                )
                for record in records
            )

        return {
            **empty,
            "visits": visits,
            "orders": orders,
            "receipts": receipts,
            "promises": promises,
            "feedback_visits": visits.filtered(lambda v: not is_blank(v.customer_feedback)),
            "observations": observations,
            "tomorrow": tomorrow,
            "order_amount": in_company_currency(orders, "amount_untaxed"),
            "collected_amount": in_company_currency(receipts, "amount"),
        }

    def _spm_render(self, day):
        return self.env["ir.qweb"]._render(
            "sales_process_mgmt.spm_daily_report_summary",
            {"report": self, "day": day, "currency": self.company_id.currency_id},
        )

    def _spm_recipient(self):
        return manager_to_notify(
            self.env(su=True),
            self.company_id,
            "sales_team.group_sale_manager",
            leaders=[self.team_id.user_id],
            excluded=self.user_id,
        )

    def _spm_send(self):
        now = fields.Datetime.now()
        for report in self:
            recipient = report._spm_recipient()
            lang = recipient.lang or report.user_id.lang
            summary = report.with_context(lang=lang)._spm_render(
                report.with_context(lang=lang)._spm_day()
            )
            report._spm_protected().write(
                {
                    "state": "sent",
                    "sent_time": now,
                    "sent_summary": summary,
                    "recipient_id": recipient.id,
                }
            )
            report.sudo().message_post(
                body=summary,
                subject=report.name,
                author_id=report.user_id.partner_id.id,
                partner_ids=recipient.partner_id.ids,
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

    # The scheduled action ------------------------------------------------------------

    def _spm_due(self, now):
        """Whether the report's day has ended for its rep at the company's hour."""
        return day_ended(self.user_id, self.company_id, self.date, now)

    @api.model
    def _cron_send_daily_reports(self, batch_size=200):
        """Once the rep's working day has ended, file the report of every rep who had
        visits that day and has none yet, and send every draft whose day has ended."""
        now = fields.Datetime.now()
        earliest, latest = spm_todays(now)

        def run_batch():
            self._spm_file_missing(earliest - timedelta(days=1), latest, now)
            drafts = self.search(
                [("state", "=", "draft"), ("date", "<=", latest)], order="date, id"
            )
            due = drafts.filtered(lambda r: r._spm_due(now))
            batch = due[:batch_size]
            batch._spm_send()
            return len(batch), min(len(due) - len(batch), batch_size * REMAINING_BATCHES)

        return run_batches(self.env, run_batch)

    def _spm_file_missing(self, date_from, date_to, now):
        """Drafts for the reps who had visits between the two days and no report for
        that day, once the day has ended for them."""
        groups = self.env["spm.visit"]._read_group(
            [
                ("visit_date", ">=", date_from),
                ("visit_date", "<=", date_to),
                ("state", "!=", "cancelled"),
                ("user_id", "!=", False),
            ],
            ["user_id", "company_id", "visit_date:day"],
        )
        if not groups:
            return self
        existing = {
            (report.user_id, report.date)
            for report in self.search(
                [
                    ("user_id", "in", list({user.id for user, _c, _d in groups})),
                    ("date", ">=", date_from),
                ]
            )
        }
        vals_list = []
        for user, company, day in groups:
            if (user, day) in existing or not user.active or user.share:
                continue
            if day_ended(user, company, day, now):
                existing.add((user, day))
                vals_list.append({"user_id": user.id, "company_id": company.id, "date": day})
        return self.create(vals_list)
