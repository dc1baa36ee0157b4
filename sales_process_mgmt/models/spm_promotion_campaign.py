"""Regional promotion campaigns (区域促销活动).

A manager plans a campaign (regions, outlets, period, products, target, budget) and
approves it; the daily scheduled action starts it on its first day and ends it after
its last one, on the company's clock; the manager then scores it. Its figures (sales
during the period against the same-length period before, margin, cost, ROI) are read
from the tracking report ``spm.promotion.report``, the one place they are computed.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL

from .spm_cron import REMAINING_BATCHES, run_batches
from .spm_manager import is_sales_manager
from .spm_protected_mixin import NOBODY
from .spm_time import spm_local_to_utc, spm_today, spm_tz

CAMPAIGN_STATES = [
    ("draft", "Draft"),
    ("approved", "Approved"),
    ("running", "Running"),
    ("done", "Done"),
    ("evaluated", "Evaluated"),
]
# Figures of a campaign, as the tracking report sums them.
FIGURE_FIELDS = (
    "amount",
    "baseline_amount",
    "uplift_amount",
    "margin",
    "uplift_margin",
    "cost",
)


def check_sales_manager(env, what):
    """Refuse ``what`` (a phrase: "approve campaign X") to anybody but a sales manager."""
    if not is_sales_manager(env):
        raise UserError(
            env._(
                "Only a sales manager may %(what)s: ask your sales manager.",
                what=what,
            )
        )


class SpmPromotionCampaign(models.Model):
    _name = "spm.promotion.campaign"
    _description = "Promotion Campaign"
    _inherit = ["mail.thread", "mail.activity.mixin", "spm.protected.mixin", "spm.input.mixin"]
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Campaign", required=True, tracking=True)
    state = fields.Selection(
        CAMPAIGN_STATES,
        string="Status",
        required=True,
        default="draft",
        tracking=True,
        index=True,
        copy=False,
    )
    region_ids = fields.Many2many(
        "spm.region",
        "spm_promotion_campaign_region_rel",
        "campaign_id",
        "region_id",
        string="Regions",
        check_company=True,
    )
    partner_ids = fields.Many2many(
        "res.partner",
        "spm_promotion_campaign_partner_rel",
        "campaign_id",
        "partner_id",
        string="Outlets",
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    product_ids = fields.Many2many(
        "product.product",
        "spm_promotion_campaign_product_rel",
        "campaign_id",
        "product_id",
        string="Products",
        check_company=True,
    )
    date_start = fields.Date(string="Start", required=True, tracking=True)
    date_end = fields.Date(string="End", required=True, tracking=True)
    period_days = fields.Integer(string="Days", compute="_compute_period", store=True)
    period_start_at = fields.Datetime(
        string="Period Start",
        compute="_compute_period",
        store=True,
        help="First moment of the period in the company's timezone (stored in UTC).",
    )
    period_end_at = fields.Datetime(
        string="Period End",
        compute="_compute_period",
        store=True,
        help="The moment after the period's last day in the company's timezone.",
    )
    baseline_start_at = fields.Datetime(
        string="Comparison From",
        compute="_compute_period",
        store=True,
        help="Start of the period of the same length just before the campaign.",
    )
    description = fields.Text(
        string="Plan", help="Mechanics of the promotion: offer, display, staff, media."
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        tracking=True,
        index=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    target_amount = fields.Monetary(
        string="Sales Target", tracking=True, help="Sales of the products at the outlets."
    )
    budget_amount = fields.Monetary(string="Campaign Budget", tracking=True)
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_on = fields.Datetime(readonly=True, copy=False)
    cost_ids = fields.One2many("spm.promotion.cost", "campaign_id", string="Costs")
    execution_ids = fields.One2many("spm.promotion.execution", "campaign_id", string="Executions")
    planned_cost = fields.Monetary(compute="_compute_planned_cost")
    outlet_count = fields.Integer(string="Number of Outlets", compute="_compute_execution_counts")
    verified_outlet_count = fields.Integer(
        string="Verified Outlets",
        compute="_compute_execution_counts",
        help="Outlets whose execution is done and proven by a verified check-in.",
    )
    # The tracking report's figures for the campaign
    sales_amount = fields.Monetary(string="Sales", compute="_compute_figures")
    baseline_amount = fields.Monetary(string="Sales Before", compute="_compute_figures")
    uplift_amount = fields.Monetary(string="Uplift", compute="_compute_figures")
    uplift_percent = fields.Float(string="Uplift (%)", compute="_compute_figures")
    margin = fields.Monetary(compute="_compute_figures")
    uplift_margin = fields.Monetary(compute="_compute_figures")
    actual_cost = fields.Monetary(compute="_compute_figures")
    roi = fields.Float(string="ROI (%)", compute="_compute_figures")
    target_percent = fields.Float(string="Target Reached (%)", compute="_compute_figures")
    evaluation_score = fields.Integer(
        string="Score", tracking=True, copy=False, help="From 1 (poor) to 5 (excellent)."
    )
    evaluation_note = fields.Text(string="Evaluation", copy=False)
    evaluated_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    evaluated_on = fields.Datetime(readonly=True, copy=False)

    @api.depends("date_start", "date_end", "company_id.partner_id.tz")
    def _compute_period(self):
        for campaign in self:
            start, end = campaign.date_start, campaign.date_end
            if not (start and end) or end < start:
                campaign.update(
                    {
                        "period_days": 0,
                        "period_start_at": False,
                        "period_end_at": False,
                        "baseline_start_at": False,
                    }
                )
                continue
            days = (end - start).days + 1
            tz = spm_tz(campaign.company_id)
            campaign.update(
                {
                    "period_days": days,
                    "period_start_at": spm_local_to_utc(tz, start, 0),
                    "period_end_at": spm_local_to_utc(tz, end + timedelta(days=1), 0),
                    "baseline_start_at": spm_local_to_utc(tz, start - timedelta(days=days), 0),
                }
            )

    @api.depends("cost_ids.planned_amount")
    def _compute_planned_cost(self):
        for campaign in self:
            campaign.planned_cost = sum(campaign.cost_ids.mapped("planned_amount"))

    @api.depends("partner_ids", "execution_ids.verified")
    def _compute_execution_counts(self):
        verified = dict(
            self.env["spm.promotion.execution"]._read_group(
                [("campaign_id", "in", self.ids), ("verified", "=", True)],
                ["campaign_id"],
                ["partner_id:count_distinct"],
            )
        )
        for campaign in self:
            campaign.outlet_count = len(campaign.partner_ids)
            campaign.verified_outlet_count = verified.get(campaign._origin, 0)

    def _compute_figures(self):
        figures = {
            campaign: dict(zip(FIGURE_FIELDS, values, strict=True))
            for campaign, *values in self.env["spm.promotion.report"]._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id"],
                [f"{fname}:sum" for fname in FIGURE_FIELDS],
            )
        }
        Report = self.env["spm.promotion.report"]
        for campaign in self:
            row = figures.get(campaign._origin, dict.fromkeys(FIGURE_FIELDS, 0.0))
            target = campaign.target_amount
            campaign.update(
                {
                    "sales_amount": row["amount"],
                    "baseline_amount": row["baseline_amount"],
                    "uplift_amount": row["uplift_amount"],
                    "uplift_percent": Report._spm_uplift_percent(row),
                    "margin": row["margin"],
                    "uplift_margin": row["uplift_margin"],
                    "actual_cost": row["cost"],
                    "roi": Report._spm_roi(row),
                    "target_percent": 100.0 * row["amount"] / target if target else 0.0,
                }
            )

    @api.constrains("date_start", "date_end")
    def _check_period(self):
        for campaign in self:
            start, end = campaign.date_start, campaign.date_end
            if start and end and end < start:
                raise ValidationError(
                    self.env._(
                        "Campaign %(campaign)s ends on %(end)s, before it starts on %(start)s: "
                        "set an end date on or after the start date.",
                        campaign=campaign.name,
                        end=campaign.date_end,
                        start=campaign.date_start,
                    )
                )

    @api.constrains("partner_ids")
    def _check_outlets_kept(self):
        """An outlet with executions or costs on the campaign stays one of its outlets."""
        for campaign in self:
            used = (campaign.execution_ids.partner_id | campaign.cost_ids.partner_id).filtered(
                lambda partner, campaign=campaign: partner not in campaign.partner_ids
            )
            if used:
                raise ValidationError(
                    self.env._(
                        "%(outlets)s cannot leave campaign %(campaign)s: executions or costs "
                        "of the campaign are recorded there.",
                        outlets=", ".join(used.mapped("display_name")),
                        campaign=campaign.name,
                    )
                )

    @api.constrains("target_amount", "budget_amount")
    def _check_amounts(self):
        for campaign in self:
            if campaign.target_amount < 0 or campaign.budget_amount < 0:
                raise ValidationError(
                    self.env._(
                        "The sales target and the budget of campaign %(campaign)s cannot be "
                        "negative.",
                        campaign=campaign.name,
                    )
                )

    @api.constrains("evaluation_score", "state")
    def _check_evaluation_score(self):
        for campaign in self:
            if campaign.evaluation_score and not 1 <= campaign.evaluation_score <= 5:
                raise ValidationError(
                    self.env._(
                        "The score of campaign %(campaign)s must be between 1 and 5, not "
                        "%(score)s.",
                        campaign=campaign.name,
                        score=campaign.evaluation_score,
                    )
                )
            if campaign.state == "evaluated" and not campaign.evaluation_score:
                raise ValidationError(campaign._spm_score_missing_message())

    def _spm_score_missing_message(self):
        return self.env._(
            "Campaign %(campaign)s cannot be evaluated without a score: give it a score "
            "from 1 to 5 (and notes) first.",
            campaign=self.name,
        )

    def _spm_protected_fields(self):
        """The state follows the approval, the dates and the evaluation."""
        return dict.fromkeys(
            ("state", "approved_by_id", "approved_on", "evaluated_by_id", "evaluated_on"), NOBODY
        )

    def _spm_protected_hint(self):
        return self.env._(
            "A sales manager approves a campaign with Approve; it starts and ends on its "
            "dates (a daily scheduled action) and is closed with Evaluate."
        )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_draft(self):
        for campaign in self.filtered(lambda campaign: campaign.state != "draft"):
            raise UserError(
                self.env._(
                    "Campaign %(campaign)s is %(state)s: only a draft campaign can be "
                    "deleted; its plan, executions and costs are kept.",
                    campaign=campaign.name,
                    state=campaign._spm_state_label(),
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _spm_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _spm_check_state(self, states, action):
        for campaign in self.filtered(lambda campaign: campaign.state not in states):
            raise UserError(
                self.env._(
                    "Campaign %(campaign)s is %(state)s: %(action)s is not possible now.",
                    campaign=campaign.name,
                    state=campaign._spm_state_label(),
                    action=action,
                )
            )

    def action_approve(self):
        names = ", ".join(self.mapped("name"))
        check_sales_manager(self.env, self.env._("approve campaign %s", names))
        self._spm_check_state(("draft",), self.env._("approval"))
        for campaign in self:
            if not (campaign.partner_ids and campaign.product_ids):
                raise UserError(
                    self.env._(
                        "Campaign %(campaign)s needs its outlets and its products before "
                        "it is approved.",
                        campaign=campaign.name,
                    )
                )
        self.check_access("write")
        self._spm_protected().write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        # a campaign approved on or after its first day starts at once
        self._spm_advance_to_dates()
        return True

    def action_draft(self):
        check_sales_manager(
            self.env, self.env._("reset campaign %s to draft", ", ".join(self.mapped("name")))
        )
        self._spm_check_state(("approved",), self.env._("back to draft"))
        self.check_access("write")
        self._spm_protected().write(
            {"state": "draft", "approved_by_id": False, "approved_on": False}
        )
        return True

    def action_evaluate(self):
        check_sales_manager(
            self.env, self.env._("evaluate campaign %s", ", ".join(self.mapped("name")))
        )
        self._spm_check_state(("done",), self.env._("evaluation"))
        for campaign in self.filtered(lambda campaign: not campaign.evaluation_score):
            raise UserError(campaign._spm_score_missing_message())
        self.check_access("write")
        self._spm_protected().write(
            {
                "state": "evaluated",
                "evaluated_by_id": self.env.uid,
                "evaluated_on": fields.Datetime.now(),
            }
        )
        self.sudo().activity_feedback(
            ["mail.mail_activity_data_todo"], feedback=self.env._("Campaign evaluated.")
        )
        return True

    def action_add_region_outlets(self):
        """Add the outlets (archive type outlet) of the campaign's regions and their
        sub-regions."""
        for campaign in self:
            if not campaign.region_ids:
                continue
            outlets = self.env["res.partner"].search(
                [
                    ("spm_region_id", "child_of", campaign.region_ids.ids),
                    ("spm_archive_type", "=", "outlet"),
                    ("parent_id", "=", False),
                    ("company_id", "in", (False, campaign.company_id.id)),
                ]
            )
            campaign.partner_ids |= outlets
        return True

    def action_view_tracking(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_promotion_report_action"
        )
        action["domain"] = [("campaign_id", "in", self.ids)]
        action["context"] = {"search_default_groupby_partner": 1}
        return action

    def _spm_report_outlet_rows(self):
        """The campaign's figures per outlet for its PDF report, by outlet name; costs
        without outlet come last."""
        self.ensure_one()
        Report = self.env["spm.promotion.report"]
        rows = []
        for partner, *values in Report._read_group(
            [("campaign_id", "=", self.id)],
            ["partner_id"],
            [f"{fname}:sum" for fname in FIGURE_FIELDS],
        ):
            row = dict(zip(FIGURE_FIELDS, values, strict=True))
            row["uplift_percent"] = Report._spm_uplift_percent(row)
            row["outlet"] = partner.display_name if partner else self.env._("Whole campaign")
            rows.append((not partner, row["outlet"], row))
        return [row for __, __, row in sorted(rows, key=lambda item: item[:2])]

    # ------------------------------------------------------------------
    # Dates: the daily scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _spm_dates_domain(self):
        """Campaigns whose state is behind their dates, on each company's today:
        approved ones whose first day has come, running ones whose last day passed."""
        by_company = []
        for [company] in self.sudo()._read_group(
            [("state", "in", ("approved", "running"))], ["company_id"]
        ):
            today = spm_today(company)
            by_company.append(
                [
                    ("company_id", "=", company.id),
                    "|",
                    "&",
                    ("state", "=", "approved"),
                    ("date_start", "<=", today),
                    "&",
                    ("state", "=", "running"),
                    ("date_end", "<", today),
                ]
            )
        return expression.OR(by_company) if by_company else expression.FALSE_DOMAIN

    def _spm_target_state(self):
        today = spm_today(self.company_id)
        if self.state in ("approved", "running") and self.date_end < today:
            return "done"
        if self.state == "approved" and self.date_start <= today:
            return "running"
        return self.state

    def _spm_lock(self):
        """These campaigns locked as core locks rows (``FOR NO KEY UPDATE``), skipping
        those another worker is advancing: what remains is ours alone."""
        if not self:
            return self
        self.flush_recordset(["state"])
        self.env.cr.execute(
            SQL(
                "SELECT id FROM spm_promotion_campaign WHERE id IN %s "
                "ORDER BY id FOR NO KEY UPDATE SKIP LOCKED",
                tuple(self.ids),
            )
        )
        locked = self.browse([row[0] for row in self.env.cr.fetchall()])
        locked.invalidate_recordset(["state"])
        return locked

    def _spm_advance_to_dates(self):
        """Move these campaigns to the state their dates call for; returns how many
        moved."""
        by_state = {}
        for campaign in self._spm_lock():
            target = campaign._spm_target_state()
            if target != campaign.state:
                by_state.setdefault(target, self.browse())
                by_state[target] |= campaign
        for state, campaigns in by_state.items():
            campaigns.sudo()._spm_protected().write({"state": state})
        ended = by_state.get("done", self.browse())
        for campaign in ended:
            campaign.sudo().activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=campaign.user_id.id,
                summary=self.env._("Evaluate campaign %s", campaign.name),
                note=self.env._(
                    "The campaign has ended: check its figures, give it a score from 1 to "
                    "5 and write the evaluation."
                ),
            )
        return sum(len(campaigns) for campaigns in by_state.values())

    @api.model
    def _cron_advance_campaigns(self, batch_size=500):
        """Start approved campaigns on their first day and end running ones after
        their last day (daily). Returns the number of campaigns moved."""
        domain = self._spm_dates_domain()

        def advance_batch():
            campaigns = self.search(domain, order="date_start, id", limit=batch_size)
            if not campaigns:
                return 0, 0
            moved = campaigns._spm_advance_to_dates()
            remaining = (
                self.search_count(domain, limit=REMAINING_BATCHES * batch_size)
                if len(campaigns) == batch_size
                else 0
            )
            # campaigns another worker is advancing are left to it
            return moved, remaining

        return run_batches(self.env, advance_batch)
