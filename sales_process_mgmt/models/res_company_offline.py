from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """How old an action kept on a phone without network may be when it is sent."""

    _inherit = "res.company"

    spm_offline_max_age_hours = fields.Integer(
        string="Offline Actions Kept For (hours)",
        default=24,
        help="A check-in or check-out kept on a phone without network is refused when "
        "the phone sends it later than this after it happened.",
    )

    @api.constrains("spm_offline_max_age_hours")
    def _check_spm_offline_max_age_hours(self):
        for company in self:
            if not 1 <= company.spm_offline_max_age_hours <= 24 * 30:
                raise ValidationError(
                    self.env._(
                        "Offline actions of %(company)s are kept between 1 hour and 30 days "
                        "(720 hours), not %(hours)s hours.",
                        company=company.display_name,
                        hours=company.spm_offline_max_age_hours,
                    )
                )
