from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """When a customer's stock is at risk of running out, and how far a counted stock
    may exceed what the customer can hold before the report is flagged."""

    _inherit = "res.company"

    spm_sellout_stockout_days = fields.Integer(
        string="Stock-out Risk Below (days)",
        default=14,
        help="A customer's product is at risk of a stock-out when its stock lasts fewer "
        "days than this at the current rate of sale.",
    )
    spm_sellout_tolerance = fields.Float(
        string="Sell-out Tolerance",
        digits="Product Unit of Measure",
        default=1.0,
        help="A sell-out report is flagged when the stock counted exceeds the previous "
        "report's stock plus what was bought since, minus what was sold, by more than "
        "this quantity.",
    )

    @api.constrains("spm_sellout_stockout_days", "spm_sellout_tolerance")
    def _check_spm_sellout_settings(self):
        for company in self:
            if company.spm_sellout_stockout_days < 0 or company.spm_sellout_tolerance < 0:
                raise ValidationError(
                    self.env._(
                        "The stock-out days and the sell-out tolerance of %(company)s "
                        "cannot be negative.",
                        company=company.display_name,
                    )
                )
