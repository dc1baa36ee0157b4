from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .spm_protected_mixin import MANAGER


class SpmCompetitorProduct(models.Model):
    _name = "spm.competitor.product"
    _description = "Competitor Product Archive"
    _inherit = ["mail.thread", "mail.activity.mixin", "spm.protected.mixin", "spm.input.mixin"]
    _order = "observed_on desc, id desc"
    _check_company_auto = True
    # the customer book: exported by sales managers only (spm_export_guard.py)
    _spm_export_guard = True

    name = fields.Char(string="Product", required=True, tracking=True)
    competitor_id = fields.Many2one(
        "res.partner", required=True, index=True, tracking=True, check_company=True
    )
    brand = fields.Char()
    product_id = fields.Many2one(
        "product.product",
        string="Our Comparable Product",
        check_company=True,
        help="Our product this one competes with.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    price = fields.Monetary(tracking=True, aggregator="avg")
    our_price = fields.Float(
        related="product_id.lst_price", string="Our Price", digits="Product Price"
    )
    promotion_policy = fields.Text()
    strengths = fields.Text()
    weaknesses = fields.Text()
    share_estimate = fields.Float(string="Market Share (%)", digits=(5, 1), aggregator="avg")
    observed_partner_id = fields.Many2one(
        "res.partner",
        string="Observed At",
        index=True,
        check_company=True,
        help="The outlet where it was seen.",
    )
    observed_on = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    observed_by_id = fields.Many2one(
        "res.users",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
    )
    region_id = fields.Many2one("spm.region", index=True, check_company=True)
    visit_id = fields.Many2one(
        "spm.visit",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        help="The visit during which the product was observed.",
    )
    active = fields.Boolean(default=True)

    @api.onchange("observed_partner_id")
    def _onchange_observed_partner_id(self):
        if self.observed_partner_id.spm_region_id and not self.region_id:
            self.region_id = self.observed_partner_id.spm_region_id

    @api.constrains("price", "share_estimate")
    def _check_figures(self):
        for record in self:
            if record.price < 0:
                raise ValidationError(
                    self.env._("The price of %(product)s cannot be negative.", product=record.name)
                )
            if not 0 <= record.share_estimate <= 100:
                raise ValidationError(
                    self.env._(
                        "The market share of %(product)s must be between 0 and 100%%.",
                        product=record.name,
                    )
                )

    def _spm_protected_fields(self):
        return {"observed_by_id": MANAGER}

    def _spm_protected_hint(self):
        return self.env._(
            "Who made an observation is part of the market archive's history: only a "
            "sales manager may change it."
        )
