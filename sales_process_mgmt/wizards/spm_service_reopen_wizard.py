"""Reopen: a closed service request goes back to work with the reason logged."""

from odoo import fields, models


class SpmServiceReopenWizard(models.TransientModel):
    _name = "spm.service.reopen.wizard"
    _inherit = ["spm.input.mixin"]
    _description = "Reopen Service Request"

    request_id = fields.Many2one("spm.service.request", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.request_id.action_reopen(self.reason)
        return {"type": "ir.actions.act_window_close"}
