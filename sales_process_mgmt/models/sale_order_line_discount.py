from collections import defaultdict
from contextlib import contextmanager

from odoo import api, fields, models
from odoo.tools.sql import column_exists, create_column

from .spm_protected_mixin import NOBODY

# Line fields a discount is measured on.
SPM_PRICE_FIELDS = {
    "discount",
    "price_unit",
    "product_id",
    "product_uom_qty",
    "product_uom",
    "is_downpayment",
    "is_expense",
}
# Set by Odoo's own flows only: the down-payment wizard (sale.advance.payment.inv) and the
# re-invoicing of expenses and vendor bills (account.move.line), which write them through
# ``_spm_protected()``.
SPM_FLOW_FLAGS = ("is_downpayment", "is_expense")
# Cursor cache key of the pricelist prices computed during one creation of lines.
SPM_PRICING_MEMO = "spm_pricing_memo"


class SaleOrderLine(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "spm.protected.mixin", "spm.input.mixin"]

    spm_reference_price = fields.Float(
        string="Reference Price",
        compute="_compute_spm_reference_price",
        store=True,
        digits="Product Price",
        help="Unit price the pricelist gave the line when it was priced, on the tax basis "
        "of its unit price: the discount floor and budget measure the discount on it. Like "
        "the unit price, it follows the product, quantity, unit, pricelist, fiscal position "
        "and order date, and the Update Prices button; 0 on orders no discount policy "
        "measures.",
    )

    def _auto_init(self):
        # Existing lines keep 0 ("not priced yet", measured when first needed) instead of
        # a pricelist computation of every line of the database at install.
        if not column_exists(self.env.cr, "sale_order_line", "spm_reference_price"):
            create_column(self.env.cr, "sale_order_line", "spm_reference_price", "numeric")
        return super()._auto_init()

    @api.depends(
        "product_id",
        "product_uom",
        "product_uom_qty",
        "product_no_variant_attribute_value_ids",
        "combo_item_id",
        "order_id.pricelist_id",
        "order_id.fiscal_position_id",
        "order_id.currency_id",
        "company_id",
    )
    def _compute_spm_reference_price(self):
        """Priced in batch, only on the orders a discount floor or budget applies to.
        The order date is a dependency too, but for the confirmation, which dates the order
        without repricing it (see ``SaleOrder.write``)."""
        lines = self.filtered(lambda line: line.id and line.order_id.id)
        measured = lines.order_id._spm_discount_measured() if lines else lines.order_id
        priced, __ = lines.filtered(
            lambda line: line.order_id in measured
        )._spm_split_for_discount()
        prices = priced._spm_pricelist_prices() if priced else {}
        for line in self:
            line.spm_reference_price = prices.get(line, 0.0)

    def _spm_protected_fields(self):
        return dict.fromkeys((*SPM_FLOW_FLAGS, "spm_reference_price"), NOBODY)

    def _spm_protected_value_allowed(self, fname, value):
        # Clearing a flag only makes the line measured like any other.
        return fname in SPM_FLOW_FLAGS and not value

    def _spm_protected_hint(self):
        return self.env._(
            "Down payments are added by the Create Invoice button of a confirmed order, "
            "re-invoiced expenses by the expense and vendor bill flows."
        )

    def _spm_check_protected(self, vals, creating=False):
        """The flags are refused only where a discount policy exists: without one they
        decide nothing of the addon's, and core flows and tests that set them keep working."""
        if not self._spm_is_protected_write() and any(vals.get(f) for f in SPM_FLOW_FLAGS):
            if creating:
                order_id = vals.get("order_id") or self.env.context.get("default_order_id")
                orders = self.env["sale.order"].browse(order_id)
            else:
                orders = self.order_id
            if orders and not orders._spm_discount_policy_exists():
                vals = {
                    fname: value for fname, value in vals.items() if fname not in SPM_FLOW_FLAGS
                }
        return super()._spm_check_protected(vals, creating=creating)

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        orders._spm_check_lines_editable()
        orders = orders._spm_outside_order_write()
        before = orders._spm_discount_before_change()
        with self._spm_pricing_memo():
            lines = super().create(vals_list)
        orders._spm_discount_budget_adjust(before)
        return lines

    @contextmanager
    def _spm_pricing_memo(self):
        """Within a creation of lines, the pricelist price of a line is computed once:
        for its unit price and discount (sale) and for its reference price (the floor
        check inside the creation). Nothing a price depends on changes in that time."""
        cache = self.env.cr.cache
        if SPM_PRICING_MEMO in cache:
            yield
            return
        cache[SPM_PRICING_MEMO] = {}
        try:
            yield
        finally:
            del cache[SPM_PRICING_MEMO]

    def _get_pricelist_price(self):
        memo = self.env.cr.cache.get(SPM_PRICING_MEMO)
        if memo is None:
            return super()._get_pricelist_price()
        # What the price is computed from: the order (its pricelist, which with the
        # product, quantity, unit and date gives the pricelist rule) and the line's
        # values; not the line itself, new and without id when sale precomputes its price.
        key = (
            self.order_id.id,
            self.product_id.id,
            tuple(self.product_no_variant_attribute_value_ids.ids),
            self.product_uom_qty,
            self.product_uom.id,
            self._get_order_date(),
            self.currency_id.id,
            self.env.company.id,
        )
        if key not in memo:
            memo[key] = super()._get_pricelist_price()
        return memo[key]

    def write(self, vals):
        if not SPM_PRICE_FIELDS & set(vals):
            return super().write(vals)
        orders = self.order_id
        orders._spm_check_lines_editable()
        orders = orders._spm_outside_order_write()
        before = orders._spm_discount_before_change()
        result = super().write(vals)
        orders._spm_discount_budget_adjust(before)
        return result

    def unlink(self):
        orders = self.order_id
        orders._spm_check_lines_editable()
        orders = orders._spm_outside_order_write()
        before = orders._spm_discount_before_change()
        result = super().unlink()
        orders._spm_discount_budget_adjust(before)
        return result

    def copy_data(self, default=None):
        """A copied line is no re-invoiced expense: it was not made by that flow."""
        vals_list = super().copy_data(default=default)
        if any(self.mapped("is_expense")) and self.order_id._spm_discount_policy_exists():
            for vals in vals_list:
                vals["is_expense"] = False
        return vals_list

    @api.constrains(*SPM_PRICE_FIELDS)
    def _check_spm_discount_floor(self):
        """The floor (底线) holds for everyone: constraints also run for the superuser.
        Within an order write, checked once per order when the write ends."""
        if not self.order_id._spm_defer_floor_check(self):
            self.order_id._spm_check_discount_floor(lines=self)

    def _spm_is_discountable(self):
        """Lines a discount can be measured on: products, not sections, notes, re-invoiced
        expenses, delivery charges or combo headers.

        A down payment is recognised by what Odoo's down-payment wizard makes, not by its
        flag: a line without product and without quantity, which sells nothing and so
        is never measured. A line that sells a product is measured whatever its flags;
        ``is_expense`` is trusted because only the re-invoicing flow may set it."""
        self.ensure_one()
        return bool(
            self.product_id
            and not self.display_type
            and not self.is_expense
            and not self._is_delivery()
            and self.product_type != "combo"
        )

    def _spm_is_reduction(self):
        """Order-wide reductions: any priced line whose amount is negative, whatever its
        kind (Odoo's discount wizard and reward lines, a negative quantity, a negative
        down payment or combo line written over RPC). Real down payments on an order
        have a quantity of 0 and so no amount."""
        self.ensure_one()
        return not self.display_type and self.price_unit * self.product_uom_qty < 0

    def _spm_split_for_discount(self):
        """``(product_lines, reductions)``: the lines a discount is measured on (a positive
        price and quantity) and the order-wide reductions spread over them."""
        reductions = self.filtered(lambda line: line._spm_is_reduction())
        product_lines = (self - reductions).filtered(
            lambda line: (
                line._spm_is_discountable() and line.price_unit >= 0 and line.product_uom_qty > 0
            )
        )
        return product_lines, reductions

    def _spm_prefetch_pricelist_rules(self):
        """Resolve the pricelist rule of these lines with one rule search per pricelist
        and date, picking each line's rule the way ``_compute_price_rule()`` does (first
        applicable rule for the line's quantity in the product's unit), and keep the
        result in cache for ``_get_pricelist_price()``."""
        groups = defaultdict(list)
        for line in self:
            if line.id and line.product_id and not line.display_type and line.order_id.pricelist_id:
                groups[(line.order_id.pricelist_id, line._get_order_date())].append(line)
        field = self._fields["pricelist_item_id"]
        Item = self.env["product.pricelist.item"]
        for (pricelist, date), group in groups.items():
            # Keep the prefetch of all lines: products and taxes are read once.
            lines = self.browse([line.id for line in group]).with_prefetch(self._prefetch_ids)
            rules = pricelist._get_applicable_rules(lines.product_id, date)
            values = []
            for line in lines:
                product = line.product_id
                quantity = line.product_uom_qty or 1.0
                if line.product_uom and line.product_uom != product.uom_id:
                    quantity = line.product_uom._compute_quantity(
                        quantity, product.uom_id, raise_if_failure=False
                    )
                rule = next(
                    (rule for rule in rules if rule._is_applicable_for(product, quantity)), Item
                )
                values.append(field.convert_to_cache(rule, line))
            self.env.cache.update(lines, field, values)

    def _spm_reference_prices(self):
        """Reference (pricelist) unit price of each discountable line, by line: the stored
        one, else (a line not priced yet, or not saved) priced now in batch."""
        lines, __ = self._spm_split_for_discount()
        unpriced = lines.filtered(lambda line: not line.id or not line.spm_reference_price)
        prices = {line: line.spm_reference_price for line in lines - unpriced}
        if unpriced:
            prices.update(unpriced._spm_pricelist_prices())
        return prices

    def _spm_pricelist_prices(self):
        """What the pricelist gives each of these discountable lines now, in batch."""
        self._spm_prefetch_pricelist_rules()
        prices = {}
        # One environment per company, the one the prices are computed in.
        for company, company_lines in self.grouped("company_id").items():
            for line in company_lines.with_company(company):
                prices[line] = line._spm_pricelist_price()
        return prices

    def _spm_pricelist_price(self):
        """Unit price the pricelist gives this line, on the same tax basis as ``price_unit``
        (what sale itself would put on the line), in the order currency."""
        self.ensure_one()
        line = self if self.env.company == self.company_id else self.with_company(self.company_id)
        if line.combo_item_id:
            price = line._get_combo_item_display_price()
        else:
            price = line._get_pricelist_price()
        fiscal_position = line.order_id.fiscal_position_id
        if not fiscal_position:
            # Sale maps the product's price to the line's taxes through the fiscal
            # position only; without one the product's taxes need not be read.
            return price
        product_taxes = line.product_id.taxes_id._filter_taxes_by_company(line.company_id)
        return line.product_id._get_tax_included_unit_price_from_price(
            price,
            product_taxes=product_taxes,
            fiscal_position=fiscal_position,
        )

    def _spm_net_unit_price(self, global_share=0.0):
        """Unit price after the line discount and the line's share of order-wide discounts."""
        self.ensure_one()
        return self.price_unit * (1 - (self.discount or 0.0) / 100) * (1 - global_share)

    def _spm_discount_percent(self, reference_price, global_share=0.0):
        """Discount granted on the pricelist price; a raised price is no negative discount."""
        self.ensure_one()
        if reference_price <= 0:
            return 0.0
        net = self._spm_net_unit_price(global_share)
        return max(0.0, (reference_price - net) / reference_price * 100)

    def _spm_cost_price(self):
        """Unit cost of the line's product in the line's unit and currency, computed the
        way sale_margin computes ``purchase_price`` but from the product's cost: the
        line's ``purchase_price`` is editable by reps and is not trusted by the floor."""
        self.ensure_one()
        line = self.with_company(self.company_id)
        product = line.product_id
        cost = product.uom_id._compute_price(product.standard_price, line.product_uom)
        return line._convert_to_sol_currency(cost, product.cost_currency_id)

    def _spm_margin_percent(self, global_share=0.0):
        """Margin on the product's cost after the line's share of order-wide discounts,
        or None when the line sells nothing."""
        self.ensure_one()
        if not self.product_uom_qty:
            return None
        revenue = self.price_subtotal * (1 - global_share)
        margin = revenue - self._spm_cost_price() * self.product_uom_qty
        if revenue <= 0:
            return 0.0 if margin >= 0 else -100.0
        return margin / revenue * 100
