from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _sale_create_reinvoice_sale_line(self):
        """Re-invoicing expenses and vendor bills is the one flow that flags order lines
        as expenses: its lines are written through the protected-fields bypass (see
        ``sale.order.line._spm_is_discountable``)."""
        flow = self.with_context(self.env["sale.order.line"]._spm_protected().env.context)
        return super(AccountMoveLine, flow)._sale_create_reinvoice_sale_line()
