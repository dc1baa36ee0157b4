"""A rep's day across the whole process: an overdue invoice becomes a collection task
and a collection visit; the rep checks in at the customer, takes an order on the
visit within the discount floor; the order waits for the money (credit hold), is
confirmed once the invoice is paid and charged to the rep's discount budget; the
next order goes over the budget and waits for the manager's approval."""

from e2e_common import EndToEndCase

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, new_test_user

from odoo.addons.sales_process_mgmt.tests.common import register_payment


class TestSalesDayFlow(EndToEndCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            login="e2e_day_manager",
            groups="sales_team.group_sale_manager,sale.group_discount_per_so_line",
        )
        cls.rep = new_test_user(
            cls.env,
            login="e2e_day_rep",
            groups="sales_team.group_sale_salesman,sale.group_discount_per_so_line",
            tz="Asia/Shanghai",
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "E2E Hengda Telecom",
                "is_company": True,
                "user_id": cls.rep.id,
                "spm_archive_type": "dealer",
                "spm_tier": "B",
                "partner_latitude": 31.2304,
                "partner_longitude": 121.4737,
            }
        )
        cls.product = cls.env["product.product"].create(
            {"name": "E2E S1 handset", "list_price": 100.0, "standard_price": 50.0}
        )
        # This company's policy for the day: discounts up to 10 %, 100 a month per rep.
        cls.env["spm.discount.policy"].search([]).active = False
        cls.env["spm.discount.policy"].with_user(cls.manager).create(
            {
                "name": "E2E policy",
                "floor_discount_enabled": True,
                "max_discount": 10.0,
                "budget_enabled": True,
                "budget_period": "month",
                "budget_default_amount": 100.0,
            }
        )
        cls.env["spm.collection.rule"].with_user(cls.manager).create(
            {
                "name": "E2E no orders past 60 days",
                "partner_ids": [Command.set(cls.customer.ids)],
                "block_orders_after_days": 60,
                "hold_overdue": True,
                "hold_deferrals": True,
            }
        )

    def _quotation_from(self, visit, discount):
        action = visit.with_user(self.rep).action_new_quotation()
        sale_orders = self.env["sale.order"].with_user(self.rep).with_context(action["context"])
        with Form(sale_orders) as form:
            with form.order_line.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 10
                line.discount = discount
        return form.record

    def test_a_day_of_visit_order_collection_and_discount(self):
        today = fields.Date.context_today(self.env["res.partner"].with_user(self.rep))
        invoice = self._posted_invoice(
            self.customer, self.rep, 2000.0, today=today, overdue_days=75, term_days=25
        )
        task = (
            self.env["spm.collection.task"]
            .with_user(self.rep)
            .search([("move_id", "=", invoice.id)])
        )
        self.assertEqual(task.state, "open")

        # The collection visit, checked in on the customer's doorstep.
        task.action_plan_collection_visit()
        visit = task.visit_id.with_user(self.rep)
        self.assertEqual((visit.purpose, visit.user_id), ("collection", self.rep))
        visit.action_check_in(latitude=31.2305, longitude=121.4738)
        self.assertTrue(visit.location_verified)
        self.assertLess(visit.check_in_distance_m, 300)

        # An order taken on the visit: the floor refuses 12 %, accepts 8 %.
        with self.assertRaisesRegex(ValidationError, "10"):
            self._quotation_from(visit, discount=12)
        order = self._quotation_from(visit, discount=8)
        self.assertEqual(order.spm_visit_id, visit)

        visit.outcome = "Took an order; the customer pays the old invoice this week."
        visit.action_check_out(latitude=31.2305, longitude=121.4738)
        self.assertEqual(visit.state, "done")
        self.assertEqual(self.customer.spm_last_visit_date, today)
        self.assertFalse(self.customer.spm_visit_overdue)

        # The money first: the order waits until the old invoice is paid.
        with self.assertRaisesRegex(UserError, "Overdue more than 60 days"):
            order.action_confirm()
        register_payment(self.env, invoice, payment_date=today)
        self.assertEqual(task.state, "collected")
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertAlmostEqual(order.spm_discount_amount, 80.0)
        self.assertAlmostEqual(order.spm_discount_budget_remaining, 20.0)

        # The next order needs 50 of a budget with 20 left: the manager decides.
        second = self._quotation_from(visit, discount=5)
        second.action_confirm()
        self.assertEqual(second.state, "to_approve")
        with self.assertRaises(UserError):
            second.action_spm_discount_approve()
        second.with_user(self.manager).action_spm_discount_approve()
        self.assertEqual(second.state, "sale")
        ledger = self.env["spm.discount.ledger"].search([("user_id", "=", self.rep.id)])
        self.assertEqual(sorted(ledger.mapped("amount")), [50.0, 80.0])
