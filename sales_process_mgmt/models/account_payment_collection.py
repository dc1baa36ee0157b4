"""Customer payments recorded in the field: posting one is finance confirming the money
(never by whoever received it), cancelling one is refusing it with a reason, through
the Refuse button."""

from odoo import fields, models
from odoo.exceptions import UserError

from .spm_protected_mixin import is_protected

# What the rep recorded: finance confirms or refuses it, it does not rewrite it.
FROZEN_FIELDS = frozenset({"amount", "currency_id", "partner_id", "payment_type", "partner_type"})


class AccountPayment(models.Model):
    _inherit = "account.payment"

    spm_receipt_awaiting = fields.Boolean(
        string="Field Money Awaiting Confirmation", compute="_compute_spm_receipt_awaiting"
    )

    def _compute_spm_receipt_awaiting(self):
        awaiting = self._spm_receipts("awaiting").payment_id
        for payment in self:
            payment.spm_receipt_awaiting = payment._origin in awaiting

    def _spm_receipts(self, state=None):
        """The receipts (in ``state``) of these payments, as the system."""
        domain = [("payment_id", "in", self._origin.ids)]
        if state:
            domain.append(("state", "=", state))
        return self.env["spm.collection.receipt"].sudo().search(domain)

    def write(self, vals):
        """Every way a payment is posted, validated, cancelled or reset writes its state
        (the buttons, the journal entry's own buttons, an RPC client): the money of a
        receipt is confirmed by someone else than the rep, refused only with a reason,
        and its draft keeps the amount and customer the rep recorded."""
        state = vals.get("state")
        frozen = FROZEN_FIELDS & vals.keys()
        if not (state or frozen) or "move_id" in vals or is_protected(self.env):
            # "move_id": the journal entry made inside the posting write itself
            return super().write(vals)
        receipts = self._spm_receipts()
        awaiting = receipts.filtered(lambda receipt: receipt.state == "awaiting")
        if awaiting and (frozen or state in ("canceled", "rejected")):
            raise UserError(
                self.env._(
                    "Payment %(payment)s is money a rep received in the field: refuse "
                    "it with the Refuse button and a reason, so that the rep is told "
                    "and records the right amount.",
                    payment=awaiting.payment_id[:1].display_name,
                )
            )
        posting = state in ("in_process", "paid")
        if posting:
            awaiting.with_env(self.env)._check_not_own()
        result = super().write(vals)
        if posting:
            awaiting._after_posted()
        elif state == "draft":
            receipts.filtered(lambda receipt: receipt.state == "confirmed")._after_reset()
        return result

    def action_spm_refuse_receipt(self):
        self.ensure_one()
        receipts = self._spm_receipts("awaiting")
        return receipts.with_env(self.env).action_open_refuse_wizard()
