from odoo import api, fields, models
from odoo.tools import SQL

from .spm_collection_report import _ratio


class SpmDeliveryReport(models.Model):
    """On-time delivery 按时送货 per rep, customer and month of delivery: the deliveries
    done (outgoing pickings validated) and those done on or before their promised date
    (``stock.picking.spm_on_time``). The rate of a group is computed again from its
    summed counts."""

    _name = "spm.delivery.report"
    _inherit = ["spm.ratio.report.mixin"]
    _description = "On-time Delivery Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Date(string="Month", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Rep", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    picking_count = fields.Integer(string="Deliveries", readonly=True)
    on_time_count = fields.Integer(string="On Time", readonly=True)
    late_count = fields.Integer(string="Late", readonly=True)
    on_time_rate = fields.Float(string="On-time Rate (%)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL("%s %s %s %s", self._select(), self._from(), self._where(), self._group_by())

    @api.model
    def _spm_ratios(self):
        return {
            "on_time_rate": (
                ("on_time_count", "picking_count"),
                lambda row: _ratio(row, "on_time_count", "picking_count", 100.0),
            ),
        }

    def _select(self):
        return SQL(
            """
            SELECT MIN(picking.id) AS id,
                   date_trunc('month', picking.date_done)::date AS date,
                   picking.company_id,
                   picking.spm_user_id AS user_id,
                   partner.commercial_partner_id AS partner_id,
                   COUNT(*) AS picking_count,
                   COUNT(*) FILTER (WHERE picking.spm_on_time) AS on_time_count,
                   COUNT(*) FILTER (WHERE NOT picking.spm_on_time) AS late_count,
                   100.0 * COUNT(*) FILTER (WHERE picking.spm_on_time) / COUNT(*)
                       AS on_time_rate
            """
        )

    def _from(self):
        return SQL(
            """
            FROM stock_picking picking
            JOIN stock_picking_type picking_type ON picking_type.id = picking.picking_type_id
            JOIN res_partner partner ON partner.id = picking.partner_id
            """
        )

    def _where(self):
        return SQL(
            """
            WHERE picking_type.code = 'outgoing'
              AND picking.state = 'done'
              AND picking.date_done IS NOT NULL
            """
        )

    def _group_by(self):
        return SQL(
            """
            GROUP BY date_trunc('month', picking.date_done), picking.company_id,
                     picking.spm_user_id, partner.commercial_partner_id
            """
        )
