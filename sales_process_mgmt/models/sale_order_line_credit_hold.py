from odoo import api, models

# Line fields whose change can raise a confirmed order (see sale.order
# ``_spm_check_credit_hold_on_increase``).
HOLD_LINE_FIELDS = frozenset(
    {
        "order_id",
        "product_id",
        "product_uom_qty",
        "product_uom",
        "product_packaging_id",
        "product_packaging_qty",
        "price_unit",
        "discount",
        "tax_id",
    }
)


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if isinstance(vals.get("order_id"), int)}
        )
        # An order write applying line commands checks its orders once, around them all.
        before = orders._spm_outside_order_write()._spm_credit_snapshot()
        lines = super().create(vals_list)
        if before:
            orders._spm_check_credit_hold_on_increase(before)
        return lines

    def write(self, vals):
        if not HOLD_LINE_FIELDS & set(vals):
            return super().write(vals)
        orders = self.order_id
        if isinstance(vals.get("order_id"), int):
            orders |= orders.browse(vals["order_id"])
        before = orders._spm_outside_order_write()._spm_credit_snapshot()
        result = super().write(vals)
        if before:
            orders._spm_check_credit_hold_on_increase(before)
        return result
