"""Registering a payment on an invoice whose money a rep received in the field and
finance has not confirmed yet: that money is there already. The wizard names it; the
reconciliation refuses to collect it a second time (``account_partial_reconcile_collection``)."""

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
