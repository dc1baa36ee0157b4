from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Below which store atmosphere score an outlet is flagged."""

    _inherit = "res.company"

    spm_atmosphere_threshold = fields.Float(
        string="Poor Atmosphere Threshold",
        digits=(3, 2),
        default=3.0,
        help="An outlet whose latest atmosphere score (1 to 5) is below this is flagged "
        "as having a poor atmosphere.",
    )

    @api.constrains("spm_atmosphere_threshold")
    def _check_spm_atmosphere_threshold(self):
        for company in self:
            if not 1 <= company.spm_atmosphere_threshold <= 5:
                raise ValidationError(
                    self.env._(
                        "The poor atmosphere threshold of %(company)s must be a score "
                        "between 1 and 5, not %(threshold)s.",
                        company=company.display_name,
                        threshold=company.spm_atmosphere_threshold,
                    )
                )

    def write(self, vals):
        res = super().write(vals)
        if "spm_atmosphere_threshold" in vals:
            self.env["res.partner"]._spm_recompute_atmosphere_poor(self)
        return res
