from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    def js_assign_outstanding_line(self, line_id):
        """An outstanding payment or credit note applied from the invoice leaves room for
        the field money awaiting confirmation on it, as the Register Payment dialog does
        (``account_payment_register_collection.py``): applied, then checked."""
        result = super().js_assign_outstanding_line(line_id)
        Receipt = self.env["spm.collection.receipt"]
        for move in self:
            Receipt._spm_awaiting_on(move)._spm_check_room_left(
                move.amount_residual,
                move.currency_id,
                move.company_id,
                fields.Date.context_today(move),
            )
        return result
