from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """How often a market archive is reviewed."""

    _name = "res.company"
    _inherit = ["res.company", "spm.input.mixin"]

    spm_archive_stale_days = fields.Integer(
        string="Archive Review Interval (days)",
        default=90,
        help="A market archive not reviewed for this many days is flagged stale.",
    )

    @api.constrains("spm_archive_stale_days")
    def _check_spm_archive_stale_days(self):
        for company in self:
            if company.spm_archive_stale_days < 1:
                raise ValidationError(
                    self.env._(
                        "The archive review interval of %(company)s must be at least one day.",
                        company=company.display_name,
                    )
                )
