from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_discount import SpmDiscountCommon


@tagged("post_install", "-at_install", "is_query_count")
class TestOrderPerformance(SpmDiscountCommon):
    """The order path costs a number of queries that does not grow with the number of
    lines, with the floor (maximum discount and minimum margin), the budget and every
    credit hold switched on: a form save sends one update command per edited line, and
    the rules measure the order once per save, not once per command."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.products = cls._many_products("Order path product", 50, lambda i: 40.0 + i % 7)
        # Services: the delivery Odoo makes on confirmation of goods costs queries per
        # line (its procurement), which are not the rules' to count here.
        cls.products.type = "service"
        cls.policy.write(
            {"floor_margin_enabled": True, "min_margin": 5.0, "budget_default_amount": 1e9}
        )
        cls.policy.budget_ids.amount = 1e9
        cls.env["spm.collection.rule"].search([("company_id", "=", cls.company.id)]).write(
            {"active": False}
        )
        cls.env["spm.collection.rule"].create(
            {
                "name": "Every hold",
                "company_id": cls.company.id,
                "hold_overdue": True,
                "block_orders_after_days": 30,
                "hold_deferrals": True,
                "hold_credit_limit": True,
            }
        )
        cls.company.account_use_credit_limit = True
        cls.customer.credit_limit = 1e9

    def _prepare(self, lines, confirm=False):
        order = self._order(
            [(product, 1 + i % 9, 3.0) for i, product in enumerate(self.products[:lines])]
        )
        if confirm:
            order.action_confirm()
            self.assertEqual(order.state, "sale")
        self.env.flush_all()
        self.env.invalidate_all()
        return order

    def _form_save(self, order, discount=6.0):
        order.write(
            {
                "order_line": [
                    Command.update(line.id, {"discount": discount}) for line in order.order_line
                ]
            }
        )
        self.env.flush_all()

    def _count(self, operation):
        before = self.cr.sql_log_count
        operation()
        self.env.flush_all()
        self.env.cr.flush()  # as assertQueryCount does: precommit hooks included
        return self.cr.sql_log_count - before

    def _count_quotation(self, lines, policy_on):
        self.policy.active = policy_on
        self.env.flush_all()
        self.env.cr.flush()  # the policy's tracking, outside the count
        self.env.invalidate_all()
        return self._count(
            lambda: self._order(
                [(product, 1 + i % 9, 3.0) for i, product in enumerate(self.products[:lines])]
            )
        )

    def test_form_save_queries_do_not_grow_with_the_line_count(self):
        self._count(lambda: self._form_save(self._prepare(3)))  # warm the caches
        expected = self._count(lambda: self._form_save(self._prepare(5)))
        order = self._prepare(50)
        with self.assertQueryCount(expected):
            self._form_save(order)
        self.assertEqual(set(order.order_line.mapped("discount")), {6.0})

    def test_confirmation_queries_do_not_grow_with_the_line_count(self):
        self._count(self._prepare(3).action_confirm)  # warm the caches
        expected = self._count(self._prepare(5).action_confirm)
        order = self._prepare(50)
        with self.assertQueryCount(expected):
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn(order, self._ledger().order_id)

    def test_quotation_create_adds_queries_that_do_not_grow_with_the_line_count(self):
        for policy_on in (False, True):  # warm the caches
            self._count_quotation(3, policy_on)
        overhead = self._count_quotation(5, True) - self._count_quotation(5, False)
        self.assertGreater(overhead, 0)  # the floor is really checked
        self.assertEqual(
            self._count_quotation(50, True), self._count_quotation(50, False) + overhead
        )

    def test_form_save_of_a_confirmed_order_queries_do_not_grow_with_the_line_count(self):
        # The budget is adjusted and the credit hold re-run on the increase.
        self._count(lambda: self._form_save(self._prepare(3, confirm=True)))
        expected = self._count(lambda: self._form_save(self._prepare(5, confirm=True)))
        order = self._prepare(50, confirm=True)
        with self.assertQueryCount(expected):
            self._form_save(order)

    def test_form_save_of_a_confirmed_order_charges_the_budget_once(self):
        order = self._prepare(20, confirm=True)
        charged = sum(self._ledger().filtered(lambda e: e.order_id == order).mapped("amount"))
        self._form_save(order, discount=8.0)
        entries = self._ledger().filtered(lambda e: e.order_id == order)
        self.assertEqual(len(entries), 2, "the confirmation and one entry for the save")
        self.assertGreater(sum(entries.mapped("amount")), charged)
        order.invalidate_recordset(["spm_discount_amount"])
        self.assertAlmostEqual(
            sum(entries.mapped("amount")),
            order._spm_discount_granted()[order],
            places=2,
        )

    def test_form_save_breaking_the_floor_on_one_line_of_many_is_refused(self):
        order = self._prepare(50)
        line = order.order_line[29]
        commands = [Command.update(other.id, {"discount": 6.0}) for other in order.order_line]
        commands[29] = Command.update(line.id, {"discount": 40.0})
        with self.assertRefused(ValidationError, line.product_id.name):
            order.write({"order_line": commands})
        self.assertEqual(line.discount, 3.0)

    def test_form_save_breaking_the_floor_is_refused_for_the_superuser(self):
        order = self._prepare(10).sudo()
        line = order.order_line[4]
        with self.assertRefused(ValidationError, "breaks the floor"):
            order.write({"order_line": [Command.update(line.id, {"discount": 40.0})]})

    def test_form_save_deleting_a_line_it_edited_checks_the_others(self):
        order = self._prepare(5)
        first, second = order.order_line[:2]
        with self.assertRefused(ValidationError, "breaks the floor"):
            order.write(
                {
                    "order_line": [
                        Command.update(first.id, {"discount": 6.0}),
                        Command.delete(first.id),
                        Command.update(second.id, {"discount": 40.0}),
                    ]
                }
            )
        order.write(
            {
                "order_line": [
                    Command.update(first.id, {"discount": 6.0}),
                    Command.delete(first.id),
                    Command.update(second.id, {"discount": 7.0}),
                ]
            }
        )
        self.assertNotIn(first, order.order_line)
        self.assertEqual(second.discount, 7.0)
