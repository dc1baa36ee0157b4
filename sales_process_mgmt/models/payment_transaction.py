from odoo import models

from .sale_order_credit_hold import ONLINE_PAYMENT


class PaymentTransaction(models.Model):
    _inherit = "payment.transaction"

    def _check_amount_and_confirm_order(self):
        """A customer who has paid online is not refused by the credit hold: the hold is
        logged on the order and the salesperson gets an activity instead."""
        return super(
            PaymentTransaction, self.with_context(spm_online_payment=ONLINE_PAYMENT)
        )._check_amount_and_confirm_order()
