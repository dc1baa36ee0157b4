from collections import defaultdict

from odoo import api, models


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    @api.constrains(
        "discount", "price_unit", "product_id", "product_uom_qty", "product_uom", "purchase_price"
    )
    def _check_spm_discount_floor(self):
        """The floor (底线) holds for everyone: constraints also run for the superuser."""
        self.order_id._spm_check_discount_floor()

    def _spm_is_discountable(self):
        """Lines a discount can be measured on: priced products, not sections, notes,
        down payments, delivery charges or combo headers."""
        self.ensure_one()
        return bool(
            self.product_id
            and not self.display_type
            and not self.is_downpayment
            and not self._is_delivery()
            and self.product_type != "combo"
        )

    def _spm_is_global_discount(self):
        """Order-wide discounts: Odoo's discount wizard and reward lines are negative lines."""
        self.ensure_one()
        return self._spm_is_discountable() and self.price_unit < 0

    def _spm_prefetch_pricelist_rules(self):
        """Resolve the pricelist rule of these lines with one rule search per pricelist,
        quantity, unit and date, through the same pricelist API sale uses line by line,
        and keep the result in cache for ``_get_pricelist_price()``."""
        groups = defaultdict(list)
        for line in self:
            if line.id and line.product_id and not line.display_type and line.order_id.pricelist_id:
                key = (
                    line.order_id.pricelist_id,
                    line.product_uom_qty or 1.0,
                    line.product_uom,
                    line._get_order_date(),
                )
                groups[key].append(line)
        field = self._fields["pricelist_item_id"]
        for (pricelist, quantity, uom, date), group in groups.items():
            lines = self.browse([line.id for line in group])
            rules = pricelist._compute_price_rule(
                lines.product_id, quantity, uom=uom, date=date, compute_price=False
            )
            self.env.cache.update(
                lines,
                field,
                [field.convert_to_cache(rules[line.product_id.id][1], line) for line in lines],
            )

    def _spm_reference_prices(self):
        """Reference (pricelist) unit price of each discountable line, by line, in batch."""
        lines = self.filtered(lambda line: line._spm_is_discountable() and line.price_unit >= 0)
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

    def _spm_margin_percent(self, global_share=0.0):
        """Margin on sale_margin's cost after the line's share of order-wide discounts,
        or None when the line sells nothing."""
        self.ensure_one()
        if not self.product_uom_qty:
            return None
        revenue = self.price_subtotal * (1 - global_share)
        margin = revenue - self.purchase_price * self.product_uom_qty
        if revenue <= 0:
            return 0.0 if margin >= 0 else -100.0
        return margin / revenue * 100
