"""Order on the visit (访销): the customer's usual products, quantities typed in, one
quotation linked to the visit.

The lines start from what the customer (its commercial entity) bought on confirmed orders
of the visit's company in the last ``ORDER_HISTORY_DAYS`` days: one line per product with
the quantity of its last order, priced by the customer's pricelist as Odoo prices it
(``product.pricelist._get_products_price``, for all products at once). The rep types the
quantities, adds other products by searching them, and creates the quotation: Odoo prices
its lines itself. The history is company data (every order of the customer, whoever sold
it), read in one grouped query whatever the number of products.
"""

from collections import defaultdict
from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

ORDER_HISTORY_DAYS = 90
CLOSED_VISIT_STATES = ("cancelled", "missed")


class SpmVisitOrderWizard(models.TransientModel):
    _name = "spm.visit.order.wizard"
    _inherit = ["spm.input.mixin"]
    _description = "Order on the Visit"

    visit_id = fields.Many2one("spm.visit", required=True, ondelete="cascade")
    partner_id = fields.Many2one(related="visit_id.partner_id", string="Customer")
    company_id = fields.Many2one(related="visit_id.company_id")
    pricelist_id = fields.Many2one("product.pricelist", compute="_compute_pricelist_id")
    currency_id = fields.Many2one("res.currency", compute="_compute_pricelist_id")
    line_ids = fields.One2many("spm.visit.order.wizard.line", "wizard_id", string="Products")
    add_product_id = fields.Many2one(
        "product.product",
        string="Add a Product",
        domain="[('sale_ok', '=', True), ('company_id', 'in', (False, company_id))]",
        help="Search a product the customer did not buy lately.",
    )

    @api.depends("visit_id")
    def _compute_pricelist_id(self):
        for wizard in self:
            pricelist = wizard._spm_pricelist()
            wizard.pricelist_id = pricelist
            wizard.currency_id = pricelist.currency_id or wizard.company_id.currency_id

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if values.get("visit_id") and "line_ids" in fields_list:
            visit = self.env["spm.visit"].browse(values["visit_id"])
            self._spm_check_visit(visit)
            values["line_ids"] = [
                Command.create(line)
                for line in self.with_company(visit.company_id)._spm_history_lines(visit)
            ]
        return values

    @api.onchange("add_product_id")
    def _onchange_add_product_id(self):
        product = self.add_product_id
        if not product:
            return
        self.add_product_id = False
        if product in self.line_ids.product_id:
            return
        price = self._spm_prices(self.visit_id, product)[product.id]
        self.line_ids = [
            Command.create({"product_id": product.id, "price_unit": price, "sequence": 1000})
        ]

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        for wizard in wizards:
            self._spm_check_visit(wizard.visit_id)
        return wizards

    # ------------------------------------------------------------------
    # Rules
    # ------------------------------------------------------------------

    @api.model
    def _spm_check_visit(self, visit):
        """Orders are taken on one's own visits (a manager's: any), open or done."""
        if len(visit) != 1:
            raise UserError(self.env._("An order is taken on one visit."))
        visit.check_access("write")
        if visit.state in CLOSED_VISIT_STATES:
            raise UserError(
                self.env._(
                    "Visit %(visit)s is %(state)s: take the order on an open visit, or "
                    "create the quotation from Sales.",
                    visit=visit.display_name,
                    state=visit._spm_state_label(),
                )
            )

    def _spm_pricelist(self):
        """The customer's pricelist, as a new quotation of the visit would take it."""
        visit = self.visit_id
        return visit.partner_id.with_company(visit.company_id).property_product_pricelist

    # ------------------------------------------------------------------
    # History and prices
    # ------------------------------------------------------------------

    @api.model
    def _spm_prices(self, visit, products):
        """``{product id: unit price}`` of the customer's pricelist, for one unit in
        the product's unit, today, in one batch."""
        pricelist = visit.partner_id.with_company(visit.company_id).property_product_pricelist
        return pricelist._get_products_price(
            products.with_company(visit.company_id),
            quantity=1.0,
            currency=pricelist.currency_id or visit.company_id.currency_id,
            date=fields.Date.context_today(self),
        )

    @api.model
    def _spm_history_lines(self, visit):
        """Values of one line per product the customer bought in the last
        ``ORDER_HISTORY_DAYS`` days: last quantity (of its last order), last order date,
        pricelist price; the most recent first."""
        since = fields.Datetime.now() - timedelta(days=ORDER_HISTORY_DAYS)
        # the customer's history is company data: every order, whoever sold it
        groups = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("order_partner_id.commercial_partner_id", "=", visit.partner_id.id),
                    ("company_id", "=", visit.company_id.id),
                    ("state", "=", "sale"),
                    ("order_id.date_order", ">=", since),
                    ("display_type", "=", False),
                    ("is_downpayment", "=", False),
                    ("product_id", "!=", False),
                ],
                ["product_id", "order_id", "product_uom"],
                ["product_uom_qty:sum"],
            )
        )
        last_order = {}
        quantities = defaultdict(float)
        for product, order, uom, qty in groups:
            key = (order.date_order, order.id)
            if product not in last_order or key > last_order[product]:
                last_order[product] = key
                quantities.pop(product, None)
            if last_order[product] == key:
                quantities[product] += uom._compute_quantity(qty, product.uom_id, round=False)
        products = self.env["product.product"].union(*last_order).with_env(self.env)
        products = products.filtered_domain(
            [("sale_ok", "=", True), ("company_id", "in", (False, visit.company_id.id))]
        )
        prices = self._spm_prices(visit, products)
        ordered = sorted(products, key=lambda product: last_order[product], reverse=True)
        return [
            {
                "sequence": sequence,
                "product_id": product.id,
                "last_qty": float_round(
                    quantities[product], precision_rounding=product.uom_id.rounding
                ),
                "last_order_date": last_order[product][0].date(),
                "price_unit": prices[product.id],
            }
            for sequence, product in enumerate(ordered)
        ]

    # ------------------------------------------------------------------
    # Quotation
    # ------------------------------------------------------------------

    def action_create_quotation(self):
        self.ensure_one()
        visit = self.visit_id
        self._spm_check_visit(visit)
        lines = self.line_ids.filtered(lambda line: line.quantity > 0)
        if not lines:
            raise UserError(
                self.env._(
                    "Type the quantity of at least one product to create the quotation "
                    "of %(customer)s.",
                    customer=visit.partner_id.display_name,
                )
            )
        lines._check_product_allowed()
        order = (
            self.env["sale.order"]
            .with_company(visit.company_id)
            .create(
                {
                    "partner_id": visit.partner_id.id,
                    "company_id": visit.company_id.id,
                    "user_id": visit.user_id.id,
                    "team_id": visit.team_id.id,
                    "spm_visit_id": visit.id,
                    "opportunity_id": visit.opportunity_id.id,
                    "origin": visit.name,
                    "order_line": [
                        Command.create(
                            {"product_id": line.product_id.id, "product_uom_qty": line.quantity}
                        )
                        for line in lines.sorted("sequence")
                    ],
                }
            )
        )
        visit.message_post(
            body=self.env._(
                "Quotation %(order)s taken on the visit: %(count)s products.",
                order=order.name,
                count=len(lines),
            )
        )
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action.update({"views": [(False, "form")], "view_mode": "form", "res_id": order.id})
        return action


