from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    spm_archive_stale_days = fields.Integer(
        related="company_id.spm_archive_stale_days", readonly=False
    )
    spm_collection_horizon_days = fields.Integer(
        related="company_id.spm_collection_horizon_days", readonly=False
    )
