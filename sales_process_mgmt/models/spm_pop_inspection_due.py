"""Due POP inspections become the rep's to-dos (a daily scheduled action).

A deployment is due when its next inspection date has come at the outlet (today in the
outlet's timezone, else its rep's, else its company's, as ``spm_today`` says; the query
joins the local today of every timezone, so each row is decided on its own clock). Each outlet with
due deployments gets one to-do (a mail activity of type *POP Inspection* on the
outlet, for its rep) listing them; a deployment that becomes due while its outlet's
to-do is still open is added to that to-do. A deployment is notified once per due date
(``inspection_notified_date``): running the job again, or on two workers at once,
schedules nothing twice.

The job (``run_batches`` shape) reads the first ``batch_size`` due deployments (earliest
due first, through an index of the deployments not yet notified) and takes their
outlets whole, with all their due deployments, which it locks (``FOR NO KEY UPDATE SKIP
LOCKED``): an outlet of which another worker (or a user's inspection) holds a deployment
is left for a later batch, so no outlet is split between two workers. A batch reads
only its own rows: the job is linear in the number of due deployments.
"""

import logging
from collections import defaultdict

import psycopg2.errors
import pytz
from markupsafe import Markup

from odoo import api, models
from odoo.tools import SQL, format_date, mute_logger

from .spm_cron import REMAINING_BATCHES, run_batches
from .spm_time import spm_today, spm_todays

_logger = logging.getLogger(__name__)

# Deployed, with an inspection date not yet notified (the partial index's predicate).
_PENDING = SQL(
    "d.state IN ('installed', 'needs_maintenance') "
    "AND d.inspection_notified_date IS DISTINCT FROM d.next_inspection_date"
)


def zone_todays(now=None):
    """``(names, todays, utc_today, latest)``: the local today of every timezone
    ``spm_tz`` knows, of UTC, and the latest of them."""
    names = sorted(pytz.all_timezones_set)
    todays = [spm_today(name, now=now) for name in names]
    return names, todays, spm_today(now=now), spm_todays(now)[1]