class SpmVisitOrderWizardLine(models.TransientModel):
    _name = "spm.visit.order.wizard.line"
    _inherit = ["spm.input.mixin"]
    _description = "Order on the Visit: Product"
    _order = "sequence, id"

    wizard_id = fields.Many2one("spm.visit.order.wizard", required=True, ondelete="cascade")
    sequence = fields.Integer(default=10)
    product_id = fields.Many2one("product.product", required=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    last_qty = fields.Float(string="Last Quantity", digits="Product Unit of Measure", readonly=True)
    last_order_date = fields.Date(string="Last Ordered", readonly=True)
    currency_id = fields.Many2one(related="wizard_id.currency_id")
    price_unit = fields.Monetary(
        string="Price", readonly=True, help="The customer's pricelist price of one unit."
    )
    quantity = fields.Float(digits="Product Unit of Measure")

    @api.constrains("quantity")
    def _check_quantity(self):
        for line in self:
            if line.quantity < 0:
                raise ValidationError(
                    self.env._(
                        "The quantity of %(product)s cannot be negative (%(qty)s): type 0 "
                        "or leave it empty to leave the product out.",
                        product=line.product_id.display_name,
                        qty=line.quantity,
                    )
                )

    @api.constrains("product_id")
    def _check_product_allowed(self):
        for line in self:
            product = line.product_id.sudo()
            company = line.wizard_id.visit_id.company_id
            if product.company_id and product.company_id != company:
                raise ValidationError(
                    self.env._(
                        "%(product)s belongs to %(other)s: the order of %(customer)s is "
                        "taken for %(company)s.",
                        product=product.display_name,
                        other=product.company_id.name,
                        customer=line.wizard_id.visit_id.partner_id.display_name,
                        company=company.name,
                    )
                )
            if not product.sale_ok:
                raise ValidationError(
                    self.env._(
                        "%(product)s cannot be sold: choose another product.",
                        product=product.display_name,
                    )
                )
