"""What a rep found at an outlet of a running campaign, recorded on a visit.

An execution is *verified* when it is done and its visit's check-in is verified (within
the company's radius of a confirmed customer location, see ``spm_visit.py``): it is the
proof that pays the outlet's costs (费用核销), so once verified it is never changed nor
deleted, by anybody.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.osv import expression
from odoo.tools import SQL


class SpmPromotionExecution(models.Model):
    _name = "spm.promotion.execution"
    _description = "Campaign Execution"
    _inherit = ["spm.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "campaign_id"

    campaign_id = fields.Many2one(
        "spm.promotion.campaign",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('state', '=', 'running'), ('partner_ids', 'in', partner_id)]",
    )
    visit_id = fields.Many2one(
        "spm.visit",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('user_id', '=', uid), ('state', 'in', ('in_progress', 'done'))]",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Outlet",
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        index=True,
    )
    # Copied from the visit, which keeps its rep and its day once checked in: a check-in
    # does not look for executions to update.
    user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        compute="_compute_from_visit",
        store=True,
        precompute=True,
        index=True,
    )
    date = fields.Date(compute="_compute_from_visit", store=True, precompute=True)
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    done = fields.Boolean(help="The outlet runs the campaign as planned.")
    photo = fields.Image(max_width=1920, max_height=1920)
    note = fields.Text()
    location_status = fields.Selection(
        related="visit_id.location_status", string="Check-in Location"
    )
    verified = fields.Boolean(
        compute="_compute_verified",
        search="_search_verified",
        help="Done, and recorded on a visit whose check-in is verified.",
    )

    def init(self):
        """A visit records one execution per campaign, even with two taps at once."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS spm_promotion_execution_visit_uniq "
                "ON spm_promotion_execution (campaign_id, visit_id)"
            )
        )
        return res

    @api.depends("visit_id")
    def _compute_partner_id(self):
        for execution in self:
            execution.partner_id = execution.visit_id.partner_id

    @api.depends("visit_id")
    def _compute_from_visit(self):
        for execution in self:
            execution.user_id = execution.visit_id.user_id
            execution.date = execution.visit_id.visit_date

    @api.depends("done", "visit_id.location_verified")
    def _compute_verified(self):
        for execution in self:
            execution.verified = execution.done and execution.visit_id.location_verified

    def _search_verified(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Verified can be searched with = or != and true or false only.")
            )
        verified = [("done", "=", True), ("visit_id.location_verified", "=", True)]
        return verified if (operator == "=") == value else ["!", *expression.AND([verified])]

    @api.constrains("campaign_id", "visit_id", "partner_id")
    def _check_outlet(self):
        for execution in self:
            if execution.partner_id != execution.visit_id.partner_id:
                raise ValidationError(
                    self.env._(
                        "An execution is recorded at the customer of its visit (%(customer)s), "
                        "not at %(outlet)s.",
                        customer=execution.visit_id.partner_id.display_name,
                        outlet=execution.partner_id.display_name,
                    )
                )
            if execution.partner_id not in execution.campaign_id.partner_ids:
                raise ValidationError(
                    self.env._(
                        "%(outlet)s is not an outlet of campaign %(campaign)s: executions "
                        "are recorded only at the campaign's outlets.",
                        outlet=execution.partner_id.display_name,
                        campaign=execution.campaign_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._spm_check_not_recorded(
            [(vals.get("campaign_id"), vals.get("visit_id")) for vals in vals_list]
        )
        executions = super().create(vals_list)
        executions._spm_check_recordable()
        return executions

    def _spm_check_not_recorded(self, pairs):
        """A visit records one execution per campaign: refused here, before the unique
        index would refuse it."""
        pairs = [pair for pair in pairs if all(pair)]
        if not pairs:
            return
        domain = [
            ("id", "not in", self.ids),
            ("campaign_id", "in", [campaign_id for campaign_id, __ in pairs]),
            ("visit_id", "in", [visit_id for __, visit_id in pairs]),
        ]
        recorded = {
            (execution.campaign_id.id, execution.visit_id.id)
            for execution in self.sudo().search(domain)
        }
        if len(set(pairs)) != len(pairs) or recorded & set(pairs):
            raise UserError(
                self.env._(
                    "This visit has already recorded its execution of the campaign: change "
                    "the one recorded."
                )
            )

    def _spm_check_recordable(self):
        """Executions of a running campaign, on a checked-in visit."""
        for execution in self:
            campaign, visit = execution.campaign_id, execution.visit_id
            if campaign.state != "running":
                raise UserError(
                    self.env._(
                        "Campaign %(campaign)s is %(state)s: executions are recorded while "
                        "it runs.",
                        campaign=campaign.name,
                        state=campaign._spm_state_label(),
                    )
                )
            if visit.state not in ("in_progress", "done"):
                raise UserError(
                    self.env._(
                        "Visit %(visit)s is %(state)s: check in at the outlet before "
                        "recording the execution of campaign %(campaign)s.",
                        visit=visit.display_name,
                        state=visit._spm_state_label(),
                        campaign=campaign.name,
                    )
                )

    def _spm_verified_message(self):
        return self.env._(
            "The execution of campaign %(campaign)s at %(outlet)s is verified: it proves "
            "the campaign ran there and pays its costs, so it can be neither changed nor "
            "deleted.",
            campaign=self.campaign_id.name,
            outlet=self.partner_id.display_name,
        )

    def write(self, vals):
        for execution in self.filtered("verified"):
            raise UserError(execution._spm_verified_message())
        moved = {"campaign_id", "visit_id"} & set(vals)
        if moved:
            self._spm_check_not_recorded(
                [
                    (
                        vals.get("campaign_id", execution.campaign_id.id),
                        vals.get("visit_id", execution.visit_id.id),
                    )
                    for execution in self
                ]
            )
        result = super().write(vals)
        if moved:
            self._spm_check_recordable()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_verified(self):
        for execution in self.filtered("verified"):
            raise UserError(execution._spm_verified_message())
