"""Cost lines of a promotion campaign and their verification (费用核销).

A line is planned, approved by a sales manager, verified once the money was spent and,
when it is tied to an outlet, only once that outlet's execution of the campaign is
proven by a visit with a verified check-in. It is settled by a customer credit note to
the outlet (票折, a rebate deducted from what the outlet owes) or by a vendor bill, which
the Settle button creates as a draft for accounting to post.
"""

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .spm_promotion_campaign import check_sales_manager
from .spm_protected_mixin import NOBODY

COST_TYPES = [
    ("pop", "POP Material"),
    ("gift", "Gifts"),
    ("staff", "Promotion Staff"),
    ("media", "Media"),
    ("rebate", "Rebate"),
    ("other", "Other"),
]
COST_STATES = [
    ("planned", "Planned"),
    ("approved", "Approved"),
    ("verified", "Verified"),
    ("settled", "Settled"),
]
SETTLEMENT_METHODS = [
    ("credit_note", "Customer Credit Note"),
    ("vendor_bill", "Vendor Bill"),
]
PAYABLE_STATES = ("verified", "settled")
# What a verification looked at: it does not change afterwards.
VERIFIED_FIELDS = ("campaign_id", "cost_type", "planned_amount", "actual_amount", "partner_id")
SETTLED_FIELDS = (*VERIFIED_FIELDS, "vendor_id", "settlement_method")


