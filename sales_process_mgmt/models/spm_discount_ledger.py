from datetime import datetime

from odoo import api, fields, models
from odoo.exceptions import UserError

LEDGER_KINDS = [("charge", "Charge"), ("release", "Release")]


class SpmDiscountLedger(models.Model):
    """Every charge to and release from a rep's discount budget (总量控制).

    Entries are written by the order flow only; nobody edits them afterwards.
    """

    _name = "spm.discount.ledger"
    _inherit = ["spm.input.mixin"]
    _description = "Discount Budget Ledger"
    _order = "date desc, id desc"
    _check_company_auto = True

    date = fields.Date(required=True, default=fields.Date.context_today, readonly=True)
    period_date = fields.Date(
        string="Budget Period",
        required=True,
        index=True,
        readonly=True,
        help="Date of the order's confirmation: the budget period this entry counts in.",
    )
    kind = fields.Selection(LEDGER_KINDS, required=True, readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", required=True, index=True, readonly=True
    )
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        currency_field="currency_id",
        readonly=True,
        help="Positive when the budget is charged, negative when a discount is given back.",
    )
    order_id = fields.Many2one(
        "sale.order", index=True, readonly=True, ondelete="set null", check_company=True
    )
    policy_id = fields.Many2one(
        "spm.discount.policy", readonly=True, ondelete="set null", check_company=True
    )
    approved_by_id = fields.Many2one("res.users", string="Approved by", readonly=True)
    note = fields.Char(readonly=True)

    def write(self, vals):
        if vals:
            raise UserError(self.env._("Discount budget ledger entries cannot be changed."))
        return super().write(vals)

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        raise UserError(self.env._("Discount budget ledger entries cannot be deleted."))

    @api.model
    def _used_by(self, keys):
        """Budget used per ``(user_id, company_id, period_start, period_end)`` key."""
        if not keys:
            return {}
        domain = ["|"] * (len(keys) - 1)
        for user_id, company_id, start, end in keys:
            domain += [
                "&",
                "&",
                ("user_id", "=", user_id),
                ("company_id", "=", company_id),
                "&",
                ("period_date", ">=", start),
                ("period_date", "<", end),
            ]
        rows = self.sudo()._read_group(
            domain, ["user_id", "company_id", "period_date:day"], ["amount:sum"]
        )
        used = dict.fromkeys(keys, 0.0)
        for user, company, group_day, amount in rows:
            day = group_day.date() if isinstance(group_day, datetime) else group_day
            for key in keys:
                if key[0] == user.id and key[1] == company.id and key[2] <= day < key[3]:
                    used[key] += amount
        return used
