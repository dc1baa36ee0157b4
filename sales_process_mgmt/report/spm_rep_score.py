from odoo import fields, models
from odoo.tools import SQL

from ..models.spm_rep_target import DUTIES


class SpmRepScore(models.Model):
    """The ranking: each rep's weighted score out of 100 per period, the rep's rank
    among the company's reps with a target for the same period, and the weakest duty
    (the lowest attainment, the heavier duty first)."""

    _name = "spm.rep.score"
    _description = "Rep Ranking"
    _auto = False
    _rec_name = "user_id"
    _order = "date_from desc, score desc, user_id"

    user_id = fields.Many2one("res.users", string="Sales Rep", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")], readonly=True
    )
    date_from = fields.Date(string="From", readonly=True)
    date_to = fields.Date(string="To", readonly=True)
    score = fields.Float(readonly=True, aggregator="avg")
    rank = fields.Integer(readonly=True, aggregator="min")
    weakest_duty = fields.Selection(DUTIES, readonly=True)
    weakest_attainment = fields.Float(
        string="Weakest Attainment (%)", readonly=True, aggregator="avg"
    )

    def _spm_cards(self):
        """The scorecard rows of this rep and period, in the order of the duties."""
        self.ensure_one()
        cards = self.env["spm.rep.scorecard"].search(
            [
                ("user_id", "=", self.user_id.id),
                ("company_id", "=", self.company_id.id),
                ("period", "=", self.period),
                ("date_from", "=", self.date_from),
            ]
        )
        order = [duty for duty, __ in DUTIES]
        return cards.sorted(lambda card: order.index(card.duty))

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT MIN(card.id) AS id, card.user_id, MIN(card.team_id) AS team_id,
                   card.company_id, card.period, card.date_from, card.date_to,
                   SUM(card.weighted_score) AS score,
                   RANK() OVER (PARTITION BY card.company_id, card.period, card.date_from
                                ORDER BY SUM(card.weighted_score) DESC) AS rank,
                   (ARRAY_AGG(card.duty ORDER BY card.attainment, card.weight DESC,
                                    card.duty))[1]
                       AS weakest_duty,
                   MIN(card.attainment) AS weakest_attainment
              FROM (%s) card
             GROUP BY card.user_id, card.company_id, card.period, card.date_from,
                      card.date_to
            """,
            self.env["spm.rep.scorecard"]._table_query,
        )
