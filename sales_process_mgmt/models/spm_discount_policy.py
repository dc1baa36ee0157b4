from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

BUDGET_PERIODS = [("month", "Month"), ("quarter", "Quarter")]
# What the order path reads of a policy, fetched with the search that finds it.
POLICY_ORDER_FIELDS = [
    "company_id",
    "team_id",
    "floor_discount_enabled",
    "max_discount",
    "floor_margin_enabled",
    "min_margin",
    "budget_enabled",
    "budget_period",
    "budget_default_amount",
]


class SpmDiscountPolicy(models.Model):
    _name = "spm.discount.policy"
    _description = "Discount Policy"
    _inherit = ["mail.thread", "spm.input.mixin"]
    _order = "company_id, team_id, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        check_company=True,
        index=True,
        tracking=True,
        help="Leave empty for the company-wide policy. A team's own policy replaces it for "
        "the discount budget; its floor applies on top of the company floor (the stricter "
        "one binds).",
    )
    # Floor 底线
    floor_discount_enabled = fields.Boolean(
        string="Maximum Discount",
        tracking=True,
        help="Refuse any order line discounted beyond the maximum discount.",
    )
    max_discount = fields.Float(
        string="Maximum Discount (%)",
        digits="Discount",
        default=10.0,
        tracking=True,
        help="Applies to every product without a more specific floor line.",
    )
    floor_line_ids = fields.One2many(
        "spm.discount.floor", "policy_id", string="Floor by Category / Product", copy=True
    )
    floor_margin_enabled = fields.Boolean(
        string="Minimum Margin",
        tracking=True,
        help="Refuse any order line whose margin (on the product cost) falls below the minimum.",
    )
    min_margin = fields.Float(string="Minimum Margin (%)", digits="Discount", tracking=True)
    # Budget 总量控制
    budget_enabled = fields.Boolean(
        string="Discount Budget",
        tracking=True,
        help="Each rep may grant discounts up to a budget per period; "
        "beyond it an order waits for a manager's approval.",
    )
    budget_period = fields.Selection(BUDGET_PERIODS, default="month", required=True, tracking=True)
    budget_default_amount = fields.Monetary(
        string="Default Budget per Rep",
        currency_field="currency_id",
        tracking=True,
        help="Budget of every rep without a budget line of their own.",
    )
    budget_ids = fields.One2many(
        "spm.discount.budget", "policy_id", string="Rep Budgets", copy=True
    )

    def init(self):
        """One active policy per company and team: the Python constraint below gives
        the readable message, the index holds against concurrent transactions too."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS spm_discount_policy_one_per_scope_uniq "
                "ON spm_discount_policy (company_id, COALESCE(team_id, 0)) WHERE active"
            )
        )
        return res

    @api.model_create_multi
    def create(self, vals_list):
        # Checked before the insert, which the unique index would refuse less readably.
        self.check_access("create")
        for vals in vals_list:
            if vals.get("active", True):
                self._check_scope_free(
                    self.env["res.company"].browse(vals.get("company_id") or self.env.company.id),
                    self.env["crm.team"].browse(vals.get("team_id")),
                )
        return super().create(vals_list)

    @api.constrains("active", "company_id", "team_id")
    def _check_one_policy_per_scope(self):
        for policy in self.filtered("active"):
            policy._check_scope_free(policy.company_id, policy.team_id, policy)

    def _check_scope_free(self, company, team, policy=None):
        duplicate = self.sudo().search(
            [
                ("id", "!=", policy.id if policy else False),
                ("company_id", "=", company.id),
                ("team_id", "=", team.id),
            ],
            limit=1,
        )
        if duplicate:
            raise ValidationError(
                self.env._(
                    "%(company)s already has the active discount policy %(policy)s for "
                    "%(scope)s. Archive it before activating another one.",
                    company=company.display_name,
                    policy=duplicate.display_name,
                    scope=team.display_name or self.env._("the whole company"),
                )
            )

    @api.constrains("max_discount", "min_margin")
    def _check_percentages(self):
        for policy in self:
            if not 0 <= policy.max_discount <= 100 or not -100 <= policy.min_margin < 100:
                raise ValidationError(
                    self.env._(
                        "Discount policy %(policy)s: the maximum discount must lie between 0 and "
                        "100%% and the minimum margin below 100%%.",
                        policy=policy.display_name,
                    )
                )

    @api.model
    def _search_for_orders(self, orders):
        """The active policies that may concern ``orders`` (their companies' and teams'),
        in one search; pass them to ``_get_for_orders`` and ``_get_floors_for_orders``
        to map a batch of orders both ways with a single query."""
        return self.sudo().search_fetch(
            [
                ("company_id", "in", orders.company_id.ids),
                "|",
                ("team_id", "=", False),
                ("team_id", "in", orders.team_id.ids),
            ],
            POLICY_ORDER_FIELDS,
        )

    @api.model
    def _get_for_orders(self, orders, policies=None):
        """Map each order to its active policy: the team's own, else the company's.
        ``policies``: the result of ``_search_for_orders(orders)``, if known."""
        if policies is None:
            policies = self._search_for_orders(orders)
        by_scope = {(p.company_id.id, p.team_id.id): p for p in policies}
        empty = self.sudo().browse()
        return {
            order: by_scope.get((order.company_id.id, order.team_id.id))
            or by_scope.get((order.company_id.id, False))
            or empty
            for order in orders
        }

    @api.model
    def _get_floors_for_orders(self, orders, policies=None):
        """Map each order to the policies whose floor binds it: the company's and the
        team's, both. The rep picks the team, so a team policy can only tighten the
        company floor, never replace it. ``policies``: see ``_get_for_orders``."""
        if policies is None:
            policies = self._search_for_orders(orders)
        by_scope = {(p.company_id.id, p.team_id.id): p for p in policies}
        empty = self.sudo().browse()
        result = {}
        for order in orders:
            floors = by_scope.get((order.company_id.id, False)) or empty
            if order.team_id:
                floors |= by_scope.get((order.company_id.id, order.team_id.id)) or empty
            result[order] = floors.filtered(
                lambda p: p.floor_discount_enabled or p.floor_margin_enabled
            )
        return result

    def _floor_rules(self):
        """Return ``(by_product_template, by_category)`` floor lines of this policy."""
        self.ensure_one()
        by_template, by_category = {}, {}
        lines = self.env["spm.discount.floor"].search_fetch(
            [("policy_id", "=", self.id)], ["product_tmpl_id", "categ_id", "max_discount"]
        )
        for line in lines:
            if line.product_tmpl_id:
                by_template[line.product_tmpl_id.id] = line
            elif line.categ_id:
                by_category[line.categ_id.id] = line
        return by_template, by_category

    def _max_discount_for(self, product, rules):
        """The most specific maximum discount for ``product`` and the floor line it comes
        from (empty for the policy's global maximum; see ``_describe_floor``)."""
        self.ensure_one()
        by_template, by_category = rules
        line = by_template.get(product.product_tmpl_id.id)
        if not line and by_category:
            for categ_id in reversed(
                [int(c) for c in product.categ_id.parent_path.split("/")[:-1]]
            ):
                line = by_category.get(categ_id)
                if line:
                    break
        if line:
            return line.max_discount, line
        return self.max_discount, self.env["spm.discount.floor"]

    def _describe_floor(self, floor_line):
        """Where a maximum discount of ``_max_discount_for`` comes from, for a refusal."""
        self.ensure_one()
        if floor_line:
            return floor_line._describe()
        return self.env._('discount policy "%(policy)s", global maximum', policy=self.display_name)

    def _period_bounds(self, day):
        """First day of the budget period holding ``day`` and first day of the next one."""
        self.ensure_one()
        if self.budget_period == "quarter":
            start = day.replace(day=1, month=3 * ((day.month - 1) // 3) + 1)
            return start, start + relativedelta(months=3)
        start = day.replace(day=1)
        return start, start + relativedelta(months=1)

    def _budgets_of(self, users):
        """``{(policy, user): budget}`` of these policies for ``users``, in one query: the
        user's own budget line, else the policy's default amount."""
        if not (self and users):
            return {}
        lines = self.env["spm.discount.budget"].search_fetch(
            [("policy_id", "in", self.ids), ("user_id", "in", users.ids)],
            ["policy_id", "user_id", "amount"],
        )
        amounts = {(line.policy_id, line.user_id): line.amount for line in lines}
        return {
            (policy, user): amounts.get((policy, user), policy.budget_default_amount)
            for policy in self
            for user in users
        }
