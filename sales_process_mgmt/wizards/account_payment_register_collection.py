"""Registering a payment on an invoice whose money a rep received in the field and
finance has not confirmed yet: that money is there already. The wizard names it, and it
refuses to collect it a second time."""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import formatLang


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    spm_receipt_ids = fields.Many2many(
        "spm.collection.receipt",
        string="Field Money Awaiting Confirmation",
        compute="_compute_spm_receipt_ids",
    )

    @api.depends("line_ids")
    def _compute_spm_receipt_ids(self):
        Receipt = self.env["spm.collection.receipt"].sudo()
        for wizard in self:
            wizard.spm_receipt_ids = Receipt.search(
                [("task_id.move_id", "in", wizard.line_ids.move_id.ids), ("state", "=", "awaiting")]
            )

    def _create_payments(self):
        """Whatever the wizard pays of the invoices leaves room for the money awaiting
        confirmation on them: what is left open once it is paid (nothing when the
        difference is written off, or when several payments are made at once)."""
        for wizard in self:
            receipts = wizard.spm_receipt_ids.sudo()
            if not receipts:
                continue
            awaiting = sum(
                receipt.currency_id._convert(
                    receipt.amount, wizard.currency_id, wizard.company_id, wizard.payment_date
                )
                for receipt in receipts
            )
            left_open = (
                wizard.payment_difference
                if wizard.can_edit_wizard and wizard.payment_difference_handling == "open"
                else 0.0
            )
            if wizard.currency_id.compare_amounts(awaiting, left_open) > 0:
                raise UserError(
                    self.env._(
                        "%(amount)s a rep received in the field on these invoices awaits "
                        "your confirmation (%(receipts)s): confirm it by posting its payment, "
                        "or refuse it, before registering this money again; or register "
                        "only what is due beyond it.",
                        amount=formatLang(self.env, awaiting, currency_obj=wizard.currency_id),
                        receipts=", ".join(receipts.mapped("name")),
                    )
                )
        return super()._create_payments()
