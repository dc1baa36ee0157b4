from odoo import api, fields, models
from odoo.exceptions import ValidationError

WEEKDAYS = [
    ("0", "Monday"),
    ("1", "Tuesday"),
    ("2", "Wednesday"),
    ("3", "Thursday"),
    ("4", "Friday"),
    ("5", "Saturday"),
    ("6", "Sunday"),
]


class SpmCollectionWindow(models.Model):
    _name = "spm.collection.window"
    _inherit = ["spm.input.mixin"]
    _description = "Collection Blackout Window"
    _order = "rule_id, weekday, hour_from"

    rule_id = fields.Many2one("spm.collection.rule", required=True, ondelete="cascade", index=True)
    weekday = fields.Selection(WEEKDAYS, help="Leave empty for every day of the week.")
    hour_from = fields.Float(string="From", required=True, default=0.0)
    hour_to = fields.Float(string="To", required=True, default=12.0)
    reason = fields.Char(translate=True, help="Why nobody collects then, e.g. market hours.")

    @api.constrains("rule_id", "weekday", "hour_from", "hour_to")
    def _check_rule_keeps_collection_hours(self):
        self.rule_id._check_some_collection_hour()

    @api.constrains("hour_from", "hour_to")
    def _check_hours(self):
        for window in self:
            if not (0 <= window.hour_from <= 24 and 0 <= window.hour_to <= 24):
                raise ValidationError(
                    self.env._(
                        "Blackout window hours of rule %(rule)s must lie between 0 and 24.",
                        rule=window.rule_id.display_name,
                    )
                )
            if window.hour_from >= window.hour_to:
                raise ValidationError(
                    self.env._(
                        "A blackout window of rule %(rule)s must start before it ends "
                        "(from %(hour_from)s to %(hour_to)s).",
                        rule=window.rule_id.display_name,
                        hour_from=window.hour_from,
                        hour_to=window.hour_to,
                    )
                )

    def _covers(self, weekday, hour):
        """Whether one of these windows covers ``hour`` (float) on ``weekday`` (int)."""
        return any(
            (not window.weekday or int(window.weekday) == weekday)
            and window.hour_from <= hour < window.hour_to
            for window in self
        )
