from odoo import api, fields, models


class SpmDiscountFloor(models.Model):
    _name = "spm.discount.floor"
    _inherit = ["spm.input.mixin"]
    _description = "Discount Floor Line"
    _order = "policy_id, sequence, id"
    _check_company_auto = True

    policy_id = fields.Many2one(
        "spm.discount.policy", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="policy_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        help="Applies to this category and all its sub-categories.",
    )
    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", check_company=True, ondelete="cascade"
    )
    max_discount = fields.Float(string="Maximum Discount (%)", digits="Discount", required=True)

    _sql_constraints = [
        (
            "scope_one",
            "CHECK((categ_id IS NULL) != (product_tmpl_id IS NULL))",
            "A floor line applies either to a product category or to a product.",
        ),
        (
            "max_discount_range",
            "CHECK(max_discount >= 0 AND max_discount <= 100)",
            "The maximum discount of a floor line must lie between 0 and 100%.",
        ),
    ]

    @api.depends("categ_id", "product_tmpl_id", "max_discount")
    def _compute_display_name(self):
        for line in self:
            scope = (line.product_tmpl_id or line.categ_id).display_name or ""
            line.display_name = f"{scope} ≤ {line.max_discount}%"

    def _describe(self):
        self.ensure_one()
        if self.product_tmpl_id:
            return self.env._(
                'discount policy "%(policy)s", product "%(product)s"',
                policy=self.policy_id.display_name,
                product=self.product_tmpl_id.display_name,
            )
        return self.env._(
            'discount policy "%(policy)s", product category "%(category)s"',
            policy=self.policy_id.display_name,
            category=self.categ_id.display_name,
        )
