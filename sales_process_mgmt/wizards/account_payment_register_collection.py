"""Registering a payment on an invoice whose money a rep received in the field and
finance has not confirmed yet: that money is there already. The wizard names it, and it
refuses to collect it a second time."""

from odoo import api, fields, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    spm_receipt_ids = fields.Many2many(
        "spm.collection.receipt",
        string="Field Money Awaiting Confirmation",
        compute="_compute_spm_receipt_ids",
    )

    @api.depends("line_ids")
    def _compute_spm_receipt_ids(self):
        Receipt = self.env["spm.collection.receipt"]
        for wizard in self:
            wizard.spm_receipt_ids = Receipt._spm_awaiting_on(wizard.line_ids.move_id)

    def _create_payments(self):
        """Whatever the wizard pays of the invoices leaves room for the money awaiting
        confirmation on them: what is left open once it is paid (nothing when the
        difference is written off, or when several payments are made at once)."""
        for wizard in self:
            left_open = (
                wizard.payment_difference
                if wizard.can_edit_wizard and wizard.payment_difference_handling == "open"
                else 0.0
            )
            wizard.spm_receipt_ids._spm_check_room_left(
                left_open, wizard.currency_id, wizard.company_id, wizard.payment_date
            )
        return super()._create_payments()
