from odoo import fields, models


class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "res.config.settings"

    spm_offline_max_age_hours = fields.Integer(
        related="company_id.spm_offline_max_age_hours", readonly=False
    )
