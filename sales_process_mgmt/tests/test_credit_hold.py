from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, RedirectWarning, UserError
from odoo.tests import Form, new_test_user, tagged

from .common_collection import SpmCollectionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestCreditHold(SpmCollectionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls._create_product(name="Handset A100", lst_price=100.0, taxes_id=[])

    def _order(self, partner=None, lines=1, price=100.0, user=None):
        return (
            self.env["sale.order"]
            .with_user(user or self.rep)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "user_id": self.rep.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "price_unit": price,
                            }
                        )
                        for _i in range(lines)
                    ],
                }
            )
        )

    def _promise(self, task, promised_date):
        self.env["spm.payment.promise"].with_user(self.rep).create(
            {"task_id": task.id, "promised_date": promised_date, "amount": 100.0, "reason": "Later"}
        )

    def test_invoice_overdue_beyond_limit_holds_order(self):
        self._invoice(1234.0, "2026-01-20")  # 49 days overdue, the rule allows 30
        order = self._order()
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        message = str(caught.exception)
        self.assertIn(
            f"{order.name} cannot be confirmed: Hengda Telecom is on credit hold", message
        )
        self.assertIn("Overdue more than 30 days (rule Everyone): 1 invoice(s)", message)
        self.assertIn("1,234.00", message)
        self.assertIn("due 01/20/2026", message)
        self.assertEqual(order.state, "draft")

    def test_invoice_overdue_within_limit_does_not_hold(self):
        self._invoice(1234.0, "2026-02-20")  # 18 days overdue
        order = self._order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_contact_order_is_held_for_the_company(self):
        self._invoice(1234.0, "2026-01-20")
        contact = self.env["res.partner"].create({"name": "Mr Sun", "parent_id": self.customer.id})
        with self.assertRaisesRegex(UserError, "Hengda Telecom is on credit hold"):
            self._order(partner=contact).action_confirm()

    def test_used_up_deferrals_hold_order(self):
        move = self._invoice(500.0, "2026-03-05")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        self._promise(task, "2026-03-12")
        self._promise(task, "2026-03-16")
        self._order().action_confirm()  # one deferral is allowed
        self._promise(task, "2026-03-20")
        with self.assertRaisesRegex(
            UserError, r"Deferrals used up \(at most 1 allowed\): .* put off 2 times"
        ):
            self._order().action_confirm()

    def test_credit_limit_exceeded_holds_order(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000.0
        self._invoice(600.0, "2026-03-20")
        confirmed = self._order(price=300.0)
        confirmed.action_confirm()  # 600 + 300 = 900: within the limit
        order = self._order(price=200.0)
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        message = str(caught.exception)
        self.assertIn("Credit limit", message)
        self.assertIn("1,100.00", message)  # 600 open + 300 not invoiced + 200 this order
        self.assertNotIn("Overdue", message)

    def test_credit_limit_ignored_when_limits_are_off(self):
        self.customer.credit_limit = 100.0
        order = self._order(price=300.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_hold_shows_on_quotation_and_does_not_block_sending(self):
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        self.assertIn("Overdue more than 30 days", order.spm_credit_hold_warning)
        order.with_user(self.rep).action_quotation_sent()
        self.assertEqual(order.state, "sent")

    def test_rep_cannot_override_even_through_context(self):
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        with self.assertRaisesRegex(UserError, "on credit hold"):
            order.with_user(self.rep).with_context(
                spm_credit_override_reason="trust me"
            ).action_confirm()
        with self.assertRaises(AccessError):
            self.env["spm.credit.override.wizard"].with_user(self.rep).create(
                {"order_id": order.id, "reason": "trust me"}
            )

    def test_manager_is_offered_the_override_wizard(self):
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        with self.assertRaises(RedirectWarning) as caught:
            order.with_user(self.manager).action_confirm()
        action = caught.exception.args[1]
        self.assertEqual(action["res_model"], "spm.credit.override.wizard")
        self.assertEqual(action["context"]["default_order_id"], order.id)

    def test_override_requires_reason_and_is_logged(self):
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        Wizard = self.env["spm.credit.override.wizard"].with_user(self.manager)
        wizard_form = Form(Wizard.with_context(default_order_id=order.id))
        self.assertIn("Overdue more than 30 days", wizard_form.hold_reasons)
        wizard_form.reason = "   "
        wizard = wizard_form.save()
        with self.assertRaisesRegex(UserError, "Give the reason for overriding"):
            wizard.action_confirm()
        wizard.reason = "Paid in cash at the warehouse today"
        wizard.action_confirm()
        self.assertEqual(order.state, "sale")
        for record in (order, self.customer):
            bodies = " ".join(record.message_ids.mapped("body"))
            self.assertIn("overrode the credit hold", bodies)
            self.assertIn("Paid in cash at the warehouse today", bodies)

    def _confirm_queries(self, open_invoices):
        partner = self.customer.copy({"name": f"Customer {open_invoices}"})
        partner.credit_limit = 1000000.0
        for _i in range(open_invoices):
            self._invoice(100.0, "2026-03-01", partner=partner)
        self.Task._cron_refresh_tasks()
        order = self._order(partner=partner, lines=3)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        order.action_confirm()
        self.env.flush_all()
        return self.cr.sql_log_count - before

    def test_hold_check_queries_constant_in_invoice_count(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000000.0
        self._confirm_queries(1)  # warm the registry caches
        self.assertEqual(self._confirm_queries(2), self._confirm_queries(12))

    def _held_check_queries(self, open_invoices):
        """Queries of the hold check for a customer whose every invoice is overdue
        beyond the rule and put off beyond its deferrals: both listings run."""
        partner = self.customer.copy({"name": f"Late Payer {open_invoices}"})
        moves = [self._invoice(100.0, "2026-01-01", partner=partner) for _i in range(open_invoices)]
        self.Task._cron_refresh_tasks()
        for move in moves:
            task = self._task(move)
            for day in ("2026-03-12", "2026-03-16", "2026-03-20"):
                self._promise(task, day)
        order = self._order(partner=partner, lines=3)
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        reasons = order._spm_credit_hold_reasons()
        count = self.cr.sql_log_count - before
        self.assertEqual(len(reasons), 2, "overdue and deferral reasons")
        self.assertIn("Deferrals used up", reasons[1])
        return count

    def test_hold_check_queries_constant_with_overdue_and_deferred_invoices(self):
        self._held_check_queries(1)  # warm the registry caches
        self.assertEqual(self._held_check_queries(2), self._held_check_queries(12))

    def test_hold_check_query_count(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000000.0
        for _i in range(8):
            self._invoice(100.0, "2026-01-01")
        order = self._order(lines=3)
        self.env.flush_all()
        self.env.invalidate_all()
        with self.assertQueryCount(33):
            reasons = order._spm_credit_hold_reasons()
        self.assertEqual(len(reasons), 1)

    # Review C2 / C4: the override is recorded on the order
    def _over_budget_policy(self):
        self.env["spm.discount.policy"].search([]).active = False
        self.env["spm.discount.policy"].create(
            {"name": "Tight", "budget_enabled": True, "budget_default_amount": 1.0}
        )

    def test_override_then_discount_approval_confirms(self):
        self._over_budget_policy()
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        order.order_line.discount = 5.0  # 5 of a budget of 1: approval needed
        wizard = (
            self.env["spm.credit.override.wizard"]
            .with_user(self.manager)
            .create({"order_id": order.id, "reason": "Director vouches"})
        )
        wizard.action_confirm()
        self.assertEqual(order.state, "to_approve")
        self.assertEqual(order.spm_credit_override_by_id, self.manager)
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("overrode the credit hold of", bodies)
        self.assertIn("now waits for discount approval", bodies)
        self.assertNotIn("to confirm", bodies)
        order.with_user(self.manager).action_spm_discount_approve()
        self.assertEqual(order.state, "sale")

    def test_override_wizard_accepts_an_order_waiting_for_approval(self):
        self._over_budget_policy()
        order = self._order()
        order.order_line.discount = 5.0
        order.action_confirm()
        self.assertEqual(order.state, "to_approve")
        self._invoice(1234.0, "2026-01-20")
        with self.assertRaisesRegex(RedirectWarning, "is on credit hold"), self.cr.savepoint():
            order.with_user(self.manager).action_spm_discount_approve()
        self.env["spm.credit.override.wizard"].with_user(self.manager).create(
            {"order_id": order.id, "reason": "Director vouches"}
        ).action_confirm()
        order.with_user(self.manager).action_spm_discount_approve()
        self.assertEqual(order.state, "sale")

    def test_manager_cannot_override_through_context(self):
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        with self.assertRaisesRegex(RedirectWarning, "is on credit hold"):
            order.with_user(self.manager).with_context(
                spm_credit_override_reason="unlogged"
            ).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_override_fields_cannot_be_written_directly(self):
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        with self.assertRaisesRegex(
            UserError, "Credit Hold Overridden on cannot be written directly"
        ):
            order.with_user(self.manager).write({"spm_credit_override_date": "2026-03-10"})

    # Review C10: online payment and portal signature
    def test_online_payment_confirms_and_tells_the_salesperson(self):
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        tx = self.env["payment.transaction"].create(
            {
                "provider_id": self.env["payment.provider"]
                .create({"name": "Test provider", "code": "none", "state": "test"})
                .id,
                "payment_method_id": self.env.ref("payment.payment_method_unknown").id,
                "amount": order.amount_total,
                "currency_id": order.currency_id.id,
                "partner_id": order.partner_id.id,
                "sale_order_ids": [Command.set(order.ids)],
                "state": "done",
            }
        )
        tx._check_amount_and_confirm_order()
        self.assertEqual(order.state, "sale")
        bodies = " ".join(order.message_ids.mapped("body"))
        self.assertIn("was confirmed by the customer's online payment although", bodies)
        self.assertEqual(order.activity_ids.user_id, self.rep)
        self.assertEqual(order.activity_ids.summary, "Paid online while on credit hold")

    def test_portal_signature_on_hold_shows_a_customer_safe_message(self):
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        portal = new_test_user(self.env, login="spm_hold_portal", groups="base.group_portal")
        with self.assertRaises(UserError) as caught:
            order.with_user(portal).sudo()._validate_order()
        message = str(caught.exception)
        self.assertIn("Our team must review the order before confirming it", message)
        self.assertNotIn("Overdue", message)
        self.assertEqual(order.state, "draft")

    # Review C11: batches
    def test_orders_confirmed_together_add_up_against_the_credit_limit(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000.0
        first = self._order(price=600.0)
        second = self._order(price=600.0)  # each within the limit, not both
        with self.assertRaises(UserError) as caught:
            (first | second).action_confirm()
        message = str(caught.exception)
        self.assertIn(f"{second.name} cannot be confirmed", message)
        self.assertRegex(message, r"The exposure includes \S*\s?600\.00 of other orders")
        self.assertIn("confirmed together with this one", message)

    def test_hold_check_looks_each_customer_up_once_per_batch(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000000.0
        self._invoice(100.0, "2026-03-01")

        def count(orders):
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            orders._spm_check_credit_hold()
            return self.cr.sql_log_count - before

        count(self._order())  # warm the caches
        self.assertEqual(count(self._order()), count(self._order() | self._order() | self._order()))
