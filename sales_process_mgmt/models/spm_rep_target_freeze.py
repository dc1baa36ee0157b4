"""A target's period is frozen a set number of days after it ends (the company's
*Scorecard Frozen After*): its scorecard is stored as it stands then, and from then on
the target and its duties can no longer be changed, by managers either."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .spm_cron import REMAINING_BATCHES, run_batches
from .spm_protected_mixin import is_protected, protected

SNAPSHOT_COLUMNS = (
    "line_id",
    "target_id",
    "user_id",
    "team_id",
    "company_id",
    "currency_id",
    "period",
    "date_from",
    "date_to",
    "duty",
    "target",
    "actual",
    "attainment",
    "weight",
    "weighted_score",
)


def _refuse_frozen(targets):
    frozen = targets.filtered("frozen")
    if frozen:
        raise UserError(
            frozen.env._(
                "The period of %(target)s is closed and its scorecard frozen: its targets "
                "can no longer change.",
                target=frozen[0].display_name,
            )
        )


class SpmRepTarget(models.Model):
    _inherit = "spm.rep.target"

    frozen = fields.Boolean(
        readonly=True,
        copy=False,
        help="The period is closed: the scorecard shows the figures stored when it was "
        "frozen, and the target can no longer change.",
    )

    def write(self, vals):
        if not is_protected(self.env):
            if "frozen" in vals:
                raise UserError(
                    self.env._("A target is frozen by the scheduled action only, never by hand.")
                )
            _refuse_frozen(self)
        return super().write(vals)

    def unlink(self):
        _refuse_frozen(self)
        return super().unlink()

    @api.model
    def _cron_freeze_scorecards(self, batch_size=200):
        """Freeze the targets whose period ended more than the company's freeze days
        ago. Returns the number of targets frozen."""
        today = fields.Date.context_today(self)

        def freeze_batch():
            targets = self._spm_due_to_freeze(today, batch_size)
            targets._spm_freeze()
            remaining = (
                len(self._spm_due_to_freeze(today, REMAINING_BATCHES * batch_size, lock=False))
                if len(targets) == batch_size
                else 0
            )
            return len(targets), remaining

        return run_batches(self.env, freeze_batch)

    def _spm_due_to_freeze(self, today, limit, lock=True):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT target.id
                  FROM spm_rep_target target
                  JOIN res_company company ON company.id = target.company_id
                 WHERE NOT COALESCE(target.frozen, FALSE)
                   AND target.date_to + COALESCE(company.spm_scorecard_freeze_days, 10) < %s
                 ORDER BY target.id
                 LIMIT %s %s
                """,
                today,
                limit,
                SQL("FOR UPDATE OF target SKIP LOCKED") if lock else SQL(),
            )
        )
        return self.browse(row[0] for row in self.env.cr.fetchall())

    def _spm_freeze(self):
        """Store the scorecard of these targets as it stands, then freeze them."""
        if not self:
            return
        columns = SQL(", ").join(SQL.identifier(column) for column in SNAPSHOT_COLUMNS)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO spm_rep_scorecard_snapshot
                       (%(columns)s, create_uid, create_date, write_uid, write_date)
                SELECT %(card_columns)s, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM (%(live)s) card
                 WHERE card.target_id IN %(targets)s
                """,
                columns=columns,
                card_columns=SQL(", ").join(
                    SQL("card.%s", SQL.identifier(column)) for column in SNAPSHOT_COLUMNS
                ),
                uid=self.env.uid,
                now=fields.Datetime.now(),
                live=self.env["spm.rep.scorecard"]._live_query(),
                targets=tuple(self.ids),
            )
        )
        protected(self).write({"frozen": True})


class SpmRepTargetLine(models.Model):
    _inherit = "spm.rep.target.line"

    @api.model_create_multi
    def create(self, vals_list):
        _refuse_frozen(self.env["spm.rep.target"].browse(vals["target_id"] for vals in vals_list))
        return super().create(vals_list)

    def write(self, vals):
        _refuse_frozen(self.target_id)
        if "target_id" in vals:
            _refuse_frozen(self.env["spm.rep.target"].browse(vals["target_id"]))
        return super().write(vals)

    def unlink(self):
        _refuse_frozen(self.target_id)
        return super().unlink()
