from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class SpmCreditOverrideWizard(models.TransientModel):
    _name = "spm.credit.override.wizard"
    _inherit = ["spm.input.mixin"]
    _description = "Override Credit Hold"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    partner_id = fields.Many2one(related="order_id.partner_id")
    hold_reasons = fields.Text(compute="_compute_hold_reasons", string="Why the Order Is Held")
    reason = fields.Text(string="Override Reason", required=True)

    @api.depends("order_id")
    def _compute_hold_reasons(self):
        cache = {}
        for wizard in self:
            order = wizard.order_id
            wizard.hold_reasons = "\n".join(
                reason
                for partner in order._spm_credit_hold_partners()
                for reason in order._spm_credit_hold_reasons(cache=cache, partner=partner)
            )

    @api.model
    def _action_for(self, order):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override Credit Hold"),
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_order_id": order.id},
        }

    def action_confirm(self):
        self.ensure_one()
        if not self.env.user.has_group("sales_process_mgmt.group_spm_credit_override"):
            raise AccessError(self.env._("Only credit managers may override a credit hold."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason for overriding the credit hold."))
        self.order_id._spm_credit_override(reason)
        return {"type": "ir.actions.act_window_close"}
