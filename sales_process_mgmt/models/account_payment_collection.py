"""Customer payments recorded in the field: posting one is finance confirming the money
(never by whoever received it), cancelling one is refusing it with a reason, through
the Refuse button."""

from odoo import fields, models
from odoo.exceptions import UserError


class AccountPayment(models.Model):
    _inherit = "account.payment"

    spm_receipt_awaiting = fields.Boolean(
        string="Field Money Awaiting Confirmation", compute="_compute_spm_receipt_awaiting"
    )

    def _compute_spm_receipt_awaiting(self):
        awaiting = self._spm_receipts("awaiting").payment_id
        for payment in self:
            payment.spm_receipt_awaiting = payment._origin in awaiting

    def _spm_receipts(self, state):
        """The receipts in ``state`` of these payments, as the system."""
        return (
            self.env["spm.collection.receipt"]
            .sudo()
            .search([("payment_id", "in", self._origin.ids), ("state", "=", state)])
        )

    def action_post(self):
        receipts = self._spm_receipts("awaiting")
        receipts.with_env(self.env)._check_not_own()
        result = super().action_post()
        receipts._after_posted()
        return result

    def action_cancel(self):
        if not self.env.context.get("spm_receipt_refusal"):
            for payment in self.filtered("spm_receipt_awaiting"):
                raise UserError(
                    self.env._(
                        "Payment %(payment)s is money a rep received in the field: refuse "
                        "it with the Refuse button and a reason, so that the rep is told.",
                        payment=payment.display_name,
                    )
                )
        return super().action_cancel()

    def action_draft(self):
        result = super().action_draft()
        self._spm_receipts("confirmed")._after_reset()
        return result

    def action_spm_refuse_receipt(self):
        self.ensure_one()
        receipts = self._spm_receipts("awaiting")
        return receipts.with_env(self.env).action_open_refuse_wizard()