class SpmPromotionCost(models.Model):
    _name = "spm.promotion.cost"
    _description = "Promotion Cost"
    _inherit = ["spm.protected.mixin", "spm.input.mixin"]
    _order = "campaign_id, sequence, id"
    _check_company_auto = True

    sequence = fields.Integer(default=10)
    campaign_id = fields.Many2one(
        "spm.promotion.campaign",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(related="campaign_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="campaign_id.currency_id")
    name = fields.Char(string="Description", required=True)
    cost_type = fields.Selection(COST_TYPES, string="Type", required=True, default="other")
    planned_amount = fields.Monetary(string="Planned")
    actual_amount = fields.Monetary(string="Actual")
    partner_id = fields.Many2one(
        "res.partner",
        string="Outlet",
        index="btree_not_null",
        check_company=True,
        help="The outlet the cost is for: it is payable once the outlet's execution is verified.",
    )
    vendor_id = fields.Many2one("res.partner", check_company=True, help="Who bills the cost.")
    settlement_method = fields.Selection(
        SETTLEMENT_METHODS,
        string="Settled By",
        compute="_compute_settlement_method",
        store=True,
        readonly=False,
        precompute=True,
        help="A rebate is deducted from what the outlet owes (credit note); other costs are "
        "billed by a vendor.",
    )
    state = fields.Selection(
        COST_STATES, string="Status", required=True, default="planned", copy=False
    )
    move_id = fields.Many2one(
        "account.move", string="Settlement", readonly=True, copy=False, index="btree_not_null"
    )
    move_state = fields.Selection(related="move_id.state", string="Settlement Status")
    payable = fields.Boolean(
        compute="_compute_payable",
        help="Not tied to an outlet, or the outlet's execution is verified.",
    )

    @api.depends("cost_type")
    def _compute_settlement_method(self):
        for line in self:
            line.settlement_method = "credit_note" if line.cost_type == "rebate" else "vendor_bill"

    @api.depends("partner_id", "campaign_id.execution_ids.verified")
    def _compute_payable(self):
        verified = self._spm_verified_pairs()
        for line in self:
            line.payable = not line.partner_id or (
                (line.campaign_id.id, line.partner_id.id) in verified
            )

    def _spm_verified_pairs(self):
        """``{(campaign id, outlet id)}`` of the verified executions of these lines'
        outlets."""
        lines = self.filtered("partner_id")
        if not lines:
            return set()
        executions = (
            self.env["spm.promotion.execution"]
            .sudo()
            ._read_group(
                [
                    ("campaign_id", "in", lines.campaign_id.ids),
                    ("partner_id", "in", lines.partner_id.ids),
                    ("verified", "=", True),
                ],
                ["campaign_id", "partner_id"],
            )
        )
        return {(campaign.id, partner.id) for campaign, partner in executions}

    @api.constrains("planned_amount", "actual_amount")
    def _check_amounts(self):
        for line in self:
            if line.planned_amount < 0 or line.actual_amount < 0:
                raise ValidationError(
                    self.env._(
                        "Cost %(cost)s of campaign %(campaign)s cannot be negative: enter "
                        "the planned and actual amounts as positive numbers.",
                        cost=line.name,
                        campaign=line.campaign_id.name,
                    )
                )

    @api.constrains("partner_id", "campaign_id")
    def _check_outlet(self):
        for line in self:
            if line.partner_id and line.partner_id not in line.campaign_id.partner_ids:
                raise ValidationError(
                    self.env._(
                        "%(outlet)s is not an outlet of campaign %(campaign)s: add it to the "
                        "campaign's outlets or leave the cost without outlet.",
                        outlet=line.partner_id.display_name,
                        campaign=line.campaign_id.name,
                    )
                )

    @api.constrains("state", "partner_id")
    def _check_payable(self):
        """A cost tied to an outlet is paid only for an execution proven at the outlet."""
        lines = self.filtered(lambda line: line.state in PAYABLE_STATES and line.partner_id)
        verified = lines._spm_verified_pairs()
        for line in lines:
            if (line.campaign_id.id, line.partner_id.id) not in verified:
                raise ValidationError(line._spm_not_payable_message())

    def _spm_not_payable_message(self):
        return self.env._(
            "Cost %(cost)s cannot be paid yet: the execution of campaign %(campaign)s at "
            "%(outlet)s is not verified. It is verified when a visit with a verified "
            "check-in records it as done.",
            cost=self.name,
            campaign=self.campaign_id.name,
            outlet=self.partner_id.display_name,
        )

    def _spm_protected_fields(self):
        return dict.fromkeys(("state", "move_id"), NOBODY)

    def _spm_protected_hint(self):
        return self.env._("A sales manager moves a cost on with Approve, Verify and Settle.")

    def write(self, vals):
        for line in self.filtered(lambda line: line.state in PAYABLE_STATES):
            locked = SETTLED_FIELDS if line.state == "settled" else VERIFIED_FIELDS
            changed = [
                fname
                for fname in locked
                if fname in vals
                and not self._spm_same(self._fields[fname], line[fname], vals[fname])
            ]
            if changed:
                raise UserError(
                    self.env._(
                        "Cost %(cost)s is %(state)s: %(fields)s no longer change. Record a "
                        "new cost line for a correction.",
                        cost=line.name,
                        state=line._spm_state_label(),
                        fields=", ".join(
                            self._fields[fname]._description_string(self.env) for fname in changed
                        ),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_verified(self):
        for line in self.filtered(lambda line: line.state in PAYABLE_STATES):
            raise UserError(
                self.env._(
                    "Cost %(cost)s is %(state)s and stays on campaign %(campaign)s.",
                    cost=line.name,
                    state=line._spm_state_label(),
                    campaign=line.campaign_id.name,
                )
            )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    def _spm_state_label(self):
        self.ensure_one()
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _spm_check_move(self, from_state, what, step):
        """Refuse ``what`` (e.g. "approve cost X") to anybody but a sales manager, and
        ``step`` (e.g. "approval") on lines that are not in ``from_state``."""
        check_sales_manager(self.env, what)
        for line in self.filtered(lambda line: line.state != from_state):
            raise UserError(
                self.env._(
                    "Cost %(cost)s is %(state)s: %(step)s is not possible now.",
                    cost=line.name,
                    state=line._spm_state_label(),
                    step=step,
                )
            )
        self.check_access("write")

    def _spm_write_state(self, state, vals=None):
        self._spm_protected().write({"state": state, **(vals or {})})
        label = dict(self._fields["state"]._description_selection(self.env))[state]
        for line in self:
            line.campaign_id.message_post(
                body=self.env._(
                    "Cost %(cost)s: %(state)s by %(user)s.",
                    cost=line.name,
                    state=label,
                    user=self.env.user.name,
                )
            )

    def action_approve(self):
        names = ", ".join(self.mapped("name"))
        self._spm_check_move(
            "planned", self.env._("approve cost %s", names), self.env._("approval")
        )
        self._spm_write_state("approved")
        return True

    def action_verify(self):
        names = ", ".join(self.mapped("name"))
        self._spm_check_move(
            "approved", self.env._("verify cost %s", names), self.env._("verification")
        )
        for line in self:
            if line.currency_id.is_zero(line.actual_amount):
                raise UserError(
                    self.env._(
                        "Enter the actual amount of cost %(cost)s before verifying it.",
                        cost=line.name,
                    )
                )
            if not line.payable:
                raise UserError(line._spm_not_payable_message())
        self._spm_write_state("verified")
        return True

    def action_settle(self):
        names = ", ".join(self.mapped("name"))
        self._spm_check_move(
            "verified", self.env._("settle cost %s", names), self.env._("settlement")
        )
        self._spm_check_settlement_partner()
        for line in self:
            line._spm_write_state("settled", {"move_id": line._spm_create_settlement_move().id})
        return self.action_view_move() if len(self) == 1 else True

    def _spm_check_settlement_partner(self):
        for line in self:
            if line.settlement_method == "credit_note" and not line.partner_id:
                raise UserError(
                    self.env._(
                        "Cost %(cost)s is settled by a credit note to its outlet: choose "
                        "the outlet first.",
                        cost=line.name,
                    )
                )
            if line.settlement_method == "vendor_bill" and not line.vendor_id:
                raise UserError(
                    self.env._(
                        "Cost %(cost)s is settled by a vendor bill: choose the vendor first.",
                        cost=line.name,
                    )
                )

    def _spm_create_settlement_move(self):
        """The draft credit note to the outlet or vendor bill of this line's actual
        amount, without taxes. Created on the manager's behalf (sales managers need no
        accounting rights): accounting reviews and posts it."""
        self.ensure_one()
        credit_note = self.settlement_method == "credit_note"
        campaign = self.campaign_id
        label = self.env._("%(campaign)s: %(cost)s", campaign=campaign.name, cost=self.name)
        move_type = "out_refund" if credit_note else "in_invoice"
        Move = self.env["account.move"].sudo().with_company(campaign.company_id)
        return Move.with_context(default_move_type=move_type).create(
            {
                "move_type": move_type,
                "partner_id": (self.partner_id if credit_note else self.vendor_id).id,
                "company_id": campaign.company_id.id,
                "currency_id": campaign.currency_id.id,
                "invoice_origin": campaign.name,
                "ref": label,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": label,
                            "quantity": 1,
                            "price_unit": self.actual_amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )

    def action_view_move(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.move_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
