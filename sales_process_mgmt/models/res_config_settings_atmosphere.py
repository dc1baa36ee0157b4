from odoo import fields, models


class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "res.config.settings"

    spm_atmosphere_threshold = fields.Float(
        related="company_id.spm_atmosphere_threshold", readonly=False
    )
