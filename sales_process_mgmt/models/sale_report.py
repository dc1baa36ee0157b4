from odoo import fields, models


class SaleReport(models.Model):
    _inherit = "sale.report"

    state = fields.Selection(selection_add=[("to_approve", "To Approve"), ("sale",)])
