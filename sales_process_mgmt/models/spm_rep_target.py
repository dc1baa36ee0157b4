"""Targets of the rep's seven duties 销售人员的职责和义务, per rep or sales team and period.

A target holds one line per duty (target and weight; the weights sum to 100). A team's
target spreads to its reps in the scorecard: amounts split equally among them, ratios
copied; a rep's own target for the same period replaces the team's.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import date_utils

DUTIES = [
    ("sales", "Sales Amount"),
    ("dso", "Collection Period (DSO)"),
    ("collection_rate", "Collection Rate"),
    ("margin", "Profit Margin"),
    ("funnel", "Sales Funnel (Won Revenue)"),
    ("new_customers", "New Market Development"),
    ("satisfaction", "Customer Satisfaction"),
]
# Duties whose target is an amount or a count: a team's target is split among its reps.
SPLIT_DUTIES = ("sales", "funnel", "new_customers")
# Duties where less is better: attainment is target / actual.
LOWER_IS_BETTER = ("dso",)

PERIOD_MONTHS = {"month": 1, "quarter": 3, "year": 12}


def period_start(period, day):
    """The first day of the ``period`` (month, quarter or year) holding ``day``."""
    return date_utils.start_of(fields.Date.to_date(day), period)


class SpmRepTarget(models.Model):
    _name = "spm.rep.target"
    _description = "Rep Duty Target"
    _inherit = ["mail.thread", "spm.input.mixin"]
    _order = "date_from desc, team_id, user_id"

    user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        domain=[("share", "=", False)],
        index=True,
        tracking=True,
        help="The rep this target is for; leave empty for a sales team's target.",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        index=True,
        tracking=True,
        help="A team's target spreads to its reps: amounts are split equally among them, "
        "ratios apply to each. A rep's own target for the period replaces it.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period = fields.Selection(
        [("month", "Month"), ("quarter", "Quarter"), ("year", "Year")],
        required=True,
        default="month",
        tracking=True,
    )
    date_from = fields.Date(
        string="From",
        required=True,
        default=lambda self: period_start("month", fields.Date.context_today(self)),
        tracking=True,
    )
    date_to = fields.Date(string="To", compute="_compute_date_to", store=True)
    line_ids = fields.One2many("spm.rep.target.line", "target_id", string="Duties", copy=True)
    weight_total = fields.Float(string="Total Weight", compute="_compute_weight_total", store=True)

    @api.depends("period", "date_from")
    def _compute_date_to(self):
        for target in self:
            months = PERIOD_MONTHS.get(target.period)
            target.date_to = (
                target.date_from + relativedelta(months=months, days=-1)
                if months and target.date_from
                else False
            )

    @api.depends("line_ids.weight")
    def _compute_weight_total(self):
        for target in self:
            target.weight_total = sum(target.line_ids.mapped("weight"))

    @api.depends("user_id", "team_id", "period", "date_from")
    def _compute_display_name(self):
        labels = dict(self._fields["period"]._description_selection(self.env))
        for target in self:
            who = target.user_id.name or target.team_id.name or ""
            target.display_name = (
                f"{who} · {labels.get(target.period, '')} {target.date_from or ''}"
            )

    def _message_auto_subscribe_followers(self, updated_values, default_subtype_ids):
        # A target is set for the rep, not assigned to the rep to work on: no
        # "assigned to you" mail.
        return []

    @api.onchange("period", "date_from")
    def _onchange_period_start(self):
        if self.period and self.date_from:
            self.date_from = period_start(self.period, self.date_from)

    # NULLs are distinct: each constraint holds for the targets of its kind only.
    _sql_constraints = [
        (
            "user_period_uniq",
            "unique(company_id, user_id, period, date_from)",
            "This rep already has a target for this period: change that one instead of "
            "adding a second.",
        ),
        (
            "team_period_uniq",
            "unique(company_id, team_id, period, date_from)",
            "This team already has a target for this period: change that one instead of "
            "adding a second.",
        ),
    ]

    # company_id always has a value: the check runs on every creation.
    @api.constrains("user_id", "team_id", "company_id")
    def _check_owner(self):
        for target in self:
            if bool(target.user_id) == bool(target.team_id):
                raise ValidationError(
                    self.env._("A target is either for one sales rep or for one sales team.")
                )

    @api.constrains("period", "date_from")
    def _check_period_start(self):
        for target in self:
            if target.date_from != period_start(target.period, target.date_from):
                raise ValidationError(
                    self.env._(
                        "A target's period starts on the first day of its %(period)s "
                        "(%(date)s, not %(given)s).",
                        period=dict(self._fields["period"]._description_selection(self.env))[
                            target.period
                        ].lower(),
                        date=period_start(target.period, target.date_from),
                        given=target.date_from,
                    )
                )

    @api.constrains("weight_total")
    def _check_weight_total(self):
        for target in self:
            if round(target.weight_total, 2) != 100:
                raise ValidationError(
                    self.env._(
                        "The weights of the duties of %(target)s sum to %(total)s: they "
                        "must sum to 100.",
                        target=target.display_name,
                        total=round(target.weight_total, 2),
                    )
                )

    def _period_key(self, date_from=None):
        return (
            self.user_id.id,
            self.team_id.id,
            self.company_id.id,
            self.period,
            date_from or self.date_from,
        )

    def action_copy_to_next_period(self):
        """The same duties, targets and weights for the following period; a target
        that already exists there is left as it is."""
        next_from = {
            target: target.date_from + relativedelta(months=PERIOD_MONTHS[target.period])
            for target in self
        }
        existing = self.search(
            [
                ("company_id", "in", self.company_id.ids),
                ("date_from", "in", list(set(next_from.values()))),
            ]
        )
        taken = {target._period_key() for target in existing}
        created = self.browse()
        for target, date_from in next_from.items():
            if target._period_key(date_from) not in taken:
                created |= target.copy({"date_from": date_from})
        if not created:
            raise UserError(self.env._("The next period already has these targets."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_rep_target_action"
        )
        if len(created) == 1:
            action.update(res_id=created.id, views=[(False, "form")])
        else:
            action["domain"] = [("id", "in", created.ids)]
        return action


class SpmRepTargetLine(models.Model):
    _name = "spm.rep.target.line"
    _inherit = ["spm.input.mixin"]
    _description = "Rep Duty Target Line"
    _order = "target_id, sequence, id"

    target_id = fields.Many2one(
        "spm.rep.target", string="Duty Target", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    duty = fields.Selection(DUTIES, required=True)
    target = fields.Float(
        required=True,
        help="Sales amount and won revenue in the company's currency; collection period "
        "in days (lower is better); collection rate and profit margin in %; new market "
        "development in new customers; satisfaction from 1 to 5.",
    )
    weight = fields.Float(
        required=True, help="Share of the duty in the score; the weights sum to 100."
    )
    unit = fields.Char(compute="_compute_unit")

    _sql_constraints = [
        (
            "duty_uniq",
            "unique(target_id, duty)",
            "A target lists each duty once.",
        ),
        ("target_positive", "CHECK(target >= 0)", "A duty's target cannot be negative."),
        (
            "weight_range",
            "CHECK(weight >= 0 AND weight <= 100)",
            "A duty's weight is between 0 and 100.",
        ),
    ]

    @api.depends("duty", "target_id.currency_id")
    def _compute_unit(self):
        units = {
            "dso": self.env._("days"),
            "collection_rate": "%",
            "margin": "%",
            "new_customers": self.env._("customers"),
            "satisfaction": self.env._("of 5"),
        }
        for line in self:
            currency = line.target_id.currency_id or self.env.company.currency_id
            line.unit = units.get(line.duty, currency.symbol)

    @api.constrains("duty", "target")
    def _check_target_range(self):
        for line in self:
            if line.duty in ("collection_rate", "margin") and line.target > 100:
                raise ValidationError(self.env._("A rate's target is at most 100%."))
            if line.duty == "satisfaction" and line.target > 5:
                raise ValidationError(
                    self.env._("Satisfaction is scored from 1 to 5: its target is at most 5.")
                )
