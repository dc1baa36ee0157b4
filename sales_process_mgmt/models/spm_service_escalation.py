"""Overdue service requests are flagged and escalated (an hourly scheduled action).

SLAs count in working hours, so the job runs every hour: a deadline passed is flagged
within the hour. An open request whose first response is due and has not come is
*Response Late*; one whose resolution is due is *Resolution Late* (both at once when the
job finds both passed). The flags stay when the request is later answered, resolved or
reopened: a request resolved late keeps its breach on record.

A request is escalated once (``escalated``), at the first breach the job flags: a to-do
of type *SLA Escalation* (a plain to-do if that type was deleted) for its team's leader,
due today on his clock, and a note in its chatter saying which deadline passed and since
when (on the clock of the company's working calendar). The leader is the sales team's
leader when he may read every request (*All Documents* or sales manager) of the
request's company and is not the request's own rep; else the company's first sales
manager (``manager_to_notify``). With nobody to notify, the note says so and the request
still counts as escalated. A later breach of an escalated request (its resolution, after
its first response) is flagged for the record and the figures, without a second to-do or
note: the leader already has the request on his list. A breach met late by a user (a
first response after its deadline) is recorded by the request itself and is no
escalation: the job escalates what is still overdue. The to-do is done when the request
is resolved, closed or cancelled.

The job (``run_batches`` shape) reads the first ``batch_size`` requests with a deadline
passed and still to flag, earliest first, through a partial index holding exactly the
open requests with a deadline still to flag, keyed by the next of them; it locks them
(``FOR NO KEY UPDATE SKIP LOCKED``): a request another worker (or a user) holds is left
for a later batch, and a request flagged meanwhile by a worker that committed after this
transaction began (a serialization failure) ends the call, and the scheduler runs the job
again at once, in a new transaction. A
flagged request leaves the index, so running the job again, or on two workers at once,
escalates nothing twice, and a batch reads only its own rows: the job is linear in the
number of overdue requests and its queries per batch do not grow with the batch.
"""

import logging

import psycopg2.errors
from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL, format_datetime, mute_logger

from .spm_cron import REMAINING_BATCHES, in_scheduler, run_batches
from .spm_manager import manager_to_notify
from .spm_service_request import OPEN_STATES
from .spm_service_sla import working_calendar
from .spm_time import spm_rep_today

_logger = logging.getLogger(__name__)

ESCALATION_TYPE = "sales_process_mgmt.mail_activity_type_spm_service_escalation"
ESCALATION_CRON = "sales_process_mgmt.ir_cron_spm_service_escalation"

# The open requests with a deadline still to flag (the partial index's predicate) and
# the moment of the next one: the first response's while it has not come nor been
# flagged, else the resolution's. The job's queries repeat both verbatim, so that the
# planner reads them through the index.
_PENDING = SQL("state IN ('new', 'in_progress') AND resolution_breached IS NOT TRUE")
_NEXT_DEADLINE = SQL(
    "(CASE WHEN first_response_date IS NULL AND response_breached IS NOT TRUE "
    "THEN response_deadline ELSE resolution_deadline END)"
)
_INDEX = "spm_service_request_sla_pending_idx"


