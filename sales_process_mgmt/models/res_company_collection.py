from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Collection horizon and the default collection rule of each company."""

    _inherit = "res.company"

    spm_collection_horizon_days = fields.Integer(
        string="Collection Horizon (days)",
        default=7,
        help="Invoices due within this many days get a collection task, as do overdue ones.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # Collection: a new company starts with the default rule like the main one.
        self.env["spm.collection.rule"]._create_default_rules(companies)
        return companies

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
