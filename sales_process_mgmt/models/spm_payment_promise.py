from collections import defaultdict
from datetime import timedelta
from itertools import zip_longest

from odoo import api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL, format_date

from .spm_protected_mixin import NOBODY

PROMISE_STATES = [("pending", "Pending"), ("kept", "Kept"), ("broken", "Broken")]


class SpmPaymentPromise(models.Model):
    """A customer's promise to pay: an audit record, created and never edited nor
    deleted (append-only). Only the scheduler settles it as kept or broken, through
    ``_spm_protected()``."""

    _name = "spm.payment.promise"
    _inherit = ["spm.protected.mixin", "spm.input.mixin"]
    _description = "Promise to Pay"
    _order = "task_id, create_date, id"

    task_id = fields.Many2one(
        "spm.collection.task",
        string="Collection Task",
        required=True,
        # Promises are an audit trail: a task holding promises cannot be deleted.
        ondelete="restrict",
        index=True,
    )
    company_id = fields.Many2one(related="task_id.company_id", store=True, index=True)
    partner_id = fields.Many2one(related="task_id.partner_id", store=True, string="Customer")
    user_id = fields.Many2one(
        "res.users",
        string="Recorded By",
        required=True,
        readonly=True,
        default=lambda self: self.env.user,
    )
    currency_id = fields.Many2one(related="task_id.currency_id")
    promised_date = fields.Date(required=True)
    amount = fields.Monetary(required=True)
    reason = fields.Text(required=True, help="What the customer said.")
    is_deferral = fields.Boolean(
        compute="_compute_is_deferral",
        store=True,
        help="Dated after the invoice's due date: the payment is put off, which counts "
        "against the rule's maximum deferrals.",
    )
    state = fields.Selection(PROMISE_STATES, default="pending", required=True, readonly=True)

    @api.depends("promised_date", "task_id.date_due")
    def _compute_is_deferral(self):
        for promise in self:
            due = promise.task_id.date_due
            promise.is_deferral = bool(
                promise.promised_date and due and promise.promised_date > due
            )

    @api.constrains("promised_date", "task_id")
    def _check_promise_horizon(self):
        """A promise is dated within the horizon of the task's rule (``max_promise_days``
        after the day it is recorded): a date years ahead would never be broken."""
        today = fields.Date.context_today(self)
        rules = self.task_id._rules()
        for promise in self:
            task = promise.task_id
            rule = rules[task]
            days = rule._value("max_promise_days")
            last = today + timedelta(days=days)
            if promise.promised_date and promise.promised_date > last:
                raise ValidationError(
                    self.env._(
                        "A promise to pay of %(task)s dated %(date)s is too far ahead: "
                        "collection rule %(rule)s accepts promises up to %(days)s days "
                        "ahead, until %(last)s. Record the date the customer can pay "
                        "within that horizon, or ask a sales manager to change the rule.",
                        task=task.display_name,
                        date=format_date(self.env, promise.promised_date),
                        rule=rule.display_name or "-",
                        days=days,
                        last=format_date(self.env, last),
                    )
                )

    def _spm_protected_fields(self):
        # Append-only: what the customer said is recorded at creation, then nothing
        # changes but the state, which the scheduler settles.
        if not self:
            return {}
        return dict.fromkeys(self._fields, NOBODY)

    def _spm_protected_hint(self):
        return self.env._(
            "Promises to pay are an audit trail: they cannot be changed. Record a new "
            "promise instead."
        )

    @api.constrains("amount")
    def _check_amount(self):
        for promise in self:
            if promise.amount <= 0:
                raise ValidationError(self.env._("The promised amount must be positive."))

    @api.model_create_multi
    def create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            vals.pop("state", None)
            vals["user_id"] = self.env.user.id
            if vals.get("promised_date") and fields.Date.to_date(vals["promised_date"]) < today:
                raise ValidationError(self.env._("A promise to pay cannot be dated in the past."))
        tasks = self.env["spm.collection.task"].browse(
            [vals["task_id"] for vals in vals_list if vals.get("task_id")]
        )
        tasks._check_active(promise=True)
        promises = super().create(vals_list)
        promises._apply_to_tasks()
        return promises

    def _apply_to_tasks(self):
        """Log each new promise on its task, then apply it there in order
        (``_after_promise``). The rules of all the tasks are matched at once and the
        notes logged in batches: many promises cost the queries of one."""
        rules = self.task_id._rules()
        by_task = defaultdict(list)
        for promise in self:
            by_task[promise.task_id].append(promise)
        # a batch holds one note per task: the first promises, then the second ones...
        for batch in zip_longest(*by_task.values()):
            bodies = {
                promise.task_id.id: self.env._(
                    "%(user)s recorded a promise to pay %(amount)s on %(date)s: %(reason)s",
                    user=promise.user_id.name,
                    amount=promise.task_id._format_amount(promise.amount, promise.currency_id),
                    date=promise.promised_date,
                    reason=promise.reason,
                )
                for promise in batch
                if promise
            }
            self.task_id.browse(list(bodies))._message_log_batch(bodies=bodies)
        for promise in self:
            promise.task_id._after_promise(promise, rules[promise.task_id])

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("Promises to pay are an audit trail: they cannot be deleted."))

    @api.model
    def _due_promises_query(self, today):
        """Pending promises to settle: their invoice is paid, or their date plus the
        rule's grace days has passed."""
        Rule = self.env["spm.collection.rule"]
        self.env["spm.collection.task"].flush_model(["state", "rule_id"])
        Rule.flush_model(["grace_days"])
        self.flush_model(["state", "promised_date", "task_id"])
        return SQL(
            """
            SELECT promise.id
              FROM spm_payment_promise promise
              JOIN spm_collection_task task ON task.id = promise.task_id
              LEFT JOIN spm_collection_rule rule ON rule.id = task.rule_id
             WHERE promise.state = 'pending'
               AND (task.state = 'collected'
                    OR promise.promised_date + COALESCE(rule.grace_days, %(grace)s) < %(today)s)
            """,
            grace=Rule._value("grace_days"),
            today=today,
        )

    @api.model
    def _due_promise_count(self, today, limit):
        """How many promises are due to settle, counted up to ``limit``."""
        [[count]] = self.env.execute_query(
            SQL("SELECT COUNT(*) FROM (%s LIMIT %s) due", self._due_promises_query(today), limit)
        )
        return count

    @api.model
    def _settle_due_promises(self, today, limit=None):
        """Kept when the invoice is paid; broken once the promised date plus the
        rule's grace days passed unpaid (logged on the task). Reads only the pending
        promises due for one or the other, at most ``limit``, locked with their task;
        those a concurrent run holds are skipped."""
        rows = self.env.execute_query(
            SQL(
                """
                %(due)s
                 ORDER BY promise.id
                 %(limit)s
                   FOR UPDATE OF promise, task SKIP LOCKED
                """,
                due=self._due_promises_query(today),
                limit=SQL("LIMIT %s", limit) if limit else SQL(""),
            )
        )
        pending = self.sudo().browse([row[0] for row in rows])
        kept = pending.filtered(lambda promise: promise.task_id.state == "collected")
        kept._spm_protected().write({"state": "kept"})
        broken = pending.browse()
        for promise in pending - kept:
            grace = promise.task_id.rule_id._value("grace_days")
            if promise.promised_date + timedelta(days=grace) < today:
                broken |= promise
        broken._spm_protected().write({"state": "broken"})
        for promise in broken:
            promise.task_id.message_post(
                body=self.env._(
                    "Promise to pay %(amount)s on %(date)s was broken: the invoice is still "
                    "unpaid.",
                    amount=promise.task_id._format_amount(promise.amount, promise.currency_id),
                    date=promise.promised_date,
                )
            )
        # A broken promise sends the task back to be chased again.
        tasks = broken.task_id.filtered(
            lambda task: (
                task.state == "promised"
                and not task.promise_ids.filtered(lambda promise: promise.state == "pending")
            )
        )
        tasks._spm_protected().write({"state": "open"})
        return len(kept) + len(broken)
