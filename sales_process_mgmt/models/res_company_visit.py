from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Check-in radius, revisit intervals per customer class and planning horizon."""

    _inherit = "res.company"

    spm_visit_radius_m = fields.Integer(
        string="Check-in Radius (m)",
        default=300,
        help="A check-in within this distance of the customer's location is verified.",
    )
    spm_visit_interval_a = fields.Integer(string="Revisit Interval Class A (days)", default=7)
    spm_visit_interval_b = fields.Integer(string="Revisit Interval Class B (days)", default=14)
    spm_visit_interval_c = fields.Integer(string="Revisit Interval Class C (days)", default=30)
    spm_visit_interval_d = fields.Integer(string="Revisit Interval Class D (days)", default=60)
    spm_revisit_horizon_days = fields.Integer(
        string="Revisit Planning Horizon (days)",
        default=3,
        help="Revisits are planned for customers due within this many days.",
    )

    @api.constrains(
        "spm_visit_radius_m",
        "spm_visit_interval_a",
        "spm_visit_interval_b",
        "spm_visit_interval_c",
        "spm_visit_interval_d",
        "spm_revisit_horizon_days",
    )
    def _check_spm_visit_settings(self):
        for company in self:
            if company.spm_visit_radius_m < 1:
                raise ValidationError(
                    self.env._(
                        "The check-in radius of %(company)s must be at least one metre.",
                        company=company.display_name,
                    )
                )
            intervals = (
                company.spm_visit_interval_a,
                company.spm_visit_interval_b,
                company.spm_visit_interval_c,
                company.spm_visit_interval_d,
            )
            if min(intervals) < 1:
                raise ValidationError(
                    self.env._(
                        "The revisit intervals of %(company)s must be at least one day.",
                        company=company.display_name,
                    )
                )
            if company.spm_revisit_horizon_days < 0:
                raise ValidationError(
                    self.env._(
                        "The revisit planning horizon of %(company)s cannot be negative.",
                        company=company.display_name,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if any(fname.startswith("spm_visit_interval_") for fname in vals):
            self.env["res.partner"]._spm_recompute_visit_due(self)
        return res
