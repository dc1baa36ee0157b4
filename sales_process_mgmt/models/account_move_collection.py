from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    def js_assign_outstanding_line(self, line_id):
        """An outstanding payment or credit note applied from the invoice leaves room for
        the field money awaiting confirmation on it, as the Register Payment dialog does
        (``account_payment_register_collection.py``): applied, then checked."""
        result = super().js_assign_outstanding_line(line_id)  # one invoice (ensure_one)
        self.env["spm.collection.receipt"]._spm_awaiting_on(self)._spm_check_room_left(
            self.amount_residual, self.currency_id, self.company_id, fields.Date.context_today(self)
        )
        return result