class SpmPopDeployment(models.Model):
    _inherit = "spm.pop.deployment"

    @api.model
    def _spm_pop_due_query(self, zones, where=None):
        """``(id, partner_id, next_inspection_date)`` of the deployments due and not yet
        notified (among ``where``, an SQL condition on ``d``): due on or before today
        in the first valid timezone of the outlet, its rep and its company, else UTC —
        as ``spm_today(outlet, rep, company)`` says, for every row in one query."""
        names, todays, utc_today, latest = zones
        return SQL(
            """
            WITH zone (name, today) AS (
                SELECT * FROM unnest(%(names)s::varchar[], %(todays)s::date[])
            )
            SELECT d.id, d.partner_id, d.next_inspection_date
              FROM spm_pop_deployment d
              JOIN res_partner outlet ON outlet.id = d.partner_id
              JOIN res_users rep ON rep.id = d.user_id
              JOIN res_partner rep_partner ON rep_partner.id = rep.partner_id
              JOIN res_company company ON company.id = d.company_id
              JOIN res_partner company_partner ON company_partner.id = company.partner_id
              LEFT JOIN zone outlet_zone ON outlet_zone.name = outlet.tz
              LEFT JOIN zone rep_zone ON rep_zone.name = rep_partner.tz
              LEFT JOIN zone company_zone ON company_zone.name = company_partner.tz
             WHERE %(pending)s
               AND d.next_inspection_date <= %(latest)s
               AND d.next_inspection_date
                   <= COALESCE(outlet_zone.today, rep_zone.today, company_zone.today, %(utc)s)
               AND %(where)s
            """,
            names=names,
            todays=todays,
            pending=_PENDING,
            latest=latest,
            utc=utc_today,
            where=where or SQL("TRUE"),
        )

    @api.model
    def _spm_pop_due_count(self, zones, limit, scope=None):
        """How many deployments are due (among ``scope``), counted up to ``limit``."""
        self.flush_model()
        [[count]] = self.env.execute_query(
            SQL(
                "SELECT COUNT(*) FROM (%s LIMIT %s) due",
                self._spm_pop_due_query(zones, scope),
                limit,
            )
        )
        return count

    @api.model
    def _spm_pop_lock_due_outlets(self, zones, limit, scope=None):
        """``({outlet id: deployments}, rows read)``: the outlets of the first ``limit``
        due deployments (among ``scope``, earliest due first), each with all its due
        deployments, and only when this transaction could lock all of them; the others
        are held by another transaction and left for later."""
        self.flush_model()
        first = self.env.execute_query(
            SQL(
                "%s ORDER BY d.next_inspection_date, d.id LIMIT %s",
                self._spm_pop_due_query(zones, scope),
                limit,
            )
        )
        if not first:
            return {}, 0
        outlet_ids = list(dict.fromkeys(row[1] for row in first))
        rows = self.env.execute_query(
            self._spm_pop_due_query(zones, SQL("d.partner_id = ANY(%s)", outlet_ids))
        )
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    SQL(
                        "SELECT id FROM spm_pop_deployment WHERE id = ANY(%s) ORDER BY id "
                        "FOR NO KEY UPDATE SKIP LOCKED",
                        [row[0] for row in rows],
                    ),
                    log_exceptions=False,
                )
                locked = {row[0] for row in self.env.cr.fetchall()}
        except psycopg2.errors.SerializationFailure:
            # another worker notified some of them since this transaction began
            _logger.info("POP inspections due: deployments changed meanwhile; left for later")
            return {}, len(first)
        due = defaultdict(list)
        for id_, partner_id, __ in rows:
            due[partner_id].append(id_)
        # one prefetch for the batch: its deployments are read together
        outlets = {
            partner_id: self.browse(ids).with_prefetch(tuple(locked))
            for partner_id, ids in due.items()
            if locked.issuperset(ids)
        }
        return outlets, len(first)

    @api.model
    def _cron_pop_inspections_due(self, batch_size=1000, partner_ids=None):
        """Give the reps a to-do per outlet whose POP is due for inspection (daily), or
        only among the outlets ``partner_ids``. Returns the number of deployments
        notified."""
        zones = zone_todays()
        scope = SQL("d.partner_id = ANY(%s)", list(partner_ids)) if partner_ids else None

        def notify_batch():
            outlets, read = self._spm_pop_lock_due_outlets(zones, batch_size, scope)
            self._spm_schedule_inspection_todos(outlets)
            done = sum(len(deployments) for deployments in outlets.values())
            remaining = (
                self._spm_pop_due_count(zones, REMAINING_BATCHES * batch_size, scope)
                if read == batch_size
                else 0
            )
            return done, remaining

        return run_batches(self.env, notify_batch)

    @api.model
    def _spm_inspection_todo_type(self):
        return self.env.ref("sales_process_mgmt.mail_activity_type_spm_pop_inspection")

    def _spm_due_items(self, due_labels):
        """The deployments as the items of their outlet's to-do: material, quantity and
        due date (``due_labels`` caches the dates' labels for the batch)."""
        items = []
        for deployment in self:
            due = deployment.next_inspection_date
            if due not in due_labels:
                due_labels[due] = self.env._("due on %(date)s", date=format_date(self.env, due))
            items.append(
                Markup("<li>%s × %s — %s</li>")  # noqa: RUF001 - the times sign
                % (deployment.material_id.name, deployment.qty, due_labels[due])
            )
        return Markup("").join(items)

    @api.model
    def _spm_schedule_inspection_todos(self, outlets):
        """One to-do per outlet of ``outlets`` (``{outlet id: due deployments}``): its
        open *POP Inspection* to-do gets the new items, else a new one is scheduled for
        the outlet's rep, due on the outlet's today."""
        if not outlets:
            return
        todo_type = self._spm_inspection_todo_type()
        Activity = self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
        partners = self.env["res.partner"].sudo().browse(list(outlets))
        open_todos = {
            activity.res_id: activity
            for activity in Activity.search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                    ("activity_type_id", "=", todo_type.id),
                ],
                order="id",
            )
        }
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        due_labels = {}
        for outlet in partners:
            deployments = outlets[outlet.id].sudo()
            items = deployments._spm_due_items(due_labels)
            todo = open_todos.get(outlet.id)
            if todo:
                todo.note = Markup("%s<ul>%s</ul>") % (todo.note or "", items)
                continue
            rep = (
                deployments.user_id.filtered("active")[:1]
                or outlet.user_id.filtered("active")
                or deployments.user_id[:1]
            )
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": outlet.id,
                    "activity_type_id": todo_type.id,
                    "summary": self.env._(
                        "Inspect the POP of %(outlet)s", outlet=outlet.display_name
                    ),
                    "note": Markup("<p>%s</p><ul>%s</ul>")
                    % (self.env._("POP due for inspection:"), items),
                    "date_deadline": spm_today(outlet, rep, deployments.company_id[:1]),
                    "user_id": rep.id,
                }
            )
        Activity.create(vals_list)
        notified = self.browse([id_ for deployments in outlets.values() for id_ in deployments.ids])
        for due, deployments in notified.sudo().grouped("next_inspection_date").items():
            deployments._spm_protected().with_context(tracking_disable=True).write(
                {"inspection_notified_date": due}
            )

    def _spm_close_inspection_todos(self, visit):
        """The outlets of these deployments whose POP is no longer due: their *POP
        Inspection* to-do is done (inspected on ``visit``)."""
        outlets = self.partner_id
        if not outlets:
            return
        still_due = {
            deployment.partner_id
            for deployment in self.sudo().search(
                [
                    ("partner_id", "in", outlets.ids),
                    ("state", "in", ("installed", "needs_maintenance")),
                    ("next_inspection_date", "!=", False),
                ]
            )
            if deployment.next_inspection_date <= deployment._spm_outlet_today()
        }
        done = outlets.filtered(lambda outlet: outlet not in still_due)
        if not done:
            return
        todos = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", done.ids),
                    ("activity_type_id", "=", self._spm_inspection_todo_type().id),
                ]
            )
        )
        if todos:
            todos.action_feedback(
                feedback=self.env._(
                    "POP inspected on visit %(visit)s.", visit=visit.display_name or "-"
                )
            )
