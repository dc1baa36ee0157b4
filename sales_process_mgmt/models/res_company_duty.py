from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """When an open opportunity nobody works on is stale; when a closed period's
    scorecard is frozen; when the rep's working day ends and the daily report goes."""

    _inherit = "res.company"

    spm_stale_days = fields.Integer(
        string="Stale Opportunity After (days)",
        default=30,
        help="An open opportunity is stale when it had no stage change, no message and no "
        "activity for this many days.",
    )

    spm_scorecard_freeze_days = fields.Integer(
        string="Scorecard Frozen After (days)",
        default=10,
        help="Days after a target's period ends before its scorecard is stored and no "
        "longer moves (late payments, credit notes, backdated orders).",
    )

    spm_daily_report_hour = fields.Integer(
        string="Daily Report Sent At (hour)",
        default=19,
        help="Hour of the rep's day (0-23, on the rep's clock) after which the daily report "
        "not sent by the rep is sent to the team leader.",
    )

    @api.constrains("spm_daily_report_hour")
    def _check_spm_daily_report_hour(self):
        for company in self:
            if not 0 <= company.spm_daily_report_hour <= 23:
                raise ValidationError(
                    self.env._(
                        "The daily report hour of %(company)s is an hour of the day, 0 to 23.",
                        company=company.display_name,
                    )
                )

    @api.constrains("spm_stale_days", "spm_scorecard_freeze_days")
    def _check_spm_stale_days(self):
        for company in self:
            if company.spm_scorecard_freeze_days < 0:
                raise ValidationError(
                    self.env._(
                        "The scorecard of %(company)s cannot be frozen before its period ends.",
                        company=company.display_name,
                    )
                )
            if company.spm_stale_days < 1:
                raise ValidationError(
                    self.env._(
                        "An opportunity of %(company)s can be stale after one day at the earliest.",
                        company=company.display_name,
                    )
                )
