from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    spm_visit_id = fields.Many2one(
        "spm.visit",
        string="Visit",
        index="btree_not_null",
        copy=False,
        check_company=True,
        help="The customer visit on which the order was taken.",
    )
