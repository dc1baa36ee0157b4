from datetime import datetime

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_visit import SHOP, SpmVisitCommon

FAR = (SHOP[0] + 4, SHOP[1])  # about 444 km north of the shop


@tagged("post_install", "-at_install")
class TestVisitProof(SpmVisitCommon):
    """The proof of a visit (state, check-in/out, location) comes only from its buttons."""

    def setUp(self):
        super().setUp()
        self.visit = self._visit(outcome="Met the owner")
        self.rep_visit = self.visit.with_user(self.rep)

    def _check_in_and_out(self, position=SHOP):
        self.rep_visit.action_check_in(latitude=position[0], longitude=position[1])
        self.rep_visit.action_check_out(latitude=position[0], longitude=position[1])

    # proof fields are never written directly
    def test_rep_cannot_fake_the_location_verification(self):
        self._check_in_and_out(FAR)
        with self.assertRaisesRegex(
            AccessError,
            r"VIS/\S+: Check-in Distance \(m\), Location Status, Location Verified cannot be "
            r"written directly: they are set by the buttons and scheduled actions of the app",
        ):
            self.rep_visit.write(
                {
                    "location_verified": True,
                    "location_status": "verified",
                    "check_in_distance_m": 5,
                }
            )
        self.assertEqual(self.visit.location_status, "too_far")

    def test_rep_cannot_set_the_cadence_flag(self):
        with self.assertRaisesRegex(AccessError, "Planned by Cadence cannot be written directly"):
            self.rep_visit.write({"cadence_planned": True})

    def test_rep_cannot_create_a_visit_with_proof(self):
        with self.assertRaisesRegex(
            AccessError,
            "Customer Visit: Check In Time, State cannot be written directly: they are set "
            "by the buttons and scheduled actions of the app. Use Check In, Check Out",
        ):
            self.env["spm.visit"].with_user(self.rep).create(
                {
                    "partner_id": self.customer.id,
                    "state": "done",
                    "check_in_time": datetime(2026, 3, 2, 2, 0),
                }
            )

    # the state is the buttons'; a manager corrects the times only
    def test_rep_cannot_reopen_a_done_visit_by_writing_the_state(self):
        self._check_in_and_out()
        with self.assertRaisesRegex(AccessError, ": State cannot be written directly"):
            self.rep_visit.write({"state": "planned"})
        self.assertEqual(self.visit.state, "done")

    def test_rep_cannot_mark_a_planned_visit_done_by_writing_the_state(self):
        with self.assertRaisesRegex(AccessError, ": State cannot be written directly"):
            self.rep_visit.write({"state": "done"})
        self.assertFalse(self.customer.spm_last_visit_date)

    def test_rep_cannot_cancel_a_done_visit_by_writing_the_state(self):
        self._check_in_and_out()
        with self.assertRaisesRegex(AccessError, ": State cannot be written directly"):
            self.rep_visit.write({"state": "cancelled"})

    def test_manager_corrects_times_and_the_change_is_logged(self):
        self._check_in_and_out()
        self.visit.with_user(self.manager).write({"check_in_time": "2026-03-02 01:00:00"})
        self.assertEqual(self.visit.check_in_time, datetime(2026, 3, 2, 1, 0))
        self.assertIn("Times corrected by spm_manager", self.visit.message_ids[0].body)
        self.assertIn("2026-03-02 01:00:00", self.visit.message_ids[0].body)

    def test_manager_rewriting_an_unchanged_time_logs_no_correction(self):
        self.rep_visit.action_check_in()
        messages = self.visit.message_ids
        self.visit.with_user(self.manager).write({"check_out_time": False})
        self.assertEqual(self.visit.message_ids, messages)
        self.assertFalse(self.visit.check_out_time)

    def test_manager_cannot_rewrite_the_location_either(self):
        self._check_in_and_out(FAR)
        with self.assertRaisesRegex(AccessError, ": Location Verified cannot be written directly"):
            self.visit.with_user(self.manager).write({"location_verified": True})

    # the buttons and a manager's corrections keep the proof too
    def test_checked_in_visit_cannot_be_planned_again(self):
        self.rep_visit.action_check_in(latitude=FAR[0], longitude=FAR[1])
        self.rep_visit.action_cancel()
        with self.assertRaisesRegex(
            UserError,
            "Visit VIS/\\S+ was checked in on .*: its check-in stays as proof and it cannot "
            "be planned again. Plan a new visit instead.",
        ):
            self.rep_visit.action_reset_to_planned()
        self.assertEqual(self.visit.state, "cancelled")
        self.assertEqual(self.visit.location_status, "too_far")

    def test_cancelled_checked_in_visit_cannot_be_deleted_by_a_rep(self):
        self.rep_visit.action_check_in(latitude=FAR[0], longitude=FAR[1])
        self.rep_visit.action_cancel()
        with self.assertRaisesRegex(
            UserError, "has been checked in: it stays in the customer's history"
        ):
            self.rep_visit.unlink()
        self.assertTrue(self.visit.exists())

    def test_buttons_still_refuse_colleagues_visits(self):
        # the colleague visits the rep's customer: the rep reads it but may not change it
        colleague_visit = self._visit(user=self.rep_colleague)
        with self.assertRaisesRegex(AccessError, "doesn't have 'write' access to"):
            colleague_visit.with_user(self.rep).action_cancel()

    def test_manager_cannot_correct_a_time_the_visit_does_not_have(self):
        self.rep_visit.action_check_in()
        with self.assertRaisesRegex(AccessError, ": Check Out Time cannot be written directly"):
            self.visit.with_user(self.manager).write({"check_out_time": "2026-03-02 03:00:00"})

    def test_manager_cannot_erase_the_check_in_time(self):
        self._check_in_and_out()
        with self.assertRaisesRegex(ValidationError, "needs its Check In Time: it proves"):
            self.visit.with_user(self.manager).write({"check_in_time": False})

    def test_manager_cannot_put_the_check_out_before_the_check_in(self):
        self._check_in_and_out()
        with self.assertRaisesRegex(ValidationError, "cannot be checked out before it was"):
            self.visit.with_user(self.manager).write({"check_out_time": "2000-01-01 00:00:00"})

    def test_superuser_cannot_write_the_location_verification(self):
        self._check_in_and_out(FAR)
        with self.assertRaisesRegex(AccessError, ": Location Verified cannot be written directly"):
            self.visit.sudo().write({"location_verified": True})
        self.assertFalse(self.visit.location_verified)


