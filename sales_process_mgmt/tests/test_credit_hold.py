from freezegun import freeze_time
from lxml import etree

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
        self._order().action_confirm()  # one deferral is allowed
        self._promise(task, "2026-03-16")
        with self.assertRaisesRegex(
            UserError,
            r"Deferrals used up \(at most 1 allowed, rule Everyone\): .* put off 2 times",
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

    def test_credit_limit_refusal_carries_odoo_credit_warning(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000.0
        self._invoice(600.0, "2026-03-20")
        order = self._order(price=500.0)
        warning = order.partner_credit_warning
        self.assertIn("Hengda Telecom has reached its credit limit of", warning)
        with self.assertRaises(UserError) as caught:
            order.action_confirm()
        message = str(caught.exception)
        self.assertIn(
            f"{order.name} cannot be confirmed: Hengda Telecom is on credit hold", message
        )
        self.assertIn(f"Credit limit exceeded (rule Everyone): {warning}", message)
        self.assertIn("ask a credit manager to override the hold", message)

    def test_company_default_credit_limit_holds_as_odoo_warns(self):
        settings = self.env["res.config.settings"].create(
            {"account_use_credit_limit": True, "account_default_credit_limit": 500.0}
        )
        settings.execute()
        order = self._order(price=600.0)  # the customer has no limit of its own
        self.assertIn("has reached its credit limit", order.partner_credit_warning)
        with self.assertRaisesRegex(UserError, r"Credit limit exceeded \(rule Everyone\)"):
            order.action_confirm()

    def test_credit_limit_within_odoo_warning_does_not_hold(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000.0
        self._invoice(600.0, "2026-03-20")
        order = self._order(price=400.0)  # 600 + 400: at the limit, not over it
        self.assertFalse(order.partner_credit_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

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

    def test_order_over_the_limit_shows_odoo_banner_only(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000.0
        self._invoice(600.0, "2026-03-20")
        order = self._order(price=500.0)
        self.assertIn(
            "Hengda Telecom has reached its credit limit of", order.partner_credit_warning
        )
        self.assertIn("1,100.00", order.partner_credit_warning)  # 600 open + 500 this order
        self.assertFalse(order.spm_credit_hold_warning)
        self.assertIn(
            "Rule Everyone holds orders over the credit limit", order.spm_credit_limit_hold_note
        )
        self.assertIn(
            "unless a credit manager overrides the hold", order.spm_credit_limit_hold_note
        )

    def test_order_over_the_limit_and_overdue_shows_the_limit_once(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1000.0
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        self.assertIn("has reached its credit limit", order.partner_credit_warning)
        self.assertIn("Overdue more than 30 days (rule Everyone)", order.spm_credit_hold_warning)
        self.assertNotIn("credit limit", order.spm_credit_hold_warning.lower())
        self.assertIn("ask a credit manager to override", order.spm_credit_hold_warning)

    def test_form_shows_the_credit_limit_in_odoo_banner(self):
        arch = etree.fromstring(
            self.env["sale.order"]
            .with_user(self.rep)
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )

        def alerts_showing(field):
            return arch.xpath(f"//div[hasclass('alert')][.//field[@name='{field}']]")

        [odoo_banner] = alerts_showing("partner_credit_warning")
        self.assertEqual(alerts_showing("spm_credit_limit_hold_note"), [odoo_banner])
        [hold_banner] = alerts_showing("spm_credit_hold_warning")
        self.assertIsNot(hold_banner, odoo_banner)
        self.assertEqual(hold_banner.get("invisible"), "not spm_credit_hold_warning")

    def test_invoice_address_over_its_limit_shows_in_the_hold_banner(self):
        self.company.account_use_credit_limit = True
        payer = self.env["res.partner"].create({"name": "Paying Group", "is_company": True})
        payer.credit_limit = 100.0
        order = self._order(price=300.0)
        order.partner_invoice_id = payer
        self.assertFalse(order.partner_credit_warning)  # Odoo's banner: the customer only
        self.assertIn("Paying Group has reached its credit limit", order.spm_credit_hold_warning)
        with self.assertRaisesRegex(UserError, "Paying Group is on credit hold"):
            order.action_confirm()

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

    def test_override_wizard_lists_the_hold_of_the_invoice_address(self):
        payer = self.env["res.partner"].create({"name": "Paying Group", "is_company": True})
        self._invoice(1234.0, "2026-01-20", partner=payer)
        order = self._order()
        order.partner_invoice_id = payer
        wizard = (
            self.env["spm.credit.override.wizard"]
            .with_user(self.manager)
            .create({"order_id": order.id, "reason": "Group pays next week"})
        )
        self.assertIn("Overdue more than 30 days (rule Everyone)", wizard.hold_reasons)

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

    # The override is recorded on the order -------------------------------------------
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
        # The credit manager asked for the approval: another approver decides.
        with self.assertRaisesRegex(UserError, "asked for"), self.cr.savepoint():
            order.with_user(self.manager).action_spm_discount_approve()
        approver = new_test_user(
            self.env, login="spm_second_manager", groups="sales_team.group_sale_manager"
        )
        order.with_user(approver).action_spm_discount_approve()
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

    # Online payment and portal signature ----------------------------------------------
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

    # Orders confirmed together ------------------------------------------------------
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


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestCreditHoldAfterConfirmation(SpmCollectionCommon):
    """A confirmed order never belongs to a customer on credit hold: every change that
    moves it to such a customer or raises it re-runs the hold."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["spm.discount.policy"].search([]).active = False
        cls.product = cls._create_product(name="Handset A100", lst_price=100.0, taxes_id=[])
        cls.other_product = cls._create_product(name="Handset A80", lst_price=80.0, taxes_id=[])
        cls.held = cls.env["res.partner"].create(
            {"name": "Late Payer Ltd", "is_company": True, "user_id": cls.rep.id}
        )
        cls._invoice(1234.0, "2026-01-20", partner=cls.held)  # 49 days overdue

    def setUp(self):
        super().setUp()
        self.order = self._confirmed_order(self.product)

    def _confirmed_order(self, product):
        order = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": 10, "price_unit": 100}
                    )
                ],
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        return order

    def _make_customer_held(self):
        self._invoice(1234.0, "2026-01-20")  # the order's own customer, 49 days overdue

    def _assert_refused(self, call, user=None):
        env_user = user or self.rep
        refusal = (UserError, RedirectWarning)
        with self.assertRaisesRegex(refusal, "is on credit hold"), self.cr.savepoint():
            call(self.order.with_user(env_user))

    # The customer or invoice address changes ------------------------------------------
    def test_confirmed_order_moved_to_held_customer_is_refused(self):
        def move_and_raise(order):
            order.write(
                {
                    "partner_id": self.held.id,
                    "partner_invoice_id": self.held.id,
                    "partner_shipping_id": self.held.id,
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 50})
                    ],
                }
            )

        self._assert_refused(move_and_raise)
        self.assertEqual(self.order.partner_id, self.customer)
        self.assertEqual(len(self.order.order_line), 1)

    def test_confirmed_order_customer_change_to_held_customer_is_refused(self):
        self._assert_refused(lambda order: order.write({"partner_id": self.held.id}))

    def test_confirmed_order_customer_change_refused_for_a_manager(self):
        with self.assertRaisesRegex(RedirectWarning, "Late Payer Ltd is on credit hold"):
            self.order.with_user(self.manager).write({"partner_id": self.held.id})

    def test_confirmed_order_customer_change_refused_for_the_superuser(self):
        with (
            self.assertRaisesRegex((UserError, RedirectWarning), "is on credit hold"),
            self.cr.savepoint(),
        ):
            self.order.sudo().write({"partner_id": self.held.id})
        self.assertEqual(self.order.partner_id, self.customer)

    def test_confirmed_order_invoice_address_moved_to_held_customer_is_refused(self):
        self._assert_refused(lambda order: order.write({"partner_invoice_id": self.held.id}))
        self.assertEqual(self.order.partner_invoice_id, self.customer)

    def test_confirmed_order_contact_of_held_customer_is_refused(self):
        contact = self.env["res.partner"].create({"name": "Mr Late", "parent_id": self.held.id})
        self._assert_refused(lambda order: order.write({"partner_invoice_id": contact.id}))

    def test_confirmed_order_moved_to_customer_in_good_standing_goes_through(self):
        other = self.env["res.partner"].create({"name": "Good Payer", "is_company": True})
        self.order.with_user(self.rep).write({"partner_id": other.id})
        self.assertEqual(self.order.partner_id, other)

    # Lines added or raised -------------------------------------------------------------
    def test_line_added_to_confirmed_order_of_held_customer_is_refused(self):
        self._make_customer_held()

        def add_line(order):
            order.env["sale.order.line"].create(
                {"order_id": order.id, "product_id": self.product.id, "product_uom_qty": 50}
            )

        self._assert_refused(add_line)
        self._assert_refused(add_line, user=self.manager)
        self.assertEqual(len(self.order.order_line), 1)

    def test_line_added_through_order_commands_is_refused(self):
        self._make_customer_held()
        self._assert_refused(
            lambda order: order.write(
                {
                    "order_line": [
                        Command.create({"product_id": self.product.id, "product_uom_qty": 5})
                    ]
                }
            )
        )

    def test_line_added_through_order_form_is_refused(self):
        self._make_customer_held()
        form = Form(self.order.with_user(self.rep))
        with form.order_line.new() as line:
            line.product_id = self.product
            line.product_uom_qty = 5
        with self.assertRaisesRegex(UserError, "is on credit hold"):
            form.save()

    def test_quantity_raised_on_confirmed_order_of_held_customer_is_refused(self):
        self._make_customer_held()
        self._assert_refused(lambda order: order.order_line.write({"product_uom_qty": 60}))
        self._assert_refused(
            lambda order: order.order_line.write({"product_uom_qty": 60}), user=self.manager
        )
        with (
            self.assertRaisesRegex((UserError, RedirectWarning), "is on credit hold"),
            self.cr.savepoint(),
        ):
            self.order.order_line.sudo().write({"product_uom_qty": 60})
        self.assertEqual(self.order.order_line.product_uom_qty, 10)

    def test_price_raised_on_confirmed_order_of_held_customer_is_refused(self):
        self._make_customer_held()
        self._assert_refused(lambda order: order.order_line.write({"price_unit": 150}))
        self.assertEqual(self.order.order_line.price_unit, 100)

    def test_discount_lowered_on_confirmed_order_of_held_customer_is_refused(self):
        self.order.order_line.discount = 10.0
        self._make_customer_held()
        self._assert_refused(lambda order: order.order_line.write({"discount": 0.0}))

    def test_product_changed_on_confirmed_order_of_held_customer_is_refused(self):
        # Odoo itself refuses a new product on a line of goods already on a delivery:
        # a service line keeps its product editable after confirmation.
        service, other_service = (
            self._create_product(name=name, type="service", lst_price=100.0, taxes_id=[])
            for name in ("Installation", "Maintenance")
        )
        self.order = self._confirmed_order(service)
        self._make_customer_held()
        self._assert_refused(
            lambda order: order.order_line.write({"product_id": other_service.id, "price_unit": 80})
        )
        self.assertEqual(self.order.order_line.product_id, service)

    def test_free_line_added_to_confirmed_order_of_held_customer_is_refused(self):
        """No new goods for a customer who does not pay, free ones neither."""
        self._make_customer_held()
        self._assert_refused(
            lambda order: order.env["sale.order.line"].create(
                {
                    "order_id": order.id,
                    "product_id": self.product.id,
                    "product_uom_qty": 5,
                    "price_unit": 0,
                }
            )
        )

    # What is not refused ------------------------------------------------------------------
    def test_quantity_lowered_on_held_customer_order_goes_through(self):
        self._make_customer_held()
        self.order.order_line.with_user(self.rep).write({"product_uom_qty": 4})
        self.assertEqual(self.order.order_line.product_uom_qty, 4)

    def test_neutral_write_on_held_customer_order_goes_through(self):
        self._make_customer_held()
        self.order.with_user(self.rep).write(
            {"client_order_ref": "PO 42", "note": "<p>Deliver at the back door</p>"}
        )
        self.order.order_line.with_user(self.rep).write(
            {"name": "Handset A100, black", "price_unit": 100, "product_uom_qty": 10}
        )
        self.order.order_line.qty_delivered = 10  # delivery and invoicing flows
        invoice = self.order._create_invoices()
        self.assertEqual(invoice.amount_untaxed, 1000.0)

    def test_override_on_confirmed_order_covers_the_raise(self):
        self._make_customer_held()
        self.env["spm.credit.override.wizard"].with_user(self.manager).create(
            {"order_id": self.order.id, "reason": "Director vouches for the extra units"}
        ).action_confirm()
        self.assertEqual(self.order.spm_credit_override_by_id, self.manager)
        self.order.order_line.with_user(self.rep).write({"product_uom_qty": 60})
        self.assertEqual(self.order.order_line.product_uom_qty, 60)
        bodies = " ".join(self.order.message_ids.mapped("body"))
        self.assertIn("overrode the credit hold of confirmed order", bodies)

    def test_rep_cannot_override_a_confirmed_order(self):
        self._make_customer_held()
        with self.assertRaises(AccessError):
            self.order.with_user(self.rep)._spm_credit_override("trust me")

    # The credit limit counts the increase ---------------------------------------------
    def test_raise_over_the_credit_limit_is_refused_with_the_increase(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 1500.0  # the order holds 1,000 not invoiced
        with self.assertRaises(UserError) as caught:
            self.order.order_line.with_user(self.rep).write({"product_uom_qty": 20})
        message = str(caught.exception)
        self.assertIn("Credit limit", message)
        self.assertIn("2,000.00", message)  # exposure: this order, not counted twice
        self.assertIn("1,000.00 added by this change", message)

    def test_invoice_address_moved_over_its_credit_limit_is_refused(self):
        self.company.account_use_credit_limit = True
        payer = self.env["res.partner"].create({"name": "Paying Group", "is_company": True})
        payer.credit_limit = 500.0  # the order holds 1,000 not invoiced
        with self.assertRaises(UserError) as caught:
            self.order.with_user(self.rep).write({"partner_invoice_id": payer.id})
        message = str(caught.exception)
        self.assertIn("Paying Group is on credit hold", message)
        self.assertIn("Paying Group has reached its credit limit of", message)
        self.assertIn("1,000.00 added by this change", message)
        self.assertEqual(self.order.partner_invoice_id, self.customer)

    def test_raise_within_the_credit_limit_goes_through(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 2500.0
        self.order.order_line.with_user(self.rep).write({"product_uom_qty": 20})
        self.assertEqual(self.order.amount_total, 2000.0)

    def test_raise_goes_through_when_the_holds_are_off(self):
        self._make_customer_held()
        self.rule.write({"hold_overdue": False, "hold_deferrals": False})
        self.order.order_line.with_user(self.rep).write({"product_uom_qty": 60})
        self.order.with_user(self.rep).write({"partner_id": self.held.id})
        self.assertEqual(self.order.partner_id, self.held)


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestCreditHoldSwitches(SpmCollectionCommon):
    """Each hold is a switch of the collection rule; a new install holds nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["spm.discount.policy"].search([]).active = False
        cls.product = cls._create_product(name="Handset A100", lst_price=100.0, taxes_id=[])

    def _order(self, price=100.0):
        return (
            self.env["sale.order"]
            .with_user(self.rep)
            .create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": 1,
                                "price_unit": price,
                            }
                        )
                    ],
                }
            )
        )

    def test_overdue_invoice_does_not_hold_when_the_switch_is_off(self):
        self.rule.hold_overdue = False
        self._invoice(1234.0, "2026-01-20")
        order = self._order()
        self.assertFalse(order.spm_credit_hold_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_used_up_deferrals_do_not_hold_when_the_switch_is_off(self):
        self.rule.hold_deferrals = False
        move = self._invoice(500.0, "2026-03-05")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        self._promise(task, "2026-03-12")
        self._promise(task, "2026-03-16")
        self.assertEqual(task.state, "escalated")
        self.assertIn("the task is escalated to the manager", task.message_ids[0].body)
        order = self._order()
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_credit_limit_only_warns_when_the_switch_is_off(self):
        self.rule.hold_credit_limit = False
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 50.0
        order = self._order(price=300.0)
        self.assertIn("has reached its credit limit", order.partner_credit_warning)
        self.assertFalse(order.spm_credit_limit_hold_note)
        self.assertFalse(order.spm_credit_hold_warning)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_default_rule_of_a_new_company_holds_nothing(self):
        other = self.env["res.company"].create({"name": "New Branch"})
        rule = self.env["spm.collection.rule"].search([("company_id", "=", other.id)])
        self.assertRecordValues(
            rule,
            [{"hold_overdue": False, "hold_deferrals": False, "hold_credit_limit": False}],
        )

    def test_new_rule_holds_nothing(self):
        rule = self.env["spm.collection.rule"].create({"name": "Fresh"})
        self.assertFalse(rule.hold_overdue or rule.hold_deferrals or rule.hold_credit_limit)

    def test_settings_say_which_holds_are_on(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.spm_collection_default_rule_id, self.rule)
        self.assertEqual(
            settings.spm_collection_hold_summary,
            "Everyone holds the orders of a customer with an invoice overdue more than 30 "
            "days, more than 1 deferrals on an invoice, the credit limit exceeded.",
        )
        self.rule.write({"hold_deferrals": False, "hold_credit_limit": False})
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(
            settings.spm_collection_hold_summary,
            "Everyone holds the orders of a customer with an invoice overdue more than 30 days.",
        )
        self.rule.hold_overdue = False
        settings = self.env["res.config.settings"].create({})
        self.assertIn("plans collection and holds no order", settings.spm_collection_hold_summary)
        action = settings.action_spm_open_default_collection_rule()
        self.assertEqual((action["res_model"], action["res_id"]), (self.rule._name, self.rule.id))
