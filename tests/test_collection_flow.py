"""A customer does not pay: the rep chases, the customer puts the payment off until the
task escalates and its next order is held; a sales manager lets one order through
with a written reason; the payment finally comes and closes the task."""

from datetime import timedelta

from e2e_common import EndToEndCase

from odoo import Command, fields
from odoo.exceptions import RedirectWarning, UserError
from odoo.tests import new_test_user

from odoo.addons.sales_process_mgmt.tests.common import register_payment


class TestCollectionFlow(EndToEndCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="e2e_coll_manager", groups="sales_team.group_sale_manager"
        )
        cls.rep = new_test_user(
            cls.env,
            login="e2e_coll_rep",
            groups="sales_team.group_sale_salesman",
            tz="Asia/Shanghai",
        )
        cls.env["crm.team"].create(
            {
                "name": "E2E collection team",
                "user_id": cls.manager.id,
                "crm_team_member_ids": [Command.create({"user_id": cls.rep.id})],
            }
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "E2E Jincheng Digital", "is_company": True, "user_id": cls.rep.id}
        )
        cls.product = cls.env["product.product"].create({"name": "E2E handset", "list_price": 80.0})

    def test_promises_escalation_hold_override_and_payment(self):
        today = fields.Date.context_today(self.env["res.partner"].with_user(self.rep))
        rule = (
            self.env["spm.collection.rule"]
            .with_user(self.manager)
            .create(
                {
                    "name": "E2E strict customer",
                    "partner_ids": [Command.set(self.customer.ids)],
                    "max_deferrals": 1,
                    "block_orders_after_days": 60,
                    "hold_overdue": True,
                    "hold_deferrals": True,
                }
            )
        )
        self.assertEqual(self.customer.with_user(self.manager).spm_collection_rule_id, rule)

        invoice = self._posted_invoice(
            self.customer, self.rep, 3000.0, today=today, overdue_days=10, term_days=30
        )

        task = (
            self.env["spm.collection.task"]
            .with_user(self.rep)
            .search([("move_id", "=", invoice.id)])
        )
        self.assertEqual((task.state, task.rule_id), ("open", rule))
        Promise = self.env["spm.payment.promise"].with_user(self.rep)
        for days in (2, 5, 9):
            Promise.create(
                {
                    "task_id": task.id,
                    "promised_date": today + timedelta(days=days),
                    "amount": 3000.0,
                    "reason": "Next week, surely",
                }
            )
        self.assertEqual(task.state, "escalated")
        self.assertIn(self.manager, task.sudo().activity_ids.user_id)

        order = (
            self.env["sale.order"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [Command.create({"product_id": self.product.id})],
                }
            )
        )
        with self.assertRaisesRegex(UserError, "Deferrals used up"):
            order.action_confirm()
        with self.assertRaises(RedirectWarning):
            order.with_user(self.manager).action_confirm()
        self.env["spm.credit.override.wizard"].with_user(self.manager).create(
            {"order_id": order.id, "reason": "Owner paid a deposit in cash"}
        ).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertIn(
            "Owner paid a deposit in cash", order.message_ids[0].body + order.message_ids[1].body
        )

        register_payment(self.env, invoice, payment_date=today)
        self.assertEqual(task.state, "collected")
        self.env["spm.collection.task"]._cron_refresh_tasks()
        self.assertEqual(set(task.sudo().promise_ids.mapped("state")), {"kept"})
