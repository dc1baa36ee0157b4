from odoo import fields, models


# Settings live in models/, as in core (the transient settings model, not a wizard).
class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "spm.input.mixin"]

    spm_archive_stale_days = fields.Integer(
        related="company_id.spm_archive_stale_days", readonly=False
    )
