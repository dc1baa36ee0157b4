import base64
from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_promotion import SpmPromotionCommon
from .common_visit import SHOP

# A 1x1 PNG, as a phone would send a photo
PIXEL = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
)


@tagged("post_install", "-at_install")
class TestPromotionExecution(SpmPromotionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._run()

    def test_done_on_a_verified_check_in_is_verified(self):
        execution = self._execution(self._outlet_visit(), note="Light box on")
        self.assertEqual(execution.partner_id, self.customer)
        self.assertEqual(execution.user_id, self.rep)
        self.assertTrue(execution.verified)
        self.assertEqual(self.campaign.verified_outlet_count, 1)
        self.assertEqual(self.campaign.outlet_count, 2)

    def test_done_on_a_check_in_too_far_is_not_verified(self):
        execution = self._execution(self._outlet_visit(verified=False))
        self.assertFalse(execution.verified)
        self.assertEqual(self.campaign.verified_outlet_count, 0)

    def test_not_done_is_not_verified(self):
        execution = self._execution(self._outlet_visit(), done=False)
        self.assertFalse(execution.verified)

    def test_verified_executions_are_found(self):
        verified = self._execution(self._outlet_visit())
        far = self._execution(self._outlet_visit(partner=self.counter, verified=False))
        Execution = self.env["spm.promotion.execution"].with_user(self.rep)
        campaign = [("campaign_id", "=", self.campaign.id)]
        self.assertEqual(Execution.search([*campaign, ("verified", "=", True)]), verified)
        self.assertEqual(Execution.search([*campaign, ("verified", "=", False)]), far)
        self.assertEqual(Execution.search([*campaign, ("verified", "!=", True)]), far)
        with self.assertRaisesRegex(UserError, "Verified can be searched with = or !="):
            Execution.search([("verified", "in", [True])])

    def test_check_in_at_the_outlet_verifies_the_execution(self):
        visit = self._visit(start=datetime(2026, 3, 3, 2, 0), purpose="promotion")
        with freeze_time("2026-03-03 02:05:00"):
            visit.with_user(self.rep).action_check_in(SHOP[0] + 0.0005, SHOP[1])
        self.assertEqual(visit.location_status, "verified")
        execution = visit.with_user(self.rep)._spm_record_promotion(self.campaign, True)
        self.assertTrue(execution.verified)

    def test_execution_for_an_outlet_not_in_the_campaign_is_refused(self):
        visit = self._outlet_visit(partner=self.dealer)
        with self.assertRaisesRegex(
            ValidationError,
            "Huatong Electronics is not an outlet of campaign Spring Trade-in: executions are "
            "recorded only at the campaign's outlets",
        ):
            self._execution(visit, user=self.manager)

    def test_execution_is_at_the_customer_of_its_visit(self):
        execution = self._execution(self._outlet_visit(verified=False))
        with self.assertRaisesRegex(ValidationError, "at the customer of its visit"):
            execution.with_user(self.rep).partner_id = self.counter

    def test_outlet_with_an_execution_stays_in_the_campaign(self):
        self._execution(self._outlet_visit(verified=False))
        with self.assertRaisesRegex(ValidationError, "Nanjing Road Outlet cannot leave campaign"):
            self.campaign.with_user(self.manager).partner_ids = self.counter

    def test_verified_execution_is_neither_changed_nor_deleted(self):
        execution = self._execution(self._outlet_visit())
        for user in (self.rep, self.manager, self.env.user):
            with self.subTest(user=user.login):
                with self.assertRaisesRegex(UserError, "is verified: it proves the campaign ran"):
                    execution.with_user(user).write({"done": False})
                with self.assertRaisesRegex(UserError, "can be neither changed nor deleted"):
                    execution.with_user(user).note = "Moved the light box"
                with self.assertRaisesRegex(UserError, "is verified"):
                    execution.with_user(user).unlink()
        self.assertTrue(execution.exists())

    def test_visit_proving_an_execution_is_not_deleted(self):
        visit = self._outlet_visit()
        self._execution(visit)
        with self.assertRaisesRegex(UserError, "proves the execution of campaign Spring Trade-in"):
            visit.with_user(self.manager).unlink()

    def test_unverified_execution_is_recorded_again(self):
        visit = self._outlet_visit(verified=False)
        execution = visit.with_user(self.rep)._spm_record_promotion(self.campaign, False, "Closed")
        again = visit.with_user(self.rep)._spm_record_promotion(self.campaign, True, "Open now")
        self.assertEqual(again, execution)
        self.assertTrue(execution.done)
        self.assertEqual(execution.note, "Open now")

    def test_one_execution_per_campaign_and_visit(self):
        visit = self._outlet_visit()
        self._execution(visit)
        with (
            self.assertNoLogs("odoo.sql_db", level="ERROR"),
            self.assertRaisesRegex(UserError, "already recorded its execution"),
        ):
            self._execution(visit)

    def test_execution_needs_a_running_campaign(self):
        self.campaign.sudo()._spm_protected().state = "done"
        with self.assertRaisesRegex(UserError, "is Done: executions are recorded while it runs"):
            self._execution(self._outlet_visit())

    def test_execution_needs_a_checked_in_visit(self):
        visit = self._visit(start=datetime(2026, 3, 3, 2, 0))
        with self.assertRaisesRegex(UserError, "check in at the outlet before recording"):
            self._execution(visit)

    def test_rep_records_only_on_own_visits(self):
        visit = self._outlet_visit()
        visit.sudo()._spm_protected().user_id = self.rep_colleague
        with self.assertRaises(AccessError):
            self._execution(visit)

    def test_visit_lists_the_running_campaigns_of_its_customer(self):
        other = self.Campaign.with_user(self.manager).create(
            {
                "name": "Counter only",
                "partner_ids": [(6, 0, self.counter.ids)],
                "product_ids": [(6, 0, self.phone.ids)],
                "date_start": "2026-03-01",
                "date_end": "2026-03-31",
            }
        )
        self._run(other)
        draft = self.campaign.copy({"name": "Next spring"})
        visit = self._outlet_visit().with_user(self.rep)
        self.assertEqual(visit.promotion_campaign_ids, self.campaign)
        self.assertNotIn(draft, visit.promotion_campaign_ids)

    def test_done_button_opens_the_dialog_that_records_the_execution(self):
        visit = self._outlet_visit()
        campaign = self.campaign.with_user(self.rep).with_context(spm_visit_id=visit.id)
        action = campaign.action_spm_visit_done()
        self.assertEqual(action["res_model"], "spm.promotion.execution")
        self.assertEqual(action["target"], "new")
        Execution = self.env["spm.promotion.execution"].with_user(self.rep)
        view = self.env.ref("sales_process_mgmt.spm_promotion_execution_view_form_record")
        with Form(Execution.with_context(**action["context"]), view=view) as form:
            self.assertEqual(form.partner_id, self.customer)
            self.assertTrue(form.done)
            form.photo = PIXEL
            form.note = "Posters up"
        execution = form.record
        self.assertEqual(execution.visit_id, visit)
        self.assertTrue(execution.verified)
        self.assertTrue(execution.photo)
        self.assertIn(execution, visit.promotion_execution_ids)

    def test_not_done_button_records_an_unverified_execution(self):
        visit = self._outlet_visit()
        campaign = self.campaign.with_user(self.rep).with_context(spm_visit_id=visit.id)
        action = campaign.action_spm_visit_not_done()
        self.assertFalse(action["context"]["default_done"])
        Execution = self.env["spm.promotion.execution"].with_user(self.rep)
        with Form(Execution.with_context(**action["context"]), view=action["views"][0][0]) as form:
            form.note = "No space for the standee"
        self.assertFalse(form.record.done)
        self.assertFalse(form.record.verified)

    def test_button_on_a_verified_execution_is_refused(self):
        visit = self._outlet_visit()
        self._execution(visit)
        campaign = self.campaign.with_user(self.rep).with_context(spm_visit_id=visit.id)
        with self.assertRaisesRegex(UserError, "is verified"):
            campaign.action_spm_visit_not_done()

    def test_button_without_a_visit_is_refused(self):
        for visit_id in (None, "abc", True):
            campaign = self.campaign.with_user(self.rep).with_context(spm_visit_id=visit_id)
            with (
                self.subTest(visit_id=visit_id),
                self.assertRaisesRegex(UserError, "from the visit at the outlet"),
            ):
                campaign.action_spm_visit_done()

    def test_visit_form_shows_the_promotion_page(self):
        visit = self._outlet_visit().with_user(self.rep)
        with Form(visit) as form:
            self.assertEqual(len(form.promotion_campaign_ids), 1)

    def test_bad_input_is_refused_naming_the_field(self):
        with self.assertRaisesRegex(ValidationError, "Visit of Campaign Execution must be"):
            self.env["spm.promotion.execution"].with_user(self.rep).create(
                {"campaign_id": self.campaign.id, "visit_id": "abc"}
            )
        with self.assertRaisesRegex(ValidationError, "Done of Campaign Execution must be true"):
            self._execution(self._outlet_visit(), done="yes")
