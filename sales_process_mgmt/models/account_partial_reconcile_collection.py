"""Field money is not collected twice: whatever matches an invoice with money a rep
received and finance has not confirmed yet (a payment registered, an outstanding credit
applied, a reconciliation over RPC or from a bank statement) must leave that money open
on the invoice. Every one of these paths creates partial reconciliations, so the check
is made there, once."""

from odoo import api, fields, models


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    @api.model_create_multi
    def create(self, vals_list):
        partials = super().create(vals_list)
        moves = (partials.debit_move_id | partials.credit_move_id).move_id
        receipts = self.env["spm.collection.receipt"]._spm_awaiting_on(moves)
        for invoice, invoice_receipts in receipts.grouped(lambda r: r.task_id.move_id).items():
            invoice_receipts._spm_check_room_left(
                invoice.amount_residual,
                invoice.currency_id,
                invoice.company_id,
                fields.Date.context_today(self),
            )
        return partials