class SpmServiceRequest(models.Model):
    _inherit = "spm.service.request"

    def init(self):
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS %s ON spm_service_request (%s, id) WHERE %s",
                SQL.identifier(_INDEX),
                _NEXT_DEADLINE,
                _PENDING,
            )
        )
        return res

    # -- the job --------------------------------------------------------------------

    @api.model
    def _spm_overdue_query(self, now, select, scope=None, tail=None):
        """``SELECT select`` of the requests with a deadline passed at ``now`` and still
        to flag (among ``scope``, an SQL condition), then ``tail``."""
        return SQL(
            "SELECT %s FROM spm_service_request WHERE %s AND %s <= %s AND %s %s",
            select,
            _PENDING,
            _NEXT_DEADLINE,
            now,
            scope or SQL("TRUE"),
            tail or SQL(),
        )

    @api.model
    def _spm_overdue_count(self, now, limit, scope=None):
        """How many requests have a deadline passed and still to flag, counted up to
        ``limit``."""
        [[count]] = self.env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM (%s) overdue",
                self._spm_overdue_query(now, SQL("1"), scope, SQL("LIMIT %s", limit)),
            )
        )
        return count

    @api.model
    def _spm_overdue_lock_query(self, now, limit, scope=None):
        """The query of a batch: the ids of the first ``limit`` requests with a deadline
        passed and still to flag, earliest first, locked unless another transaction
        holds them."""
        return self._spm_overdue_query(
            now,
            SQL("id"),
            scope,
            SQL(
                "ORDER BY %s, id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED",
                _NEXT_DEADLINE,
                limit,
            ),
        )

    @api.model
    def _spm_lock_overdue(self, now, limit, scope=None):
        """The first ``limit`` requests with a deadline passed and still to flag
        (earliest first) that this transaction could lock; those another transaction
        holds are skipped, and none is returned when one changed since this transaction
        began."""
        self.flush_model()
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    self._spm_overdue_lock_query(now, limit, scope), log_exceptions=False
                )
                ids = [row[0] for row in self.env.cr.fetchall()]
        except psycopg2.errors.SerializationFailure:
            _logger.info("Service SLA escalation: requests changed meanwhile; left for later")
            cron = in_scheduler(self.env) and self.env.ref(ESCALATION_CRON, False)
            if cron:
                # a new run, in a new transaction, sees what the other one committed
                cron._trigger()
            return self.browse()
        return self.browse(ids)

    @api.model
    def _cron_escalate_overdue(self, batch_size=1000, request_ids=None):
        """Flag the deadlines passed of the open requests (or only of ``request_ids``)
        and escalate each request once (hourly). Returns the number of requests
        flagged."""
        now = fields.Datetime.now()
        scope = SQL("id = ANY(%s)", list(request_ids)) if request_ids else None

        def escalate_batch():
            requests = self._spm_lock_overdue(now, batch_size, scope)
            requests._spm_flag_overdue(now)
            self.env.flush_all()
            remaining = (
                self._spm_overdue_count(now, REMAINING_BATCHES * batch_size, scope)
                if len(requests) == batch_size
                else 0
            )
            return len(requests), remaining

        return run_batches(self.env, escalate_batch)

    def _spm_flag_overdue(self, now):
        """Flag the deadlines of these open requests passed at ``now`` and escalate
        those not escalated yet."""
        if not self:
            return
        flags = {}
        breaches = {}
        for request in self:
            passed = []
            if (
                not request.first_response_date
                and not request.response_breached
                and request.response_deadline
                and request.response_deadline <= now
            ):
                passed.append("response")
            if request.resolution_deadline and request.resolution_deadline <= now:
                passed.append("resolution")
            breaches[request] = passed
            flags.setdefault(tuple(passed), []).append(request.id)
        self.filtered(lambda request: not request.escalated)._spm_escalate(breaches)
        for passed, ids in flags.items():
            vals = {f"{what}_breached": True for what in passed}
            self.browse(ids)._spm_protected().with_context(tracking_disable=True).write(
                {**vals, "escalated": True}
            )

    # -- escalation -------------------------------------------------------------------

    def _spm_escalation_leader(self, managers):
        """Who hears of this request's breach: its team's leader when he may read every
        request of its company and is not its rep, else the company's first sales
        manager (``managers`` caches them for the batch); may be empty."""
        self.ensure_one()
        company, rep = self.company_id, self.user_id
        leader = self.team_id.user_id
        leaders = (
            (leader,)
            if leader.active
            and company in leader.company_ids
            and leader.has_group("sales_team.group_sale_salesman_all_leads")
            else ()
        )
        key = (company.id, rep.id, leader.id if leaders else None)
        if key not in managers:
            managers[key] = manager_to_notify(
                self.env, company, "sales_team.group_sale_manager", leaders=leaders, excluded=rep
            )
        return managers[key]

    def _spm_breach_lines(self, passed, tz):
        """The lines of the escalation note: each deadline in ``passed`` and since
        when, in ``tz`` (this environment's language)."""
        env = self.env
        lines = []
        for what in passed:
            deadline = self[f"{what}_deadline"]
            since = format_datetime(env, deadline, tz=tz, dt_format=False)
            if what == "response":
                lines.append(
                    env._(
                        "The first response was due by %(deadline)s and has not come.",
                        deadline=since,
                    )
                )
            else:
                lines.append(
                    env._(
                        "The resolution was due by %(deadline)s and the request is still open.",
                        deadline=since,
                    )
                )
        return lines

    def _spm_escalate(self, breaches):
        """One *SLA Escalation* to-do for the leader of each of these requests and one
        note in its chatter (``breaches``: ``{request: deadlines passed}``), in the
        leader's language (else the company's)."""
        if not self:
            return
        todo_type = self.env.ref(ESCALATION_TYPE, raise_if_not_found=False) or self.env.ref(
            "mail.mail_activity_data_todo"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        managers = {}
        todos = []
        notes = {}
        for request in self:
            leader = request._spm_escalation_leader(managers)
            company = request.company_id
            lang = leader.lang or company.partner_id.lang or self.env.lang
            localized = request.with_context(lang=lang)
            env = localized.env
            lines = localized._spm_breach_lines(breaches[request], working_calendar(company).tz)
            if leader:
                lines.append(env._("Escalated to %(leader)s.", leader=leader.name))
                todos.append(
                    {
                        "res_model_id": model_id,
                        "res_id": request.id,
                        "activity_type_id": todo_type.id,
                        "summary": env._(
                            "Overdue: %(request)s %(subject)s",
                            request=request.name,
                            subject=request.subject,
                        ),
                        "note": Markup("<p>%s</p>") % Markup("<br/>").join(lines),
                        "date_deadline": spm_rep_today(leader, company),
                        "user_id": leader.id,
                        "automated": True,
                    }
                )
            else:
                lines.append(
                    env._(
                        "Nobody to escalate to: give the sales team a leader who sees all "
                        "documents, or give %(company)s a sales manager.",
                        company=company.name,
                    )
                )
            notes[request.id] = Markup("<p>%s</p><p>%s</p>") % (
                env._("SLA breached."),
                Markup("<br/>").join(lines),
            )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(todos)
        self._message_log_batch(notes)

    def _spm_on_state(self, target):
        """The escalation to-do of a request resolved, closed or cancelled is done."""
        res = super()._spm_on_state(target)
        escalated = self.filtered("escalated")
        if target not in OPEN_STATES and escalated:
            escalated.activity_feedback(
                [ESCALATION_TYPE],
                feedback=self.env._(
                    "The request is %(state)s.", state=self._spm_state_label(target)
                ),
            )
        return res
