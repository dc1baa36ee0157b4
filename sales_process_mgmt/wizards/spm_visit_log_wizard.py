from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SpmVisitLogWizard(models.TransientModel):
    _name = "spm.visit.log.wizard"
    _inherit = ["spm.input.mixin"]
    _description = "Visit Log Book"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        domain="[('parent_id', '=', False)]",
        default=lambda self: self._default_partner_id(),
    )
    date_from = fields.Date(
        required=True, default=lambda self: fields.Date.context_today(self) - timedelta(days=90)
    )
    date_to = fields.Date(required=True, default=fields.Date.context_today)

    @api.model
    def _default_partner_id(self):
        if self.env.context.get("active_model") == "res.partner":
            partner = self.env["res.partner"].browse(self.env.context.get("active_id"))
            return partner.commercial_partner_id.id
        return False

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(self.env._("The log book period must start before it ends."))

    def _get_visits(self):
        self.ensure_one()
        visits = self.env["spm.visit"].search(
            [
                ("partner_id", "=", self.partner_id.commercial_partner_id.id),
                ("visit_date", ">=", self.date_from),
                ("visit_date", "<=", self.date_to),
                ("state", "in", ("done", "missed", "in_progress")),
            ]
        )
        return visits._spm_visit_log_rows()

    def action_print(self):
        self.ensure_one()
        return self.env.ref("sales_process_mgmt.spm_visit_log_report").report_action(self)
