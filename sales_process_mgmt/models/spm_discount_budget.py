from odoo import fields, models


class SpmDiscountBudget(models.Model):
    _name = "spm.discount.budget"
    _inherit = ["spm.input.mixin"]
    _description = "Rep Discount Budget"
    _order = "policy_id, user_id"

    policy_id = fields.Many2one(
        "spm.discount.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    currency_id = fields.Many2one(related="policy_id.currency_id")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        required=True,
        domain="[('share', '=', False)]",
        index=True,
    )
    amount = fields.Monetary(
        string="Budget per Period",
        currency_field="currency_id",
        required=True,
        help="Total discount this rep may grant per budget period, in the company currency.",
    )

    _sql_constraints = [
        (
            "user_unique",
            "UNIQUE(policy_id, user_id)",
            "A rep has one discount budget per policy.",
        ),
        ("amount_positive", "CHECK(amount >= 0)", "A discount budget cannot be negative."),
    ]
