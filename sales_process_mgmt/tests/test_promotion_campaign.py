from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_promotion import SpmPromotionCommon


@tagged("post_install", "-at_install")
class TestPromotionCampaign(SpmPromotionCommon):
    def _cron(self, when):
        with freeze_time(when):
            return self.Campaign._cron_advance_campaigns()

    def test_period_is_measured_on_the_company_clock(self):
        campaign = self.campaign
        self.assertEqual(campaign.period_days, 10)
        # Shanghai is UTC+8: the period runs from 1 March 00:00 to 11 March 00:00 there
        self.assertEqual(campaign.period_start_at, datetime(2026, 2, 28, 16, 0))
        self.assertEqual(campaign.period_end_at, datetime(2026, 3, 10, 16, 0))
        self.assertEqual(campaign.baseline_start_at, datetime(2026, 2, 18, 16, 0))

    def test_manager_approves_a_draft_campaign(self):
        with freeze_time("2026-02-20 04:00:00"):
            self.campaign.with_user(self.manager).action_approve()
        self.assertEqual(self.campaign.state, "approved")
        self.assertEqual(self.campaign.approved_by_id, self.manager)
        self.assertTrue(self.campaign.approved_on)

    def test_rep_approving_a_campaign_is_refused(self):
        with self.assertRaisesRegex(
            UserError, "Only a sales manager may approve campaign Spring Trade-in"
        ):
            self.campaign.with_user(self.rep).action_approve()
        self.assertEqual(self.campaign.state, "draft")

    def test_campaign_without_outlets_is_not_approved(self):
        self.campaign.partner_ids = False
        with self.assertRaisesRegex(UserError, "needs its outlets and its products"):
            self.campaign.with_user(self.manager).action_approve()

    def test_cron_starts_and_ends_the_campaign_on_its_dates(self):
        with freeze_time("2026-02-20 04:00:00"):
            self.campaign.with_user(self.manager).action_approve()
        # 28 February, 23:30 in Shanghai: not yet
        self.assertEqual(self._cron("2026-02-28 15:30:00"), 0)
        self.assertEqual(self.campaign.state, "approved")
        # 1 March, 00:30 in Shanghai (still 28 February in UTC): it starts
        self.assertEqual(self._cron("2026-02-28 16:30:00"), 1)
        self.assertEqual(self.campaign.state, "running")
        # its last day, 10 March: still running
        self.assertEqual(self._cron("2026-03-10 15:00:00"), 0)
        self.assertEqual(self.campaign.state, "running")
        # 11 March in Shanghai: it has ended
        self.assertEqual(self._cron("2026-03-10 16:30:00"), 1)
        self.assertEqual(self.campaign.state, "done")
        # idempotent
        self.assertEqual(self._cron("2026-03-12 04:00:00"), 0)

    def test_ended_campaign_asks_its_responsible_to_evaluate_it(self):
        self._run()
        self._cron("2026-03-12 04:00:00")
        activity = self.campaign.activity_ids
        self.assertEqual(activity.user_id, self.manager)
        self.assertIn("Evaluate campaign Spring Trade-in", activity.summary)

    def test_campaign_approved_during_its_period_starts_at_once(self):
        self._run()
        self.assertEqual(self.campaign.state, "running")

    def test_campaign_approved_after_its_period_ends_at_once(self):
        with freeze_time("2026-04-01 04:00:00"):
            self.campaign.with_user(self.manager).action_approve()
        self.assertEqual(self.campaign.state, "done")

    def test_state_tracked_in_the_chatter(self):
        # changes are tracked on records created in an earlier transaction
        self.cr.flush()
        self._run()
        self.cr.flush()  # tracking values are written before the commit
        tracked = self.campaign.sudo().message_ids.tracking_value_ids.filtered(
            lambda value: value.field_id.name == "state"
        )
        self.assertEqual(tracked.mapped("new_value_char"), ["Running"])

    def test_state_is_not_written_by_hand(self):
        for user in (self.manager, self.rep):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "Status"):
                self.campaign.with_user(user).write({"state": "running"})
        with self.assertRaisesRegex(AccessError, "Status"):
            self.Campaign.with_user(self.manager).create(
                {
                    "name": "Shortcut",
                    "date_start": date(2026, 3, 1),
                    "date_end": date(2026, 3, 2),
                    "state": "running",
                }
            )

    def test_period_ending_before_it_starts_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "ends on 2026-02-27, before it starts on 2026-03-01"
        ):
            self.campaign.with_user(self.manager).date_end = date(2026, 2, 27)
        with self.assertRaisesRegex(ValidationError, "set an end date on or after"):
            with Form(self.Campaign.with_user(self.manager)) as form:
                form.name = "Backwards"
                form.date_start = date(2026, 5, 2)
                form.date_end = date(2026, 5, 1)

    def test_negative_target_or_budget_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.campaign.with_user(self.manager).budget_amount = -1.0

    def test_evaluation_needs_a_score(self):
        self._run()
        self._cron("2026-03-12 04:00:00")
        with self.assertRaisesRegex(UserError, "cannot be evaluated without a score"):
            self.campaign.with_user(self.manager).action_evaluate()
        self.assertEqual(self.campaign.state, "done")
        # nor by any other path
        with self.assertRaisesRegex(ValidationError, "cannot be evaluated without a score"):
            self.campaign.sudo()._spm_protected().state = "evaluated"

    def test_score_outside_one_to_five_is_refused(self):
        for score in (6, -1):
            with (
                self.subTest(score=score),
                self.assertRaisesRegex(ValidationError, "must be between 1 and 5"),
            ):
                self.campaign.with_user(self.manager).evaluation_score = score

    def test_manager_evaluates_an_ended_campaign(self):
        self._run()
        self._cron("2026-03-12 04:00:00")
        campaign = self.campaign.with_user(self.manager)
        campaign.write({"evaluation_score": 4, "evaluation_note": "Good footfall"})
        campaign.action_evaluate()
        self.assertEqual(self.campaign.state, "evaluated")
        self.assertEqual(self.campaign.evaluated_by_id, self.manager)
        self.assertFalse(self.campaign.activity_ids)

    def test_running_campaign_is_not_evaluated(self):
        self._run()
        self.campaign.evaluation_score = 3
        with self.assertRaisesRegex(UserError, "is Running: evaluation is not possible"):
            self.campaign.with_user(self.manager).action_evaluate()

    def test_rep_evaluating_is_refused(self):
        self._run()
        self._cron("2026-03-12 04:00:00")
        self.campaign.evaluation_score = 3
        with self.assertRaisesRegex(UserError, "Only a sales manager may evaluate"):
            self.campaign.with_user(self.rep).action_evaluate()

    def test_only_a_draft_campaign_is_deleted(self):
        self._run()
        with self.assertRaisesRegex(UserError, "only a draft campaign can be deleted"):
            self.campaign.with_user(self.manager).unlink()

    def test_approved_campaign_goes_back_to_draft(self):
        with freeze_time("2026-02-20 04:00:00"):
            self.campaign.with_user(self.manager).action_approve()
            self.campaign.with_user(self.manager).action_draft()
        self.assertEqual(self.campaign.state, "draft")
        self.assertFalse(self.campaign.approved_by_id)

    def test_outlets_of_the_regions_are_added(self):
        campaign = self.Campaign.with_user(self.manager).create(
            {
                "name": "East outlets",
                "region_ids": [(6, 0, self.region_east.ids)],
                "date_start": date(2026, 3, 1),
                "date_end": date(2026, 3, 2),
            }
        )
        campaign.action_add_region_outlets()
        # the Shanghai outlet is in a sub-region; the dealer is no outlet
        self.assertIn(self.customer, campaign.partner_ids)
        self.assertIn(self.counter, campaign.partner_ids)
        self.assertNotIn(self.dealer, campaign.partner_ids)

    def test_bad_input_is_refused_naming_the_field(self):
        Campaign = self.Campaign.with_user(self.manager)
        with self.assertRaisesRegex(ValidationError, "Start of Promotion Campaign must be a date"):
            Campaign.create({"name": "X", "date_start": "2026-02-30", "date_end": "2026-03-01"})
        with self.assertRaisesRegex(ValidationError, "Outlets of Promotion Campaign must be"):
            self.campaign.with_user(self.manager).write({"partner_ids": "abc"})
        with self.assertRaisesRegex(ValidationError, "Score of Promotion Campaign must be"):
            self.campaign.with_user(self.manager).write({"evaluation_score": "great"})
