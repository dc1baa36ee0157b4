from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_promotion import SpmPromotionCommon


@tagged("post_install", "-at_install")
class TestPromotionCost(SpmPromotionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._run()
        cls.pop = cls._cost(partner_id=cls.customer.id, actual_amount=1200.0)

    def test_cost_goes_planned_approved_verified_settled(self):
        pop = self.pop.with_user(self.manager)
        pop.vendor_id = self.vendor
        self._execution(self._outlet_visit())
        pop.action_approve()
        self.assertEqual(pop.state, "approved")
        pop.action_verify()
        self.assertEqual(pop.state, "verified")
        pop.action_settle()
        self.assertEqual(pop.state, "settled")
        previews = self.campaign.message_ids.mapped("preview")
        self.assertTrue(any("Cost Light box: Verified by" in preview for preview in previews))
        self.assertTrue(any("Cost Light box: Settled by" in preview for preview in previews))

    def test_negative_cost_is_refused(self):
        for fname in ("planned_amount", "actual_amount"):
            with (
                self.subTest(field=fname),
                self.assertRaisesRegex(
                    ValidationError, "Cost Light box of campaign Spring Trade-in cannot be negative"
                ),
            ):
                self._cost(**{fname: -10.0})

    def test_rep_approving_a_cost_is_refused(self):
        with self.assertRaisesRegex(UserError, "Only a sales manager may approve cost Light box"):
            self.pop.with_user(self.rep).action_approve()
        self.assertEqual(self.pop.state, "planned")

    def test_rep_verifying_or_settling_is_refused(self):
        self.pop.with_user(self.manager).action_approve()
        with self.assertRaisesRegex(UserError, "Only a sales manager may verify cost"):
            self.pop.with_user(self.rep).action_verify()

    def test_outlet_cost_is_not_payable_before_its_execution_is_verified(self):
        pop = self.pop.with_user(self.manager)
        pop.action_approve()
        self.assertFalse(pop.payable)
        with self.assertRaisesRegex(
            UserError, "cannot be paid yet: the execution of campaign Spring Trade-in at "
        ):
            pop.action_verify()
        # done on a visit whose check-in was too far: still not payable
        self._execution(self._outlet_visit(verified=False))
        pop.invalidate_recordset(["payable"])
        self.assertFalse(pop.payable)
        with self.assertRaisesRegex(UserError, "cannot be paid yet"):
            pop.action_verify()

    def test_outlet_cost_is_payable_once_its_execution_is_verified(self):
        self._execution(self._outlet_visit())
        pop = self.pop.with_user(self.manager)
        self.assertTrue(pop.payable)
        pop.action_approve()
        pop.action_verify()
        self.assertEqual(pop.state, "verified")

    def test_payable_rule_holds_for_a_cost_moved_to_an_unverified_outlet(self):
        self._execution(self._outlet_visit())
        pop = self.pop.with_user(self.manager)
        pop.action_approve()
        pop.action_verify()
        # the outlet of a verified cost no longer changes
        with self.assertRaisesRegex(UserError, "Outlet"):
            pop.partner_id = self.counter
        # and no state shortcut makes an unverified outlet's cost payable
        other = self._cost(partner_id=self.counter.id, actual_amount=50.0)
        with self.assertRaisesRegex(ValidationError, "cannot be paid yet"):
            other.sudo()._spm_protected().state = "verified"

    def test_cost_without_outlet_is_payable(self):
        media = self._cost(name="Metro ads", cost_type="media", actual_amount=800.0)
        media = media.with_user(self.manager)
        media.action_approve()
        media.action_verify()
        self.assertEqual(media.state, "verified")

    def test_verifying_needs_the_actual_amount(self):
        media = self._cost(name="Metro ads", cost_type="media").with_user(self.manager)
        media.action_approve()
        with self.assertRaisesRegex(UserError, "Enter the actual amount of cost Metro ads"):
            media.action_verify()

    def test_outlet_not_in_the_campaign_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "is not an outlet of campaign Spring"):
            self._cost(partner_id=self.dealer.id)

    def test_verified_cost_keeps_its_amounts_and_stays(self):
        self._execution(self._outlet_visit())
        pop = self.pop.with_user(self.manager)
        pop.action_approve()
        pop.action_verify()
        with self.assertRaisesRegex(UserError, "Cost Light box is Verified: Actual no longer"):
            pop.actual_amount = 5000.0
        with self.assertRaisesRegex(UserError, "stays on campaign"):
            pop.unlink()
        pop.name = "Light box, two sides"  # the description may still be corrected

    def test_state_and_settlement_are_not_written_by_hand(self):
        with self.assertRaisesRegex(AccessError, "Status"):
            self.pop.with_user(self.manager).state = "settled"

    def test_rebate_is_settled_by_a_credit_note_to_the_outlet(self):
        self._execution(self._outlet_visit())
        rebate = self._cost(
            name="Display rebate",
            cost_type="rebate",
            partner_id=self.customer.id,
            actual_amount=300.0,
        ).with_user(self.manager)
        self.assertEqual(rebate.settlement_method, "credit_note")
        rebate.action_approve()
        rebate.action_verify()
        action = rebate.action_settle()
        move = rebate.move_id
        self.assertEqual(action["res_id"], move.id)
        self.assertEqual(move.move_type, "out_refund")
        self.assertEqual(move.partner_id, self.customer)
        self.assertEqual(move.state, "draft")
        self.assertAlmostEqual(move.amount_total, 300.0)
        self.assertIn("Spring Trade-in: Display rebate", move.invoice_line_ids.name)
        self.assertEqual(rebate.state, "settled")

    def test_other_costs_are_settled_by_a_vendor_bill(self):
        media = self._cost(
            name="Metro ads", cost_type="media", vendor_id=self.vendor.id, actual_amount=800.0
        ).with_user(self.manager)
        self.assertEqual(media.settlement_method, "vendor_bill")
        media.action_approve()
        media.action_verify()
        media.action_settle()
        self.assertEqual(media.move_id.move_type, "in_invoice")
        self.assertEqual(media.move_id.partner_id, self.vendor)
        self.assertAlmostEqual(media.move_id.amount_total, 800.0)
        with self.assertRaisesRegex(UserError, "Vendor"):
            media.vendor_id = False

    def test_settlement_needs_its_partner(self):
        media = self._cost(name="Metro ads", cost_type="media", actual_amount=800.0)
        media = media.with_user(self.manager)
        media.action_approve()
        media.action_verify()
        with self.assertRaisesRegex(UserError, "settled by a vendor bill: choose the vendor"):
            media.action_settle()
        media.settlement_method = "credit_note"
        with self.assertRaisesRegex(UserError, "credit note to its outlet: choose the outlet"):
            media.action_settle()
        self.assertFalse(media.move_id)

    def test_settling_twice_is_refused(self):
        media = self._cost(
            name="Metro ads", cost_type="media", vendor_id=self.vendor.id, actual_amount=800.0
        ).with_user(self.manager)
        media.action_approve()
        media.action_verify()
        media.action_settle()
        with self.assertRaisesRegex(UserError, "is Settled: settlement is not possible now"):
            media.action_settle()

    def test_bad_amount_is_refused_naming_the_field(self):
        with self.assertRaisesRegex(ValidationError, "Planned of Promotion Cost must be a finite"):
            self._cost(planned_amount="a lot")
