from datetime import date
from unittest.mock import patch

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_discount import SpmDiscountCommon


@tagged("post_install", "-at_install")
class TestDiscountBudget(SpmDiscountCommon):
    """The rep's budget is 1,000 a month; a cable is 100, a phone 1,000."""

    def _messages(self, order, text):
        return order.message_ids.filtered(lambda message: text in (message.body or ""))

    def test_confirmation_charges_the_budget(self):
        order = self._order([(self.phone, 2, 15.0)])
        self.assertEqual(order.spm_discount_amount, 300.0)
        self.assertEqual(order.spm_discount_budget, 1000.0)
        self.assertEqual(order.spm_discount_budget_remaining, 1000.0)
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.state, "sale")
        ledger = self._ledger()
        self.assertRecordValues(
            ledger,
            [
                {
                    "kind": "charge",
                    "amount": 300.0,
                    "order_id": order.id,
                    "policy_id": self.policy.id,
                }
            ],
        )
        order.invalidate_recordset()
        self.assertEqual(order.spm_discount_budget_used, 300.0)
        self.assertEqual(order.spm_discount_budget_remaining, 700.0)

    def test_order_without_discount_charges_nothing(self):
        self._order([(self.phone, 2, 0.0)]).action_confirm()
        self.assertFalse(self._ledger())

    def test_exceeding_the_budget_waits_for_approval(self):
        self._order([(self.phone, 4, 15.0)]).action_confirm()  # 600 used
        order = self._order([(self.phone, 3, 15.0)])  # 450 > 400 left
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.state, "to_approve")
        self.assertEqual(order.spm_discount_approval, "requested")
        self.assertEqual(len(self._ledger()), 1)
        self.assertTrue(self._messages(order, "exceeds the remaining discount budget"))

    def test_default_budget_applies_to_reps_without_their_own(self):
        order = self._order([(self.phone, 4, 15.0)], user=self.rep_colleague)  # 600 > 500
        order.action_confirm()
        self.assertEqual(order.state, "to_approve")

    def test_manager_approval_charges_beyond_the_budget_and_confirms(self):
        order = self._order([(self.phone, 8, 15.0)])  # 1,200 > 1,000
        order.action_confirm()
        order.with_user(self.manager).action_spm_discount_approve()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.spm_discount_approval, "approved")
        self.assertRecordValues(
            self._ledger(),
            [{"kind": "charge", "amount": 1200.0, "approved_by_id": self.manager.id}],
        )
        self.assertTrue(self._messages(order, f"approved by {self.manager.name} beyond the budget"))

    def test_manager_refusal_sends_the_order_back_to_quotation(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        order.with_user(self.manager).action_spm_discount_refuse()
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.spm_discount_approval, "refused")
        self.assertFalse(self._ledger())
        self.assertTrue(self._messages(order, f"refused by {self.manager.name}"))
        order.order_line.discount = 5.0  # 400: within budget now
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_rep_cannot_approve_refuse_or_force_the_order(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        as_rep = order.with_user(self.rep)
        message = "Only discount approvers"
        with self.assertRefused(AccessError, message):
            as_rep.action_spm_discount_approve()
        with self.assertRefused(AccessError, message):
            as_rep.action_spm_discount_refuse()
        with self.assertRefused(AccessError, message):
            as_rep.write({"state": "sale"})
        with self.assertRefused(UserError, "not in a state requiring confirmation"):
            as_rep.action_confirm()
        self.assertEqual(order.state, "to_approve")

    def test_portal_signature_or_payment_cannot_skip_approval(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.sudo()._validate_order()  # what portal signing and online payment call
        self.assertEqual(order.state, "to_approve")
        self.assertFalse(order._has_to_be_signed())
        self.assertFalse(order._has_to_be_paid())

    def test_approving_an_order_not_waiting_is_refused(self):
        order = self._order([(self.phone, 1, 15.0)])
        with self.assertRefused(UserError, "is not waiting for discount approval"):
            order.with_user(self.manager).action_spm_discount_approve()

    def test_orders_confirmed_together_share_the_budget(self):
        first = self._order([(self.phone, 4, 15.0)])  # 600
        second = self._order([(self.phone, 4, 15.0)])  # 600
        (first | second).action_confirm()
        self.assertEqual(first.state, "sale")
        self.assertEqual(second.state, "to_approve")

    def test_cancelling_gives_the_discount_back(self):
        order = self._order([(self.phone, 4, 15.0)])
        order.action_confirm()
        order._action_cancel()
        self.assertRecordValues(
            self._ledger().sorted("id"),
            [{"kind": "charge", "amount": 600.0}, {"kind": "release", "amount": -600.0}],
        )
        order.invalidate_recordset()
        self.assertEqual(order.spm_discount_budget_used, 0.0)
        order.action_draft()
        order.action_confirm()
        self.assertEqual(self._ledger()[0].amount, 600.0)

    def test_global_discount_line_is_charged(self):
        order = self._order([(self.phone, 1, 10.0)])  # 100
        self.env["sale.order.discount"].create(
            {"sale_order_id": order.id, "discount_type": "amount", "discount_amount": 45.0}
        ).action_apply_discount()
        self.assertAlmostEqual(order.spm_discount_amount, 145.0)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertAlmostEqual(self._ledger().amount, 145.0)

    def test_monthly_period_boundary(self):
        with freeze_time("2026-01-31 12:00:00"):
            self._order([(self.phone, 6, 15.0)]).action_confirm()  # 900
            late = self._order([(self.phone, 2, 15.0)])  # 300 > 100 left
            late.action_confirm()
            self.assertEqual(late.state, "to_approve")
        with freeze_time("2026-02-01 09:00:00"):
            order = self._order([(self.phone, 6, 15.0)])
            order.action_confirm()
            self.assertEqual(order.state, "sale")
            self.assertEqual(order.spm_discount_budget_used, 900.0)
        self.assertEqual(
            sorted(self._ledger().mapped("period_date")), [date(2026, 1, 31), date(2026, 2, 1)]
        )

    def test_quarterly_period_boundary(self):
        self.policy.budget_period = "quarter"
        with freeze_time("2026-02-10 12:00:00"):
            self._order([(self.phone, 6, 15.0)]).action_confirm()  # 900
        with freeze_time("2026-03-31 12:00:00"):
            same_quarter = self._order([(self.phone, 2, 15.0)])
            same_quarter.action_confirm()
            self.assertEqual(same_quarter.state, "to_approve")
        with freeze_time("2026-04-01 12:00:00"):
            next_quarter = self._order([(self.phone, 2, 15.0)])
            next_quarter.action_confirm()
            self.assertEqual(next_quarter.state, "sale")

    def test_cancel_releases_into_the_period_it_was_charged_to(self):
        with freeze_time("2026-01-20 12:00:00"):
            order = self._order([(self.phone, 6, 15.0)])
            order.action_confirm()
        with freeze_time("2026-02-03 12:00:00"):
            order._action_cancel()
            release = self._ledger().filtered(lambda e: e.kind == "release")
            self.assertEqual(str(release.period_date), "2026-01-20")
            self.assertEqual(str(release.date), "2026-02-03")

    def test_team_policy_wins_over_the_company_policy(self):
        self.env["spm.discount.policy"].create(
            {
                "name": "East Team",
                "team_id": self.team.id,
                "budget_enabled": True,
                "budget_default_amount": 100.0,
            }
        )
        in_team = self._order([(self.phone, 2, 15.0)], team_id=self.team.id)  # 300 > 100
        in_team.action_confirm()
        self.assertEqual(in_team.state, "to_approve")
        self.assertEqual(in_team.spm_discount_budget, 100.0)
        outside = self._order([(self.phone, 2, 15.0)], team_id=False)
        outside.action_confirm()
        self.assertEqual(outside.state, "sale")
        # The rep picks the team: a team policy without floor leaves the company floor.
        with self.assertRefused(
            ValidationError,
            r"a discount of 30\.00% .* maximum discount of 15\.00% set by discount policy "
            r'"Standard", product category "Electronics"',
        ):
            self._order([(self.phone, 1, 30.0)], team_id=self.team.id)

    def test_a_team_floor_tightens_the_company_floor(self):
        self.env["spm.discount.policy"].create(
            {
                "name": "East Team",
                "team_id": self.team.id,
                "floor_discount_enabled": True,
                "max_discount": 8.0,
            }
        )
        self.assertTrue(self._order([(self.phone, 1, 12.0)], team_id=False))
        with self.assertRefused(
            ValidationError,
            r"a discount of 12\.00% .* maximum discount of 8\.00% set by discount policy "
            r'"East Team", global maximum',
        ):
            self._order([(self.phone, 1, 12.0)], team_id=self.team.id)

    def test_foreign_currency_order_is_charged_in_company_currency(self):
        foreign = self.env["res.currency"].create({"name": "SPY", "symbol": "Y"})
        self.env["res.currency.rate"].create(
            {
                "currency_id": foreign.id,
                "rate": 7.0,
                "name": "2000-01-01",
                "company_id": self.company.id,
            }
        )
        pricelist = self.env["product.pricelist"].create(
            {"name": "Export", "currency_id": foreign.id}
        )
        order = self._order([(self.phone, 2, 15.0)], pricelist_id=pricelist.id)
        self.assertEqual(order.amount_untaxed, 11900.0)  # 2 x 7,000 x 85 %
        order.action_confirm()
        self.assertEqual(self._ledger().amount, 300.0)

    def test_rep_sees_the_discount_while_entering_the_quotation(self):
        self.rep.groups_id += self.env.ref("sale.group_discount_per_so_line")
        with Form(self.env["sale.order"].with_user(self.rep)) as form:
            form.partner_id = self.customer
            with form.order_line.new() as line:
                line.product_id = self.phone
                line.product_uom_qty = 3
                line.discount = 10.0
            self.assertEqual(form.spm_discount_amount, 300.0)
            self.assertEqual(form.spm_discount_budget_remaining, 1000.0)

    def test_budget_switched_off_confirms_everything(self):
        self.policy.budget_enabled = False
        order = self._order([(self.phone, 20, 15.0)])
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._ledger())

    def test_ledger_entries_cannot_be_changed_or_deleted(self):
        self._order([(self.phone, 2, 15.0)]).action_confirm()
        entry = self._ledger()
        with self.assertRefused(UserError, "cannot be changed"):
            entry.amount = 0.0
        with self.assertRefused(UserError, "cannot be deleted"):
            entry.unlink()

    def test_bad_budget_input_is_refused(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.policy.budget_ids = [Command.create({"user_id": self.rep.id, "amount": 5.0})]
            self.env.flush_all()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.policy.budget_ids.amount = -1.0
            self.env.flush_all()

    # The approval: neither the salesperson nor the user who asked for it
    def test_requester_cannot_approve(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.with_user(self.manager).action_confirm()
        self.assertEqual(order.state, "to_approve")
        self.assertEqual(order.spm_discount_requested_by_id, self.manager)
        with self.assertRefused(
            UserError,
            r"you confirmed this order and so asked for the approval of its discount "
            r"yourself; you may not approve it\. Ask another discount approver\.",
        ):
            order.with_user(self.manager).action_spm_discount_approve()
        self.assertEqual(order.state, "to_approve")
        self.assertFalse(self._ledger())
        order.with_user(self.approver).action_spm_discount_approve()
        self.assertEqual(order.state, "sale")

    def test_approver_cannot_approve_own_order_after_reassigning_it(self):
        order = self._order([(self.phone, 8, 15.0)], user=self.manager)
        order.with_user(self.manager).action_confirm()
        with self.assertRefused(UserError, r"its salesperson, sales team, pricelist and company"):
            order.with_user(self.manager).write({"user_id": self.rep.id})
        self.assertEqual(order.user_id, self.manager)
        with self.assertRefused(UserError, r"you are the salesperson of this order"):
            order.with_user(self.manager).action_spm_discount_approve()
        self.assertFalse(self._ledger(self.rep))

    def test_order_reassigned_before_confirmation_cannot_be_approved_by_who_confirmed_it(self):
        order = self._order([(self.phone, 8, 15.0)], user=self.manager)
        order.with_user(self.manager).write({"user_id": self.rep.id})
        order.with_user(self.manager).action_confirm()
        with self.assertRefused(UserError, r"you confirmed this order"):
            order.with_user(self.manager).action_spm_discount_approve()
        self.assertFalse(self._ledger())

    def test_salesperson_cannot_change_while_waiting_for_anybody(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        regex = r"waits for discount approval: its salesperson, sales team, pricelist and company"
        other_pricelist = self.env["product.pricelist"].create({"name": "Wholesale"})
        for who, as_user in (
            ("rep", order.with_user(self.rep)),
            ("manager", order.with_user(self.manager)),
            ("approver", order.with_user(self.approver)),
            ("superuser", order.sudo()),
            ("context key", order.sudo().with_context(spm_protected_write=True)),
            ("addon's own bypass", order._spm_protected()),
        ):
            for vals in (
                {"user_id": self.rep_colleague.id},
                {"team_id": self.team.id},
                {"pricelist_id": other_pricelist.id},
            ):
                with self.subTest(user=who, vals=vals), self.assertRefused(UserError, regex):
                    as_user.write(vals)
        self.assertEqual(order.user_id, self.rep)

    def test_salesperson_change_while_waiting_is_refused_on_form_save(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        form = Form(order.with_user(self.manager))
        form.user_id = self.rep_colleague
        with self.assertRefused(UserError, r"its salesperson, sales team, pricelist"):
            form.save()
        order.invalidate_recordset()
        self.assertEqual(order.user_id, self.rep)

    def test_salesperson_may_change_after_a_refusal(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        order.with_user(self.approver).action_spm_discount_refuse()
        order.with_user(self.manager).user_id = self.rep_colleague
        self.assertEqual(order.user_id, self.rep_colleague)

    def test_requester_cannot_be_written(self):
        order = self._order([(self.phone, 8, 15.0)])
        order.action_confirm()
        for who, as_user in (
            ("rep", order.with_user(self.rep)),
            ("manager", order.with_user(self.manager)),
            ("superuser", order.sudo()),
        ):
            with (
                self.subTest(user=who),
                self.assertRefused(
                    AccessError, r"Discount Approval Requested By cannot be written directly"
                ),
            ):
                as_user.write({"spm_discount_requested_by_id": self.approver.id})
        with self.assertRefused(AccessError, r"cannot be written directly"):
            order.copy({"spm_discount_requested_by_id": self.approver.id})

    def test_approval_is_asked_of_neither_salesperson_nor_requester(self):
        self.team.user_id = self.manager
        order = self._order([(self.phone, 8, 15.0)], team_id=self.team.id)
        order.with_user(self.manager).action_confirm()
        self.assertTrue(order.activity_ids.user_id)
        self.assertNotIn(order.activity_ids.user_id, self.manager | self.rep)

    # The charge equals the granted discount after confirmation
    def test_flagged_line_added_after_confirmation_is_charged(self):
        self.policy.floor_discount_enabled = False
        order = self._order([(self.phone, 2, 10.0)])  # 200
        order.action_confirm()
        self._flow_line(
            order,
            is_downpayment=True,
            product_id=self.cable.id,
            product_uom_qty=2.0,
            price_unit=50.0,
        )  # + 100
        self.assertEqual(sorted(self._ledger().mapped("amount")), [100.0, 200.0])

    def test_line_removed_after_confirmation_gives_its_discount_back(self):
        self.policy.floor_discount_enabled = False
        order = self._order([(self.phone, 2, 10.0)])  # 200
        order.action_confirm()
        # A line Odoo lets delete on a confirmed order: a down payment not yet invoiced.
        line = self._flow_line(
            order,
            is_downpayment=True,
            product_id=self.cable.id,
            product_uom_qty=2.0,
            price_unit=50.0,
        )
        line.unlink()
        self.assertEqual(sum(self._ledger().mapped("amount")), 200.0)
        order.invalidate_recordset()
        self.assertEqual(order.spm_discount_amount, 200.0)

    def test_down_payment_wizard_adds_its_lines_and_charges_nothing(self):
        order = self._order([(self.phone, 2, 10.0)])  # 200
        order.action_confirm()
        wizard = (
            self.env["sale.advance.payment.inv"]
            .with_user(self.rep)
            .with_context(active_model="sale.order", active_ids=order.ids)
            .create({"advance_payment_method": "percentage", "amount": 10.0})
        )
        wizard.create_invoices()
        down_payment = order.order_line.filtered(
            lambda line: line.is_downpayment and not line.display_type
        )
        self.assertEqual(len(down_payment), 1)
        self.assertAlmostEqual(down_payment.price_unit, 180.0)
        self.assertEqual(self._ledger().mapped("amount"), [200.0])
        order.invalidate_recordset()
        self.assertEqual(order.spm_discount_amount, 200.0)

    def test_reinvoiced_expense_line_is_flagged_and_not_measured(self):
        self.cable.expense_policy = "cost"
        order = self._order([(self.phone, 2, 10.0)])  # 200
        order.action_confirm()
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.customer.id,
                "invoice_date": "2026-01-10",
                "invoice_line_ids": [
                    Command.create(
                        {"product_id": self.cable.id, "quantity": 2.0, "price_unit": 20.0}
                    )
                ],
            }
        )
        bill_line = bill.invoice_line_ids
        AccountMoveLine = type(self.env["account.move.line"])
        with patch.object(
            AccountMoveLine,
            "_sale_determine_order",
            lambda lines: {line.id: order for line in lines},
        ):
            sale_lines = bill_line._sale_create_reinvoice_sale_line()
        expense = sale_lines[bill_line.id]
        self.assertRecordValues(expense, [{"is_expense": True, "price_unit": 20.0}])
        self.assertEqual(self._ledger().mapped("amount"), [200.0])

    def test_order_date_changed_after_confirmation_is_charged(self):
        self.pricelist.item_ids = [
            Command.create(
                {
                    "applied_on": "0_product_variant",
                    "product_id": self.phone.id,
                    "compute_price": "fixed",
                    "fixed_price": 1100.0,
                    "date_start": "2026-03-01 00:00:00",
                }
            )
        ]
        with freeze_time("2026-02-10 12:00:00"):
            order = self._order([(self.phone, 2, 10.0)])  # 2 x (1,000 - 900)
            order.action_confirm()
            # The March price makes the same lines a discount of 2 x (1,100 - 900).
            order.with_user(self.rep).write({"date_order": "2026-03-05 12:00:00"})
        self.assertEqual(sorted(self._ledger().mapped("amount")), [200.0, 200.0])
