from odoo import fields, models


class SpmRepScorecardSnapshot(models.Model):
    """The scorecard of a frozen target, as it was when the period was frozen: later
    payments, credit notes or backdated orders no longer move a closed period's score.
    Written only by the freeze (``spm.rep.target._cron_freeze_scorecards``); the
    scorecard reads these rows in place of the live ones."""

    _name = "spm.rep.scorecard.snapshot"
    _inherit = ["spm.rep.scorecard.row", "spm.input.mixin"]
    _description = "Frozen Rep Scorecard"
    _order = "date_from desc, user_id, duty"

    target_id = fields.Many2one(ondelete="cascade", index=True)
