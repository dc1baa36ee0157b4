from odoo import models

from ..models.spm_protected_mixin import protected


class SaleAdvancePaymentInv(models.TransientModel):
    _inherit = "sale.advance.payment.inv"

    def _create_invoices(self, sale_orders):
        """Down payments are the one flow that flags order lines as down payments: the
        lines it makes (no product, no quantity, priced from the order) are written
        through the protected-fields bypass (see ``sale.order.line._spm_is_discountable``)."""
        if self.advance_payment_method == "delivered":
            return super()._create_invoices(sale_orders)
        flow = protected(self)
        return super(SaleAdvancePaymentInv, flow)._create_invoices(sale_orders)
