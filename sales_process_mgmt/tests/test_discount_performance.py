from odoo.tests import tagged

from .discount_common import SpmDiscountCommon


@tagged("post_install", "-at_install", "is_query_count")
class TestDiscountPerformance(SpmDiscountCommon):
    """The policy adds a constant number of queries to a confirmation, whatever the
    number of lines: pricelist rules, prices and costs are read in batch."""

    def _prepare(self, lines, policy_on):
        self.policy.active = policy_on
        order = self._order([(self.cable, 1, 10.0)] * lines)
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
        self.policy.budget_default_amount = 1e6
        self.policy.budget_ids.amount = 1e6
        for policy_on in (False, True):  # warm the caches
            self._count_confirmation(3, policy_on)
        overhead = self._count_confirmation(1, True) - self._count_confirmation(1, False)
        self.assertGreater(overhead, 0)  # the policy is really at work
        without_policy = self._count_confirmation(20, False)
        order = self._prepare(20, True)
        with self.assertQueryCount(without_policy + overhead):
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn(order, self._ledger().order_id)
