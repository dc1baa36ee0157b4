from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from odoo.addons.sale.models.sale_order_line import SaleOrderLine as SaleLine

from .common_discount import SpmDiscountCommon


def _counting_pricelist_prices():
    """Sale's pricelist computation of a line, run as usual and counted."""
    return patch.object(
        SaleLine, "_get_pricelist_price", autospec=True, side_effect=SaleLine._get_pricelist_price
    )


@tagged("post_install", "-at_install", "is_query_count")
class TestDiscountPerformance(SpmDiscountCommon):
    """The policy adds a constant number of queries to a confirmation, whatever the
    number of lines: pricelist rules, prices and costs are read in batch. Lines differ
    in product, category and quantity, and the margin floor is on, so that nothing is
    read once for all lines by chance."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.products = cls._many_products("Perf product", 40, lambda i: 40.0 + i)
        # A quantity break on the pricelist: lines of 3 and more get another rule.
        cls.pricelist.item_ids = [
            Command.create(
                {
                    "applied_on": "3_global",
                    "min_quantity": 3,
                    "compute_price": "percentage",
                    "percent_price": 2.0,
                }
            )
        ]
        cls.policy.write(
            {
                "floor_margin_enabled": True,
                "min_margin": 5.0,
                "budget_default_amount": 1e9,
            }
        )
        cls.policy.budget_ids.amount = 1e9

    def _prepare(self, lines, policy_on):
        self.policy.active = policy_on
        order = self._order(
            [(product, 1 + i, 5.0) for i, product in enumerate(self.products[:lines])]
        )
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        return order

    def _count_confirmation(self, lines, policy_on):
        order = self._prepare(lines, policy_on)
        count0 = self.cr.sql_log_count
        order.action_confirm()
        self.env.flush_all()
        self.env.cr.flush()  # as assertQueryCount does: precommit hooks (tracking) included
        self.assertEqual(order.state, "sale")
        return self.cr.sql_log_count - count0

    def test_confirmation_overhead_is_constant_in_line_count(self):
        for policy_on in (False, True):  # warm the caches
            self._count_confirmation(3, policy_on)
        overhead = self._count_confirmation(5, True) - self._count_confirmation(5, False)
        self.assertGreater(overhead, 0)  # the policy is really at work
        without_policy = self._count_confirmation(40, False)
        order = self._prepare(40, True)
        with self.assertQueryCount(without_policy + overhead):
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn(order, self._ledger().order_id)

    def test_no_pricelist_prices_without_a_policy(self):
        SaleOrderLine = type(self.env["sale.order.line"])
        with patch.object(
            SaleOrderLine, "_spm_pricelist_prices", side_effect=AssertionError("priced")
        ):
            order = self._prepare(5, False)
            order.order_line.write({"discount": 7.0})
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(set(order.order_line.mapped("spm_reference_price")), {0.0})

    def test_lines_are_priced_once_when_created_not_when_confirmed(self):
        order = self._prepare(5, True)
        self.assertTrue(all(order.order_line.mapped("spm_reference_price")))
        SaleOrderLine = type(self.env["sale.order.line"])
        with patch.object(
            SaleOrderLine, "_spm_pricelist_prices", side_effect=AssertionError("priced")
        ):
            order.order_line.write({"discount": 7.0})
            order.write({"order_line": [Command.update(order.order_line[0].id, {"discount": 8.0})]})
            order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_created_line_is_priced_by_the_pricelist_once(self):
        """Sale prices a new line (unit price, and discount for a rule that shows it),
        the floor check inside the creation measures it on its reference price: one
        pricelist computation per line for all of them. Later changes price anew."""
        self.policy.active = True
        with _counting_pricelist_prices() as pricing:
            order = self._order(
                [(product, 1 + i, 5.0) for i, product in enumerate(self.products[:5])]
            )
        self.assertEqual(pricing.call_count, 5)
        self.assertEqual(
            order.order_line.mapped("spm_reference_price"),
            [line._spm_pricelist_price() for line in order.order_line],
        )
        self.assertTrue(all(order.order_line.mapped("spm_reference_price")))
        with _counting_pricelist_prices() as pricing:
            line = order.order_line[0]
            before = line.spm_reference_price
            line.product_uom_qty = 10  # the quantity break: another rule
            self.env.flush_all()
        self.assertGreater(pricing.call_count, 0)
        self.assertAlmostEqual(line.spm_reference_price, line._spm_pricelist_price())
        self.assertAlmostEqual(line.spm_reference_price, before * 0.98)

    def test_pricelist_prices_in_constant_queries_whatever_the_quantities(self):
        def count(lines):
            order = self._prepare(lines, True)
            before = self.cr.sql_log_count
            order.order_line._spm_pricelist_prices()
            return self.cr.sql_log_count - before

        count(3)  # warm the caches
        self.assertEqual(count(5), count(40))

    def test_editing_one_line_prices_only_that_line(self):
        def count(lines):
            order = self._prepare(lines, True)
            line = order.order_line[0]
            before = self.cr.sql_log_count
            order.write({"order_line": [Command.update(line.id, {"discount": 6.0})]})
            self.env.flush_all()
            return self.cr.sql_log_count - before

        count(3)  # warm the caches
        self.assertEqual(count(5), count(40))
