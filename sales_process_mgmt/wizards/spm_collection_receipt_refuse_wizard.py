"""Refuse: finance sends money recorded in the field back to the rep with the reason."""

from odoo import fields, models


class SpmCollectionReceiptRefuseWizard(models.TransientModel):
    _name = "spm.collection.receipt.refuse.wizard"
    _inherit = ["spm.input.mixin"]
    _description = "Refuse Money Received"

    receipt_ids = fields.Many2many("spm.collection.receipt", string="Receipts", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.receipt_ids._refuse(self.reason)
        return {"type": "ir.actions.act_window_close"}
