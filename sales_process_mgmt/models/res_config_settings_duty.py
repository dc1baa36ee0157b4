from odoo import fields, models


class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "res.config.settings"

    spm_stale_days = fields.Integer(related="company_id.spm_stale_days", readonly=False)
    spm_scorecard_freeze_days = fields.Integer(
        related="company_id.spm_scorecard_freeze_days", readonly=False
    )
    spm_daily_report_hour = fields.Integer(
        related="company_id.spm_daily_report_hour", readonly=False
    )
