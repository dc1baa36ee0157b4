from odoo import fields, models

from .spm_rep_target import DUTIES


class SpmRepScorecardRow(models.AbstractModel):
    """The columns of a scorecard row: a rep's target, actual and attainment of one
    duty in one period; the live scorecard and its frozen snapshots share them."""

    _name = "spm.rep.scorecard.row"
    _description = "Rep Scorecard Row"

    target_id = fields.Many2one("spm.rep.target", string="Duty Target", readonly=True)
    line_id = fields.Many2one("spm.rep.target.line", string="Duty Target Line", readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Rep", readonly=True)
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        readonly=True,
        help="The team of the target, or the rep's main team for a rep's own target.",
    )
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")], readonly=True
    )
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    duty = fields.Selection(DUTIES, readonly=True)
    target = fields.Float(readonly=True, aggregator="avg")
    actual = fields.Float(readonly=True, aggregator="avg")
    attainment = fields.Float(string="Attainment (%)", readonly=True, aggregator="avg")
    weight = fields.Float(readonly=True)
    weighted_score = fields.Float(
        string="Score",
        readonly=True,
        help="Attainment times weight: summed over a rep's duties, the score out of 100.",
    )
