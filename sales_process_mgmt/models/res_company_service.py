"""A new company starts with the default service levels of after-sales requests."""

from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        self.env["spm.service.sla"]._spm_create_default_levels(companies)
        return companies
