from odoo import fields, models


class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "res.config.settings"

    spm_visit_radius_m = fields.Integer(related="company_id.spm_visit_radius_m", readonly=False)
    spm_visit_interval_a = fields.Integer(related="company_id.spm_visit_interval_a", readonly=False)
    spm_visit_interval_b = fields.Integer(related="company_id.spm_visit_interval_b", readonly=False)
    spm_visit_interval_c = fields.Integer(related="company_id.spm_visit_interval_c", readonly=False)
    spm_visit_interval_d = fields.Integer(related="company_id.spm_visit_interval_d", readonly=False)
    spm_revisit_horizon_days = fields.Integer(
        related="company_id.spm_revisit_horizon_days", readonly=False
    )
