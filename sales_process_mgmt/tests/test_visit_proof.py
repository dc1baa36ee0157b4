from datetime import datetime

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .visit_common import SHOP, SpmVisitCommon

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

    # 1. faking the GPS verification
    def test_rep_cannot_fake_the_location_verification(self):
        self._check_in_and_out(FAR)
        with self.assertRaisesRegex(
            UserError,
            r"Visit VIS/\S+ keeps its proof: Check-in Distance \(m\), Location Status, "
            r"Location Verified are set only by its buttons",
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
        with self.assertRaisesRegex(UserError, "Planned by Cadence are set only by its buttons"):
            self.rep_visit.write({"cadence_planned": True})

    def test_rep_cannot_create_a_visit_with_proof(self):
        with self.assertRaisesRegex(
            UserError,
            "A visit to Nanjing Road Outlet cannot be created with Check In Time, State: "
            "they prove the visit and are set only by Check In and Check Out",
        ):
            self.env["spm.visit"].with_user(self.rep).create(
                {
                    "partner_id": self.customer.id,
                    "state": "done",
                    "check_in_time": datetime(2026, 3, 2, 2, 0),
                }
            )

    # 2. bypassing the done-visit protection by writing the state
    def test_rep_cannot_reopen_a_done_visit_by_writing_the_state(self):
        self._check_in_and_out()
        with self.assertRaisesRegex(UserError, "proof: State are set only by its buttons"):
            self.rep_visit.write({"state": "planned"})
        self.assertEqual(self.visit.state, "done")

    def test_rep_cannot_mark_a_planned_visit_done_by_writing_the_state(self):
        with self.assertRaisesRegex(
            UserError, "keeps its proof: State are set only by its buttons"
        ):
            self.rep_visit.write({"state": "done"})
        self.assertFalse(self.customer.spm_last_visit_date)

    def test_rep_cannot_cancel_a_done_visit_by_writing_the_state(self):
        self._check_in_and_out()
        with self.assertRaisesRegex(
            UserError, "keeps its proof: State are set only by its buttons"
        ):
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
        with self.assertRaisesRegex(
            UserError, "keeps its proof: Location Verified are set only by its buttons"
        ):
            self.visit.with_user(self.manager).write({"location_verified": True})

    # 3. the same exploit through the buttons
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
