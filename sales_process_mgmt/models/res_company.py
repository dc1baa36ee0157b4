from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    spm_archive_stale_days = fields.Integer(
        string="Archive Review Interval (days)",
        default=90,
        help="A market archive not reviewed for this many days is flagged stale.",
    )

    spm_collection_horizon_days = fields.Integer(
        string="Collection Horizon (days)",
        default=7,
        help="Invoices due within this many days get a collection task, as do overdue ones.",
    )

    @api.constrains("spm_collection_horizon_days")
    def _check_spm_collection_horizon_days(self):
        for company in self:
            if company.spm_collection_horizon_days < 0:
                raise ValidationError(
                    self.env._(
                        "The collection horizon of %(company)s cannot be negative.",
                        company=company.display_name,
                    )
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
