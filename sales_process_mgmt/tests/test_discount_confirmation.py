from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_discount import SpmDiscountCommon


@tagged("post_install", "-at_install")
class TestDiscountConfirmationPath(SpmDiscountCommon):
    """Every path that confirms or changes an order meets the floor and the budget:
    no state or approval written directly, no line or salesperson left unchecked."""

    # the state is written by the buttons only
    def test_rep_cannot_write_a_quotation_to_sale(self):
        order = self._order([(self.phone, 8, 15.0)])
        with self.assertRefused(
            AccessError, r"Status cannot be written directly: they are set by the buttons"
        ):
            order.with_user(self.rep).write({"state": "sale"})
        self.assertEqual(order.state, "draft")

    def test_manager_cannot_write_an_order_waiting_for_approval_to_sale(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        with self.assertRefused(AccessError, r"Status cannot be written directly"):
            order.with_user(self.manager).write({"state": "sale"})
        self.assertEqual(order.state, "to_approve")

    def test_superuser_cannot_write_state_sale_either(self):
        order = self._order([(self.phone, 1, 0.0)])
        with self.assertRefused(AccessError, r"Status cannot be written directly"):
            order.sudo().write({"state": "sale"})

    def test_cancelled_waiting_order_cannot_be_written_to_sale(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        order._action_cancel()
        with self.assertRefused(AccessError, r"Status cannot be written directly"):
            order.with_user(self.rep).write({"state": "sale"})
        self.assertEqual(order.state, "cancel")

    def test_order_cannot_be_created_confirmed(self):
        with self.assertRefused(AccessError, r"Sales Order: Status cannot be written directly"):
            self.env["sale.order"].create(
                {"partner_id": self.customer.id, "user_id": self.rep.id, "state": "sale"}
            )

    # the approval is no field to write
    def test_rep_cannot_forge_the_approval(self):
        order = self._order([(self.phone, 1, 0.0)])
        with self.assertRefused(
            AccessError, r"Discount Approval cannot be written directly: they are set by the"
        ):
            order.with_user(self.rep).write({"spm_discount_approval": "approved"})

    def test_context_key_does_not_open_the_protected_fields(self):
        order = self._order([(self.phone, 8, 15.0)])
        for context in ({"spm_protected_write": True}, {"spm_protected_write": "1"}):
            with (
                self.subTest(context=context),
                self.assertRefused(AccessError, r"cannot be written directly"),
            ):
                order.sudo().with_context(**context).write(
                    {"state": "sale", "spm_discount_approval": "approved"}
                )
        with self.assertRefused(AccessError, r"Status cannot be written directly"):
            self.env["sale.order"].with_context(default_state="sale").create(
                {"partner_id": self.customer.id, "user_id": self.rep.id}
            )
        self.assertEqual(order.state, "draft")

    # a negative quantity is a discount
    def test_negative_quantity_line_counts_as_an_order_wide_discount(self):
        with self.assertRefused(
            ValidationError,
            r'line "Cable": a discount of 90\.00% .*order-wide discount lines \(90\.00% of the',
        ):
            self._order([(self.cable, 10, 0.0), (self.cable, -9, 0.0)])

    def test_negative_quantity_is_charged_to_the_budget(self):
        self.policy.floor_discount_enabled = False
        order = self._order([(self.phone, 2, 0.0), (self.cable, -3, 0.0)])
        self.assertAlmostEqual(order.spm_discount_amount, 300.0)

    # lines written by Odoo's own flows are checked too
    def test_negative_down_payment_line_is_a_discount(self):
        order = self._order([(self.phone, 1, 0.0)])
        with self.assertRefused(ValidationError, r'line "Phone S1": a discount of 90\.00%'):
            self._flow_line(
                order,
                is_downpayment=True,
                product_id=self.cable.id,
                price_unit=-900.0,
                product_uom_qty=1.0,
            )

    # the margin is measured on the product's cost
    def test_margin_floor_ignores_a_purchase_price_lowered_by_the_rep(self):
        self.policy.write({"floor_margin_enabled": True, "min_margin": 30.0})
        # 850 on a cost of 600 is a margin of 29.41 %; a cost of 0 would make it 100 %.
        with self.assertRefused(ValidationError, r"a margin of 29\.41% breaks the floor"):
            self.env["sale.order"].with_user(self.rep).create(
                {
                    "partner_id": self.customer.id,
                    "pricelist_id": self.pricelist.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.phone.id,
                                "price_unit": 850.0,
                                "purchase_price": 0.0,
                            }
                        )
                    ],
                }
            )

    # an order without salesperson
    def test_order_without_salesperson_is_refused_under_a_budget(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.user_id = False
        with self.assertRefused(
            UserError,
            r"grants a discount of .*1,200\.00.* but has no salesperson: discount policy "
            r"Standard charges discounts to the salesperson's budget\. Set the salesperson",
        ):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_order_without_salesperson_nor_discount_confirms(self):
        order = self._order([(self.phone, 1, 0.0)])
        order.user_id = False
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    # a discount changed after confirmation
    def test_discount_raised_after_confirmation_is_charged(self):
        order = self._order([(self.phone, 2, 10.0)])  # 200
        order.action_confirm()
        order.order_line.discount = 15.0  # 300
        self.assertEqual(sorted(self._ledger().mapped("amount")), [100.0, 200.0])

    def test_discount_raised_beyond_the_budget_after_confirmation_is_refused(self):
        order = self._order([(self.phone, 6, 15.0)])  # 900 of 1,000
        order.action_confirm()
        with self.assertRefused(
            UserError,
            r"is confirmed: the change raises its discount by .*150\.00.*, beyond the remaining "
            r"discount budget of .*100\.00.* Lower the discount, or cancel the order",
        ):
            order.write(
                {"order_line": [Command.create({"product_id": self.phone.id, "discount": 15.0})]}
            )
        self.assertEqual(self._ledger().amount, 900.0)

    def test_discount_lowered_after_confirmation_is_given_back(self):
        order = self._order([(self.phone, 2, 15.0)])  # 300
        order.action_confirm()
        order.order_line.discount = 5.0  # 100
        self.assertEqual(sorted(self._ledger().mapped("amount")), [-200.0, 300.0])

    # an order waiting for approval is decided as it stands
    def test_lines_of_an_order_waiting_for_approval_cannot_change(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        with self.assertRefused(
            UserError, r"waits for discount approval: its lines cannot be changed meanwhile"
        ):
            order.with_user(self.rep).write(
                {"order_line": [Command.create({"product_id": self.phone.id, "discount": 15.0})]}
            )
        with self.assertRefused(UserError, r"its lines cannot be changed meanwhile"):
            order.order_line.with_user(self.rep).product_uom_qty = 20

    # the order form
    def test_order_form_locks_lines_waiting_for_approval_and_shows_visit_and_override(self):
        arch = self.env["sale.order"].get_view(view_type="form")["arch"]
        self.assertIn("state in ('cancel', 'to_approve') or locked", arch)
        self.assertIn('name="spm_visit_id"', arch)
        self.assertIn('name="spm_credit_override_reason"', arch)

    # a cancelled order is checked when it comes back
    def test_cancelled_order_reopened_is_floor_checked(self):
        self.policy.budget_enabled = False
        order = self._order([(self.cable, 1, 10.0)])
        order._action_cancel()
        order.order_line.discount = 50.0  # a cancelled order is not checked
        with self.assertRefused(
            ValidationError, r'line "Cable": a discount of 50\.00% breaks the floor'
        ):
            order.action_draft()
        self.assertEqual(order.state, "cancel")

    # somebody is always asked to approve
    def test_team_without_leader_asks_a_discount_approver(self):
        order = self._order([(self.phone, 8, 15.0)], team_id=self.team.id)
        order.action_confirm()
        activity = order.activity_ids
        self.assertEqual(
            activity.summary or activity.activity_type_id.summary,
            "Approve or refuse a discount beyond the budget",
        )
        self.assertTrue(
            activity.user_id.has_group("sales_process_mgmt.group_spm_discount_approver")
        )
        self.assertNotEqual(activity.user_id, self.rep)

    # the rep's day, not the confirming user's
    def test_budget_period_is_the_reps_day(self):
        self.rep.tz = "Asia/Shanghai"
        with freeze_time("2026-01-31 20:00:00"):  # 1 February, 04:00 in Shanghai
            order = self._order([(self.phone, 2, 15.0)])
            order.with_context(tz="America/New_York").action_confirm()
        self.assertEqual(str(self._ledger().period_date), "2026-02-01")

    # a confirmed order shows its charge
    def test_confirmed_order_shows_the_charge_and_its_period(self):
        with freeze_time("2026-01-20 12:00:00"):
            order = self._order([(self.phone, 2, 15.0)])  # 300
            order.action_confirm()
        with freeze_time("2026-02-03 12:00:00"):
            self.phone.list_price = 2000.0  # a live recomputation would show 2,300
            order.invalidate_recordset()
            self.assertAlmostEqual(order.spm_discount_amount, 300.0)
            self.assertAlmostEqual(order.spm_discount_budget_used, 300.0)  # January's
