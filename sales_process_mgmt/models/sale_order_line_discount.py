from collections import defaultdict

from odoo import api, models

# Line fields a discount is measured on.
SPM_PRICE_FIELDS = {"discount", "price_unit", "product_id", "product_uom_qty", "product_uom"}


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        orders = self.env["sale.order"].browse(
            {vals["order_id"] for vals in vals_list if vals.get("order_id")}
        )
        orders._spm_check_lines_editable()
        before = orders._spm_discount_before_change()
        lines = super().create(vals_list)
        orders._spm_discount_budget_adjust(before)
        return lines

    def write(self, vals):
        if not SPM_PRICE_FIELDS & set(vals):
            return super().write(vals)
        orders = self.order_id
        orders._spm_check_lines_editable()
        before = orders._spm_discount_before_change()
        result = super().write(vals)
        orders._spm_discount_budget_adjust(before)
        return result

    def unlink(self):
        self.order_id._spm_check_lines_editable()
        return super().unlink()

    @api.constrains(
        "discount", "price_unit", "product_id", "product_uom_qty", "product_uom", "is_downpayment"
    )
    def _check_spm_discount_floor(self):
        """The floor (底线) holds for everyone: constraints also run for the superuser."""
        self.order_id._spm_check_discount_floor(lines=self)

    def _spm_is_discountable(self):
        """Lines a discount can be measured on: priced products, not sections, notes,
        down payments, delivery charges or combo headers."""
        self.ensure_one()
        return bool(
            self.product_id
            and not self.display_type
            and not self.is_downpayment
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
            lines = self.browse([line.id for line in group])
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
        """Reference (pricelist) unit price of each discountable line, by line, in batch."""
        lines, __ = self._spm_split_for_discount()
        lines._spm_prefetch_pricelist_rules()
        return {line: line._spm_reference_price() for line in lines}

    def _spm_reference_price(self):
        """Unit price the pricelist gives this line, on the same tax basis as ``price_unit``
        (what sale itself would put on the line), in the order currency."""
        self.ensure_one()
        line = self.with_company(self.company_id)
        if line.combo_item_id:
            price = line._get_combo_item_display_price()
        else:
            price = line._get_pricelist_price()
        product_taxes = line.product_id.taxes_id._filter_taxes_by_company(line.company_id)
        return line.product_id._get_tax_included_unit_price_from_price(
            price,
            product_taxes=product_taxes,
            fiscal_position=line.order_id.fiscal_position_id,
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
