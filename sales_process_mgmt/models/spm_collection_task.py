import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, formatLang

from .spm_bulk import create_in_bulk
from .spm_cron import REMAINING_BATCHES, run_batches
from .spm_manager import manager_to_notify
from .spm_protected_mixin import MANAGER

_logger = logging.getLogger(__name__)

TASK_STATES = [
    ("open", "Open"),
    ("promised", "Promised"),
    ("collected", "Collected"),
    ("written_off", "Written Off"),
    ("escalated", "Escalated"),
    ("cancelled", "Cancelled"),
]
ACTIVE_STATES = ("open", "promised", "escalated")
# What a salesperson may change by hand on a task (with the chatter and activities);
# everything else follows the invoice, the rules or the actions (promise, visit,
# write-off by a manager).
REP_WRITABLE_FIELDS = frozenset({"planned_date", "note"})
CRON_BATCH_SIZE = 2000


class SpmCollectionTask(models.Model):
    _name = "spm.collection.task"
    _description = "Collection Task"
    _inherit = ["mail.thread", "mail.activity.mixin", "spm.protected.mixin", "spm.input.mixin"]
    _order = "planned_date, id"
    _check_company_auto = True

    name = fields.Char(related="move_id.name", store=True, string="Invoice Number")
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        readonly=True,
        ondelete="cascade",
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted')]",
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id", store=True)
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    partner_id = fields.Many2one(
        related="move_id.commercial_partner_id", store=True, index=True, string="Customer"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    team_id = fields.Many2one(
        "crm.team", string="Sales Team", index="btree_not_null", check_company=True
    )
    visit_id = fields.Many2one(
        "spm.visit",
        string="Collection Visit",
        readonly=True,
        copy=False,
        index="btree_not_null",
        check_company=True,
    )
    invoice_date = fields.Date(related="move_id.invoice_date", store=True)
    date_due = fields.Date(related="move_id.invoice_date_due", store=True, string="Due Date")
    amount_total = fields.Monetary(related="move_id.amount_total", store=True)
    amount_residual = fields.Monetary(
        related="move_id.amount_residual", store=True, string="Amount Due"
    )
    amount_residual_signed = fields.Monetary(
        related="move_id.amount_residual_signed",
        store=True,
        string="Amount Due (Company Currency)",
        currency_field="company_currency_id",
    )
    state = fields.Selection(
        TASK_STATES,
        compute="_compute_state",
        store=True,
        readonly=False,
        default="open",
        required=True,
        tracking=True,
        index=True,
    )
    planned_date = fields.Datetime(
        string="Planned Collection", tracking=True, help="First moment the rules allow."
    )
    rule_id = fields.Many2one("spm.collection.rule", string="Applied Rule", readonly=True)
    refreshed_on = fields.Date(readonly=True, copy=False)
    promise_ids = fields.One2many("spm.payment.promise", "task_id", string="Promises")
    promise_count = fields.Integer(compute="_compute_promise_stats", store=True)
    deferral_count = fields.Integer(
        compute="_compute_promise_stats",
        store=True,
        help="Promises dated after the invoice's due date: each one put the payment off.",
    )
    last_promise_date = fields.Date(compute="_compute_promise_stats", store=True)
    days_overdue = fields.Integer(compute="_compute_days_overdue")
    note = fields.Html()

    _sql_constraints = [
        ("move_uniq", "unique (move_id)", "An invoice has one collection task only."),
    ]

    @api.depends("move_id.amount_residual", "move_id.state", "move_id.payment_state")
    def _compute_state(self):
        for task in self:
            move = task.move_id
            old_state = task.state
            settled = move.state == "posted" and move.currency_id.is_zero(move.amount_residual)
            if move.state != "posted":
                # Cancelled or reset to draft: nothing to collect, no ageing, no hold.
                new_state = "cancelled"
            elif settled:
                new_state = "collected"
            elif old_state in ("collected", "cancelled") or not old_state:
                # New task, a payment was unreconciled or the invoice posted again:
                # the invoice is open again.
                new_state = "promised" if task.promise_ids else "open"
            else:
                new_state = old_state
            if task.id and old_state and new_state != old_state:
                # Paid or reopened by accounting: tracked in the chatter like a write.
                # mail.thread tracks a recompute only outside ``tracking_disable``, and
                # this one runs in whatever environment flushes first, e.g. the
                # scheduler's, which creates tasks without tracking.
                task._track_prepare(["state"])
            task.state = new_state

    @api.depends("promise_ids.promised_date", "promise_ids.is_deferral")
    def _compute_promise_stats(self):
        for task in self:
            promises = task.promise_ids
            task.promise_count = len(promises)
            task.deferral_count = len(promises.filtered("is_deferral"))
            # The newest promise counts, even when it names an earlier date.
            newest = max(promises, key=lambda promise: promise._origin.id or 0, default=None)
            task.last_promise_date = newest.promised_date if newest else False

    @api.depends("date_due")
    @api.depends_context("tz")
    def _compute_days_overdue(self):
        today = fields.Date.context_today(self)
        for task in self:
            task.days_overdue = max((today - task.date_due).days, 0) if task.date_due else 0

    @api.depends("name", "partner_id")
    def _compute_display_name(self):
        for task in self:
            task.display_name = f"{task.name or ''} - {task.partner_id.name or ''}"

    @api.model_create_multi
    def create(self, vals_list):
        tasks = super().create(vals_list)
        unplanned = tasks.filtered(lambda task: not task.planned_date)
        if unplanned:
            unplanned._refresh_plan(fields.Date.context_today(self))
        return tasks

    def _spm_protected_fields(self):
        return {
            fname: MANAGER
            for fname in self._fields
            if fname not in REP_WRITABLE_FIELDS and not fname.startswith(("message_", "activity_"))
        }

    def _spm_protected_hint(self):
        return self.env._(
            "A salesperson may change only the planned date and the note: record a promise "
            "or plan a visit with the buttons, or ask a sales manager to write the task off "
            "or reopen it."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_promised(self):
        for task in self.sudo().filtered("promise_ids"):
            raise UserError(
                self.env._(
                    "Collection task %(task)s cannot be deleted: it holds %(count)s promises "
                    "to pay, an audit trail that is kept. Write the task off instead.",
                    task=task.display_name,
                    count=len(task.promise_ids),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _check_active(self, promise=False):
        """Refuse any of these tasks that is closed (collected, written off, cancelled):
        money and promises are recorded, visits planned, on open tasks only."""
        for task in self.filtered(lambda task: task.state not in ACTIVE_STATES):
            if promise:
                message = self.env._(
                    "Task %(task)s is closed: promises are recorded on open tasks only.",
                    task=task.display_name,
                )
            else:
                message = self.env._(
                    "Task %(task)s is closed: there is nothing left to collect.",
                    task=task.display_name,
                )
            raise UserError(message)

    def action_record_promise(self):
        self.ensure_one()
        self._check_active(promise=True)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Promise to Pay"),
            "res_model": "spm.payment.promise",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_task_id": self.id,
                "default_amount": self.amount_residual,
                "default_promised_date": fields.Date.to_string(
                    fields.Date.context_today(self) + timedelta(days=7)
                ),
            },
        }

    def action_write_off(self):
        self._check_manager(self.env._("write off a collection task"))
        self.check_access("write")
        self.filtered(lambda task: task.state in ACTIVE_STATES)._spm_protected().write(
            {"state": "written_off"}
        )
        return True

    def action_reopen(self):
        self._check_manager(self.env._("reopen a collection task"))
        self.check_access("write")
        for task in self.filtered(lambda task: task.state in ("written_off", "escalated")):
            task._spm_protected().state = "promised" if task.promise_ids else "open"
        return True

    def action_plan_collection_visit(self):
        """Plan a collection visit at ``planned_date`` (now when that moment passed: a
        visit planned in the past would be flagged missed at once) for the task's rep,
        or open the visit already planned for the task."""
        self._check_active()
        to_plan = self.filtered(lambda t: t.visit_id.state not in ("planned", "in_progress"))
        now = fields.Datetime.now()
        visits = self.env["spm.visit"].create(
            [
                {
                    "partner_id": task.partner_id.id,
                    "user_id": (task.user_id or self.env.user).id,
                    "company_id": task.company_id.id,
                    "purpose": "collection",
                    "planned_start": max(task.planned_date or now, now),
                    "objective": self.env._(
                        "Collect %(amount)s on invoice %(invoice)s.",
                        amount=task._format_amount(task.amount_residual, task.currency_id),
                        invoice=task.name,
                    ),
                }
                for task in to_plan
            ]
        )
        for task, visit in zip(to_plan, visits, strict=True):
            # The rep may not write the task's fields; the button links the visit.
            task.check_access("write")
            task._spm_protected().sudo().visit_id = visit
            task.message_post(
                body=self.env._("Collection visit %(visit)s planned.", visit=visit.name)
            )
        if len(self) != 1:
            return True
        return {
            "type": "ir.actions.act_window",
            "res_model": "spm.visit",
            "res_id": self.visit_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Business methods
    # ------------------------------------------------------------------
    def _check_manager(self, what):
        if not self.env.user.has_group("sales_team.group_sale_manager"):
            raise UserError(self.env._("Only a sales manager may %(what)s.", what=what))

    def _format_amount(self, amount, currency):
        return formatLang(self.env, amount, currency_obj=currency)

    def _manager_of(self, user):
        """Who hears about an escalation: the leader of the task's sales team, else of
        the rep's, else the first sales manager of the company."""
        return manager_to_notify(
            self.env,
            self.company_id,
            "sales_team.group_sale_manager",
            leaders=(self.team_id.user_id, user.sale_team_id.user_id),
        )

    def _after_promise(self, promise, rule):
        """A new promise: the task is promised and replanned at the promised date;
        a deferral beyond the maximum of ``rule`` (the task's, see ``_rules``)
        escalates it to the rep's manager."""
        self.ensure_one()
        today = fields.Date.context_today(self)
        max_deferrals = rule._value("max_deferrals")
        vals = {
            # The customer named the date: no payday shift.
            "planned_date": rule._planned_datetime(
                self.partner_id, self.user_id, promise.promised_date, use_payday=False
            ),
        }
        if self.deferral_count > max_deferrals:
            vals["state"] = "escalated"
            self._spm_protected().sudo().write(vals)
            manager = self._manager_of(self.user_id or self.env.user)
            if rule.hold_deferrals:
                body = self.env._(
                    "Payment put off past the due date %(count)s times, more than the "
                    "%(max)s deferrals rule %(rule)s allows: the task is escalated and the "
                    "customer's orders are held.",
                    count=self.deferral_count,
                    max=max_deferrals,
                    rule=rule.display_name or "-",
                )
            else:
                body = self.env._(
                    "Payment put off past the due date %(count)s times, more than the "
                    "%(max)s deferrals rule %(rule)s allows: the task is escalated to the "
                    "manager.",
                    count=self.deferral_count,
                    max=max_deferrals,
                    rule=rule.display_name or "-",
                )
            self.message_post(body=body)
            todo = self.env.ref("mail.mail_activity_data_todo")
            already = self.sudo().activity_ids.filtered(
                lambda activity: activity.user_id == manager and activity.activity_type_id == todo
            )
            # One open escalation per manager: later deferrals add to the chatter only.
            if manager and not already:
                self.sudo().activity_schedule(
                    act_type_xmlid="mail.mail_activity_data_todo",
                    date_deadline=today,
                    summary=self.env._("Escalated collection: %(task)s", task=self.display_name),
                    note=body,
                    user_id=manager.id,
                )
        else:
            if self.state in ("open", "promised"):
                vals["state"] = "promised"
            self._spm_protected().sudo().write(vals)

    def _rules(self):
        """{task: its rule, else the most specific rule matching its customer now},
        matched for all these tasks at once."""
        unruled = self.filtered(lambda task: not task.rule_id)
        matched = unruled._match_rules() if unruled else {}
        return {task: task.rule_id or matched[task] for task in self}

    def _match_rules(self):
        """{task: most specific rule} for these tasks."""
        Rule = self.env["spm.collection.rule"]
        result = {}
        for company, tasks in self.grouped("company_id").items():
            matches = Rule._match_partners(tasks.partner_id, company)
            for task in tasks:
                result[task] = matches[task.partner_id][0]
        return result

    @api.model
    def _company_rep(self, move):
        """The invoice's salesperson, else the customer's, if allowed in the invoice's
        company (a task never points to a user of another company)."""
        for user in (move.invoice_user_id, move.commercial_partner_id.user_id):
            if user and move.company_id in user.sudo().company_ids:
                return user
        return self.env["res.users"]

    @api.model
    def _company_team(self, move):
        """The invoice's sales team unless it belongs to another company."""
        team = move.team_id
        return (
            team
            if team.company_id in (move.company_id, team.company_id.browse())
            else team.browse()
        )

    @api.model
    def _plan_values(self, moves, anchors=None, now=None):
        """{move: {'rule_id', 'planned_date'}} for invoices, planning from their due
        date or from the ``anchors`` given (the promised date of promised tasks),
        never before ``now`` on the customer's clock."""
        now = now or fields.Datetime.now()
        Rule = self.env["spm.collection.rule"]
        anchors = anchors or {}
        result = {}
        cache = {}
        for company, company_moves in moves.grouped("company_id").items():
            partners = company_moves.commercial_partner_id
            matches = Rule._match_partners(partners, company)
            for move in company_moves:
                partner = move.commercial_partner_id
                rule = matches[partner][0]
                user = move.invoice_user_id or partner.user_id
                promised = anchors.get(move.id)
                anchor = promised or move.invoice_date_due or move.invoice_date
                key = (rule.id, partner.id, user.id, anchor, not promised)
                if key not in cache:
                    # A promised date is the customer's word: no payday shift.
                    cache[key] = rule._planned_datetime(
                        partner, user, anchor, now, use_payday=not promised
                    )
                result[move] = {"rule_id": rule.id, "planned_date": cache[key]}
        return result

    @api.model
    def _create_for_moves(self, moves, today=None):
        """Create the missing tasks of ``moves``; another worker may create some of
        them at the same time: those are skipped, never duplicated (unique index)."""
        today = today or fields.Date.context_today(self)
        moves -= self.search([("move_id", "in", moves.ids)]).move_id
        plan = self._plan_values(moves)
        vals_list = [
            {
                "move_id": move.id,
                "user_id": self._company_rep(move).id,
                "team_id": self._company_team(move).id,
                "refreshed_on": today,
                **plan[move],
            }
            for move in moves
        ]
        Task = self.with_context(
            mail_create_nolog=True, mail_create_nosubscribe=True, tracking_disable=True
        )
        return create_in_bulk(
            Task,
            vals_list,
            _logger,
            lambda vals: f"Collection task of invoice {vals['move_id']}",
            skip_invalid=False,
        )

    def _refresh_plan(self, today):
        """Replan open and promised tasks (rule, payday, windows move with time);
        writes only what changed, grouped by value."""
        anchors = {
            task.move_id.id: task.last_promise_date
            for task in self
            if task.state == "promised" and task.last_promise_date
        }
        plan = self._plan_values(self.move_id, anchors)
        groups = {}
        for task in self:
            vals = plan[task.move_id]
            if task.rule_id.id != vals["rule_id"] or task.planned_date != vals["planned_date"]:
                groups.setdefault((vals["rule_id"], vals["planned_date"]), []).append(task.id)
        for (rule_id, planned_date), ids in groups.items():
            self.browse(ids)._spm_protected().with_context(tracking_disable=True).write(
                {"rule_id": rule_id, "planned_date": planned_date}
            )
        self._spm_protected().with_context(tracking_disable=True).write({"refreshed_on": today})
        return len(groups)

    @api.model
    def _missing_task_moves_query(self, today):
        """Posted customer invoices still to pay, due within their company's horizon
        or overdue, that have no task."""
        return SQL(
            """
            SELECT move.id
              FROM account_move move
              JOIN res_company company ON company.id = move.company_id
             WHERE move.move_type = 'out_invoice'
               AND move.state = 'posted'
               AND move.payment_state IN ('not_paid', 'partial')
               AND move.invoice_date_due
                   <= %(today)s::date + COALESCE(company.spm_collection_horizon_days, 0)
               AND NOT EXISTS (
                    SELECT 1 FROM spm_collection_task task WHERE task.move_id = move.id
               )
            """,
            today=today,
        )

    @api.model
    def _missing_task_move_ids(self, today, limit):
        rows = self.env.execute_query(
            SQL("%s ORDER BY move.id LIMIT %s", self._missing_task_moves_query(today), limit)
        )
        return [row[0] for row in rows]

    @api.model
    def _missing_task_move_count(self, today, limit):
        """How many invoices lack a task, counted up to ``limit``."""
        [[count]] = self.env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM (%s LIMIT %s) missing",
                self._missing_task_moves_query(today),
                limit,
            )
        )
        return count

    @api.model
    def _stale_task_domain(self, today):
        """Tasks to replan today: open or promised, and not refreshed yet today."""
        return [
            ("state", "in", ("open", "promised")),
            "|",
            ("refreshed_on", "=", False),
            ("refreshed_on", "<", today),
        ]

    @api.model
    def _lock_stale_tasks(self, today, limit):
        """The next batch of tasks to replan (``_stale_task_domain``), locked for this
        transaction; tasks a concurrent run has locked are skipped rather than waited
        for (no two runs write the same task)."""
        query = self._search(self._stale_task_domain(today), order="id", limit=limit)
        rows = self.env.execute_query(SQL("%s FOR NO KEY UPDATE SKIP LOCKED", query.select()))
        return self.browse([row[0] for row in rows])

    @api.model
    def _cron_refresh_tasks(self, batch_size=CRON_BATCH_SIZE):
        """Create the tasks of invoices due within the horizon or overdue, replan
        open ones once a day and settle promises whose date passed (daily). Returns
        how many tasks were created and refreshed and how many promises settled, and
        what remains."""
        today = fields.Date.context_today(self)
        totals = dict.fromkeys(("created", "refreshed", "promises", "remaining"), 0)

        def refresh_batch():
            counts = self._refresh_tasks_batch(today, batch_size)
            remaining = counts.pop("remaining")
            for key, count in counts.items():
                totals[key] += count
            totals["remaining"] = remaining
            return sum(counts.values()), remaining

        run_batches(self.env, refresh_batch)
        return totals

    @api.model
    def _refresh_tasks_batch(self, today, batch_size):
        """One batch of each of the three phases; a phase whose batch was full counts
        what remains of it."""
        for model in (
            "account.move",
            "res.company",
            "spm.collection.rule",
            "spm.collection.task",
            "spm.payment.promise",
        ):
            self.env[model].flush_model()
        limit = REMAINING_BATCHES * batch_size
        move_ids = self._missing_task_move_ids(today, batch_size)
        created = self._create_for_moves(self.env["account.move"].browse(move_ids), today)
        stale = self._lock_stale_tasks(today, batch_size)
        stale._refresh_plan(today)
        Promise = self.env["spm.payment.promise"]
        settled = Promise._settle_due_promises(today, batch_size)
        remaining = 0
        if len(move_ids) == batch_size:
            remaining += self._missing_task_move_count(today, limit)
        if len(stale) == batch_size:
            remaining += self.search_count(self._stale_task_domain(today), limit=limit)
        if settled == batch_size:
            remaining += Promise._due_promise_count(today, limit)
        return {
            "created": len(created),
            "refreshed": len(stale),
            "promises": settled,
            "remaining": remaining,
        }
