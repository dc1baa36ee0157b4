from odoo import fields, models


class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "res.config.settings"

    spm_sellout_stockout_days = fields.Integer(
        related="company_id.spm_sellout_stockout_days", readonly=False
    )
    spm_sellout_tolerance = fields.Float(related="company_id.spm_sellout_tolerance", readonly=False)
