"""POP Installed: the photo that proves a planned deployment is up at the outlet."""

from odoo import fields, models

from ..models.spm_time import spm_today


class SpmPopInstallWizard(models.TransientModel):
    _name = "spm.pop.install.wizard"
    _inherit = ["spm.input.mixin"]
    _description = "POP Installed"

    deployment_id = fields.Many2one("spm.pop.deployment", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="deployment_id.partner_id", string="Outlet")
    visit_id = fields.Many2one("spm.visit", ondelete="cascade")
    photo = fields.Image(
        string="Installation Photo", required=True, max_width=1920, max_height=1920
    )
    installed_on = fields.Date(
        required=True, default=lambda self: spm_today(self.env.user, self.env.company)
    )

    def action_confirm(self):
        self.ensure_one()
        self.deployment_id._spm_install(self.photo, self.installed_on, self.visit_id)
        return {"type": "ir.actions.act_window_close"}