@tagged("post_install", "-at_install")
class TestVisitCustomerAndRep(SpmVisitCommon):
    """A visit's proof belongs to its customer and rep: neither changes once the visit
    is checked in, on any path; before that, only a manager hands it to another rep."""

    def setUp(self):
        super().setUp()
        self.visit = self._visit(outcome="Met the owner")
        self.rep_visit = self.visit.with_user(self.rep)
        self.other_customer = self.env["res.partner"].create(
            {"name": "Xintiandi Outlet", "is_company": True, "user_id": self.rep.id}
        )

    def _checked_in(self):
        self.rep_visit.action_check_in(latitude=SHOP[0], longitude=SHOP[1])
        self.assertEqual(self.visit.location_status, "verified")

    def test_customer_of_checked_in_visit_cannot_change(self):
        self._checked_in()
        with self.assertRaisesRegex(
            AccessError,
            r"VIS/\S+: Customer cannot be written directly: .* A checked-in visit keeps its "
            r"customer and its rep",
        ):
            self.rep_visit.write({"partner_id": self.other_customer.id})
        self.assertEqual(self.visit.partner_id, self.customer)

    def test_customer_of_done_visit_cannot_change_nor_move_last_visit_dates(self):
        self._checked_in()
        self.rep_visit.action_check_out(latitude=SHOP[0], longitude=SHOP[1])
        with self.assertRaisesRegex(AccessError, ": Customer cannot be written directly"):
            self.rep_visit.write({"partner_id": self.other_customer.id})
        self.assertFalse(self.other_customer.spm_last_visit_date)
        self.assertEqual(self.customer.spm_last_visit_date, self.visit.visit_date)

    def test_manager_cannot_move_a_checked_in_visit_to_another_customer(self):
        self._checked_in()
        with self.assertRaisesRegex(AccessError, ": Customer cannot be written directly"):
            self.visit.with_user(self.manager).write({"partner_id": self.other_customer.id})

    def test_superuser_cannot_move_a_checked_in_visit_to_another_customer(self):
        self._checked_in()
        with self.assertRaisesRegex(AccessError, ": Customer cannot be written directly"):
            self.visit.sudo().write({"partner_id": self.other_customer.id})

    def test_rep_of_checked_in_visit_cannot_change_even_for_a_manager(self):
        self._checked_in()
        for env_visit in (self.visit.with_user(self.manager), self.visit.sudo()):
            with self.assertRaisesRegex(AccessError, ": Sales Rep cannot be written directly"):
                env_visit.write({"user_id": self.rep_colleague.id})
        self.assertEqual(self.visit.user_id, self.rep)

    def test_cancelled_checked_in_visit_keeps_its_customer(self):
        self._checked_in()
        self.rep_visit.action_cancel()
        with self.assertRaisesRegex(AccessError, ": Customer cannot be written directly"):
            self.visit.with_user(self.manager).write({"partner_id": self.other_customer.id})

    def test_rewriting_the_same_customer_is_accepted(self):
        self._checked_in()
        self.rep_visit.write({"partner_id": self.customer.id, "objective": "Restock"})
        self.assertEqual(self.visit.objective, "Restock")

    def test_checked_in_visit_with_a_visit_of_another_customer_cannot_change(self):
        # one checked-in visit in the batch freezes the batch's customers
        planned = self._visit(partner=self.dealer)
        self._checked_in()
        with self.assertRaisesRegex(AccessError, ": Customer cannot be written directly"):
            (self.visit | planned).write({"partner_id": self.other_customer.id})
        self.assertEqual(planned.partner_id, self.dealer)

    def test_form_of_checked_in_visit_shows_the_customer_read_only(self):
        self._checked_in()
        form = Form(self.rep_visit)
        with self.assertRaises(AssertionError):
            form.partner_id = self.other_customer

    def test_copy_of_checked_in_visit_is_a_new_visit_for_any_customer(self):
        self._checked_in()
        copy = self.rep_visit.copy({"partner_id": self.other_customer.id})
        self.assertEqual(copy.partner_id, self.other_customer)
        self.assertEqual(copy.state, "planned")
        self.assertFalse(copy.check_in_time)
        self.assertEqual(self.visit.partner_id, self.customer)

    def test_rep_changes_the_customer_of_a_planned_visit(self):
        self.rep_visit.write({"partner_id": self.other_customer.id})
        self.assertEqual(self.visit.partner_id, self.other_customer)

    def test_rep_cannot_hand_a_planned_visit_to_another_rep(self):
        with self.assertRaisesRegex(AccessError, ": Sales Rep cannot be written directly"):
            self.rep_visit.write({"user_id": self.rep_colleague.id})
        self.assertEqual(self.visit.user_id, self.rep)

    def test_rep_cannot_hand_a_planned_visit_to_another_rep_in_the_form(self):
        with self.assertRaisesRegex(AccessError, ": Sales Rep cannot be written directly"):
            with Form(self.rep_visit) as form:
                form.user_id = self.rep_colleague
        self.assertEqual(self.visit.user_id, self.rep)

    def test_rep_cannot_hand_a_visit_to_a_colleague(self):
        visit = self._visit().with_user(self.rep)
        with self.assertRaisesRegex(AccessError, r"VIS/\S+: Sales Rep cannot be written directly"):
            visit.user_id = self.rep_colleague
        self.assertEqual(visit.user_id, self.rep)

    def test_rep_cannot_create_a_visit_for_another_rep(self):
        with self.assertRaisesRegex(AccessError, "Customer Visit: Sales Rep cannot be written"):
            self.Visit.with_user(self.rep).create(
                {"partner_id": self.customer.id, "user_id": self.rep_colleague.id}
            )

    def test_rep_cannot_copy_a_visit_to_another_rep(self):
        with self.assertRaisesRegex(AccessError, "Customer Visit: Sales Rep cannot be written"):
            self.rep_visit.copy({"user_id": self.rep_colleague.id})

    def test_rep_plans_own_visit_naming_himself(self):
        visit = self.Visit.with_user(self.rep).create(
            {"partner_id": self.customer.id, "user_id": self.rep.id}
        )
        self.assertEqual(visit.user_id, self.rep)
        self.assertEqual(self.rep_visit.copy().user_id, self.rep)

    def test_manager_hands_a_planned_visit_to_another_rep(self):
        self.visit.with_user(self.manager).write({"user_id": self.rep_colleague.id})
        self.assertEqual(self.visit.user_id, self.rep_colleague)

    def test_manager_hands_a_visit_to_a_colleague(self):
        visit = self._visit()
        visit.with_user(self.manager).user_id = self.rep_colleague
        self.assertEqual(visit.user_id, self.rep_colleague)
