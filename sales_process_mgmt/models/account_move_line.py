from odoo import models

from .spm_protected_mixin import protected


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _sale_create_reinvoice_sale_line(self):
        """Re-invoicing expenses and vendor bills is the one flow that flags order lines
        as expenses: its lines are written through the protected-fields bypass (see
        ``sale.order.line._spm_is_discountable``)."""
        flow = protected(self)
        return super(AccountMoveLine, flow)._sale_create_reinvoice_sale_line()
