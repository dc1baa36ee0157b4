from datetime import date, datetime
from unittest.mock import patch

import psycopg2.errors
from freezegun import freeze_time

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from ..models.spm_protected_mixin import protected
from .common_visit import SHOP, SpmVisitCommon


@tagged("post_install", "-at_install")
class TestVisitCadence(SpmVisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.spm_tier = "B"
        cls.Partner = cls.env["res.partner"]

    def _visited(self, *partners, start=datetime(2026, 3, 1, 2, 0)):
        """Last visited on March 1st: class B is due on March 15th."""
        for partner in partners:
            self._done_visit(partner=partner, start=start)

    def _plan(self, *partners):
        return self.Visit._cron_plan_revisits(partner_ids=[p.id for p in partners])

    def _open_visits(self, partner):
        return self.Visit.search(
            [("partner_id", "=", partner.id), ("state", "in", ("planned", "in_progress"))]
        )

    def test_due_date_is_last_visit_plus_class_interval(self):
        self._done_visit(start=datetime(2026, 3, 2, 2, 0))
        self.assertEqual(self.customer.spm_last_visit_date, date(2026, 3, 2))
        self.assertEqual(self.customer.spm_next_visit_due, date(2026, 3, 16))

    def test_interval_per_class_follows_the_settings(self):
        self._done_visit(start=datetime(2026, 3, 2, 2, 0))
        for tier, days in (("A", 7), ("C", 30), ("D", 60)):
            self.customer.spm_tier = tier
            self.assertEqual((self.customer.spm_next_visit_due - date(2026, 3, 2)).days, days)
        self.company.spm_visit_interval_d = 45
        self.assertEqual(self.customer.spm_next_visit_due, date(2026, 4, 16))

    def test_customer_override_beats_the_class(self):
        self._done_visit(start=datetime(2026, 3, 2, 2, 0))
        self.customer.spm_visit_interval_days = 3
        self.assertEqual(self.customer.spm_next_visit_due, date(2026, 3, 5))
        with self.assertRaisesRegex(ValidationError, "revisit interval of .* cannot be negative"):
            self.customer.spm_visit_interval_days = -1

    def test_new_intervals_recompute_only_the_companys_customers(self):
        Partner = self.env["res.partner"]
        other_customer = Partner.create(
            {
                "name": "Other Co Outlet",
                "is_company": True,
                "spm_tier": "B",
                "company_id": self.other_company.id,
            }
        )
        own_interval = Partner.create(
            {
                "name": "Own Interval Outlet",
                "is_company": True,
                "spm_tier": "B",
                "spm_visit_interval_days": 5,
                "company_id": self.company.id,
            }
        )
        self.customer.company_id = self.company
        recomputed = Partner._spm_recompute_visit_due(self.company)
        self.assertIn(self.customer, recomputed)
        self.assertNotIn(other_customer, recomputed)
        self.assertNotIn(own_interval, recomputed)

    def test_interval_settings_refuse_zero(self):
        with self.assertRaisesRegex(
            ValidationError, "revisit intervals of .* must be at least one day"
        ):
            self.company.spm_visit_interval_a = 0

    def test_radius_setting_refuses_zero(self):
        with self.assertRaisesRegex(
            ValidationError, "check-in radius of .* must be at least one metre"
        ):
            self.company.spm_visit_radius_m = 0

    def test_horizon_setting_refuses_negative(self):
        with self.assertRaisesRegex(ValidationError, "planning horizon of .* cannot be negative"):
            self.company.spm_revisit_horizon_days = -1

    def test_unclassified_customer_has_no_cadence(self):
        self.assertFalse(self.dealer.spm_next_visit_due)
        self.assertFalse(self.dealer.spm_visit_overdue)

    def test_never_visited_customer_is_due_since_it_was_created(self):
        self.assertEqual(self.customer.spm_next_visit_due, self.customer.create_date.date())

    def test_latest_done_visit_counts_and_cancel_or_delete_moves_it_back(self):
        self._done_visit(start=datetime(2026, 3, 2, 2, 0))
        later = self._done_visit(start=datetime(2026, 3, 9, 2, 0))
        self._visit(start=datetime(2026, 3, 20, 2, 0))  # planned, not a visit yet
        self.assertEqual(self.customer.spm_last_visit_date, date(2026, 3, 9))
        later._spm_write_proof({"state": "cancelled"})
        self.assertEqual(self.customer.spm_last_visit_date, date(2026, 3, 2))
        later._spm_write_proof({"state": "done"})
        self.assertEqual(self.customer.spm_last_visit_date, date(2026, 3, 9))
        later.unlink()
        self.assertEqual(self.customer.spm_last_visit_date, date(2026, 3, 2))
        self.assertEqual(self.customer.spm_next_visit_due, date(2026, 3, 16))

    def test_last_visit_date_is_the_reps_local_day(self):
        # checked in at 23:30 UTC on March 2nd: 07:30 on March 3rd in Shanghai
        self._done_visit(start=datetime(2026, 3, 2, 23, 30))
        self.assertEqual(self.customer.spm_last_visit_date, date(2026, 3, 3))

    def test_changing_the_reps_timezone_keeps_the_day_of_past_visits(self):
        # 23:30 UTC on March 2nd: March 3rd in Shanghai
        visit = self._done_visit(start=datetime(2026, 3, 2, 23, 30))
        self.assertEqual(visit.visit_date, date(2026, 3, 3))
        self.rep.tz = "Europe/Paris"
        self.assertEqual(visit.visit_date, date(2026, 3, 3))
        self.assertEqual(self.customer.spm_last_visit_date, date(2026, 3, 3))

    def test_overdue_flag_is_stored_searchable_and_refreshed_daily(self):
        with freeze_time("2026-03-10"):
            self._done_visit(start=datetime(2026, 3, 2, 2, 0))
            self.assertFalse(self.customer.spm_visit_overdue)
        with freeze_time("2026-03-17"):
            self.assertNotIn(self.customer, self.Partner.search([("spm_visit_overdue", "=", True)]))
            self._plan(self.customer)
            self.assertTrue(self.customer.spm_visit_overdue)
            self.assertIn(self.customer, self.Partner.search([("spm_visit_overdue", "=", True)]))
        with freeze_time("2026-03-18"):
            self._done_visit(start=datetime(2026, 3, 18, 2, 0))
            self.assertFalse(self.customer.spm_visit_overdue)

    def test_overdue_flag_uses_the_reps_day_not_the_cron_users(self):
        self._visited(self.customer)  # due March 15th
        # 20:00 UTC on March 15th: still the 15th in Brussels, the 16th in Shanghai
        with freeze_time("2026-03-15 20:00:00"):
            self.env["res.partner"].with_context(tz="Europe/Brussels")._spm_refresh_visit_overdue(
                [("id", "=", self.customer.id)]
            )
        self.assertTrue(self.customer.spm_visit_overdue)

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_plans_a_revisit_with_a_todo_for_the_rep(self):
        self._visited(self.customer, start=datetime(2026, 3, 2, 2, 0))  # due March 16
        self.company.spm_revisit_horizon_days = 3
        self.assertEqual(self._plan(self.customer), 1)
        revisit = self._open_visits(self.customer)
        self.assertEqual(len(revisit), 1)
        self.assertEqual(revisit.purpose, "revisit")
        self.assertEqual(revisit.user_id, self.rep)
        self.assertTrue(revisit.cadence_planned)
        # 09:00 on the due day in the rep's timezone (UTC+8)
        self.assertEqual(revisit.planned_start, datetime(2026, 3, 16, 1, 0))
        activity = revisit.activity_ids
        self.assertEqual(activity.user_id, self.rep)
        self.assertEqual(activity.date_deadline, date(2026, 3, 16))
        self.assertIn("Revisit Nanjing Road Outlet", activity.summary)

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_uses_the_reps_timezone_and_spreads_the_day(self):
        self.rep.tz = "America/New_York"
        second = self.customer.copy({"name": "Second Outlet"})
        self._visited(self.customer, second, start=datetime(2026, 2, 20, 14, 0))
        self._plan(self.customer, second)
        starts = (self._open_visits(self.customer) | self._open_visits(second)).mapped(
            "planned_start"
        )
        # overdue; today is Saturday March 14th in New York: on Monday, 09:00 and
        # 10:00 EDT
        self.assertEqual(
            sorted(starts), [datetime(2026, 3, 16, 13, 0), datetime(2026, 3, 16, 14, 0)]
        )

    @freeze_time("2026-03-16 00:00:00")  # Monday 08:00 in Shanghai
    def test_cron_caps_a_reps_day_and_flows_over_to_the_next_day(self):
        customers = self.env["res.partner"].create(
            [
                {"name": f"Outlet {n}", "is_company": True, "spm_tier": "C", "user_id": self.rep.id}
                for n in range(10)
            ]
        )
        for partner in customers:
            self._visited(partner, start=datetime(2026, 2, 1, 2, 0))
        self.assertEqual(self.Visit._cron_plan_revisits(partner_ids=customers.ids), 10)
        visits = self.Visit.search([("partner_id", "in", customers.ids)]).filtered(
            lambda visit: visit.state == "planned"
        )
        monday = visits.filtered(lambda visit: visit.visit_date == date(2026, 3, 16))
        tuesday = visits.filtered(lambda visit: visit.visit_date == date(2026, 3, 17))
        self.assertEqual((len(monday), len(tuesday)), (8, 2))
        # 09:00 to 16:00 in Shanghai, one an hour
        self.assertEqual(
            sorted(monday.mapped("planned_start")),
            [datetime(2026, 3, 16, hour, 0) for hour in range(1, 9)],
        )

    @freeze_time("2026-03-13 20:00:00")  # Saturday 04:00 in Shanghai
    def test_cron_plans_no_revisit_on_a_weekend(self):
        self._visited(self.customer, start=datetime(2026, 2, 1, 2, 0))
        self.Visit._cron_plan_revisits(partner_ids=self.customer.ids)
        self.assertEqual(self._open_visits(self.customer).visit_date, date(2026, 3, 16))

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_skips_customers_not_due_within_the_horizon(self):
        self._done_visit(start=datetime(2026, 3, 10, 2, 0))  # due March 24
        self.assertEqual(self._plan(self.customer), 0)
        self.company.spm_revisit_horizon_days = 10
        self.assertEqual(self._plan(self.customer), 1)

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_skips_customers_with_an_open_visit(self):
        self._visited(self.customer)
        self._visit(start=datetime(2026, 3, 16, 2, 0), purpose="order")
        self.assertEqual(self._plan(self.customer), 0)
        self.assertEqual(len(self._open_visits(self.customer)), 1)

    @freeze_time("2026-03-14 20:00:00")
    def test_a_visit_planned_next_month_does_not_hold_off_a_due_revisit(self):
        self._visited(self.customer)
        self._visit(purpose="collection", start=datetime(2026, 4, 20, 2, 0))
        self.assertEqual(self.Visit._cron_plan_revisits(partner_ids=self.customer.ids), 1)
        self.assertEqual(len(self._open_visits(self.customer)), 2)

    @freeze_time("2026-03-14 20:00:00")
    def test_a_visit_planned_within_the_horizon_holds_off_the_revisit(self):
        self._visited(self.customer)
        self._visit(purpose="collection", start=datetime(2026, 3, 15, 2, 0))
        self.assertEqual(self.Visit._cron_plan_revisits(partner_ids=self.customer.ids), 0)

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_uses_the_region_rep_when_the_customer_has_none(self):
        self.region_sh.user_id = self.rep_colleague
        self._visited(self.customer)
        self.customer.user_id = False
        self._plan(self.customer)
        self.assertEqual(self._open_visits(self.customer).user_id, self.rep_colleague)

    def _archive_without_handover(self, rep):
        # as a manager's "Archive without Handover" does: the rep's customers stay his
        protected(rep).action_archive()

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_gives_an_archived_reps_customer_to_the_region_rep(self):
        self.region_sh.user_id = self.rep_colleague
        self._visited(self.customer)
        self._archive_without_handover(self.rep)
        self.Visit._cron_plan_revisits(partner_ids=self.customer.ids)
        self.assertEqual(self._open_visits(self.customer).user_id, self.rep_colleague)

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_skips_an_archived_reps_customer_without_region_rep(self):
        self._visited(self.customer)
        self._archive_without_handover(self.rep)
        self.assertEqual(self.Visit._cron_plan_revisits(partner_ids=self.customer.ids), 0)
        self.assertFalse(self._open_visits(self.customer))

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_plans_for_a_rep_whose_main_team_is_in_another_company(self):
        roaming = new_test_user(
            self.env,
            login="spm_roaming_rep",
            groups="sales_team.group_sale_salesman",
            company_id=self.other_company.id,
            company_ids=(self.company | self.other_company).ids,
            tz="Asia/Shanghai",
        )
        other_team = self.env["crm.team"].create(
            {"name": "Other Co Team", "company_id": self.other_company.id}
        )
        self.env["crm.team.member"].create({"crm_team_id": other_team.id, "user_id": roaming.id})
        self.assertEqual(roaming.sale_team_id, other_team)
        self.customer.write({"user_id": roaming.id, "company_id": self.company.id})
        self._visited(self.customer)
        self.assertEqual(self.Visit._cron_plan_revisits(partner_ids=self.customer.ids), 1)
        revisit = self._open_visits(self.customer)
        self.assertEqual(revisit.user_id, roaming)
        self.assertNotEqual(revisit.team_id, other_team)

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_is_idempotent(self):
        self._visited(self.customer)
        self._plan(self.customer)
        self._plan(self.customer)
        self.Visit._cron_plan_revisits(partner_ids=[self.customer.id], batch_size=1)
        self.assertEqual(len(self._open_visits(self.customer)), 1)
        self.assertEqual(len(self._open_visits(self.customer).activity_ids), 1)

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_works_in_batches(self):
        customers = self.customer | self.Partner.create(
            [
                {"name": f"Outlet {n}", "is_company": True, "spm_tier": "C", "user_id": self.rep.id}
                for n in range(5)
            ]
        )
        self._visited(*customers, start=datetime(2026, 2, 1, 2, 0))
        self.assertEqual(self.Visit._cron_plan_revisits(batch_size=2, partner_ids=customers.ids), 6)
        planned = self.Visit.search(
            [("partner_id", "in", customers.ids), ("state", "=", "planned")]
        )
        self.assertEqual(planned.partner_id, customers)

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_call_plans_one_batch_and_reports_the_rest(self):
        customers = self.customer | self.env["res.partner"].create(
            [
                {"name": f"Outlet {n}", "is_company": True, "spm_tier": "C", "user_id": self.rep.id}
                for n in range(4)
            ]
        )
        for partner in customers:
            self._visited(partner, start=datetime(2026, 2, 1, 2, 0))
        cron = self.env.ref("sales_process_mgmt.ir_cron_spm_plan_revisits")
        cron, progress = cron._add_progress()
        Visit = self.Visit.with_context(ir_cron_progress_id=progress.id)
        self.assertEqual(Visit._cron_plan_revisits(batch_size=2), 2)
        self.assertEqual((progress.done, progress.remaining), (2, 3))

    @freeze_time("2026-03-14 20:00:00")
    def test_database_refuses_a_second_cadence_revisit(self):
        self._visited(self.customer)
        self._plan(self.customer)
        with mute_logger("odoo.sql_db"), self.assertRaises(psycopg2.errors.UniqueViolation):
            with self.env.cr.savepoint():
                self.Visit._spm_protected().create(
                    {
                        "partner_id": self.customer.id,
                        "user_id": self.rep.id,
                        "purpose": "revisit",
                        "cadence_planned": True,
                    }
                )

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_skips_a_customer_planned_meanwhile_by_another_worker(self):
        """The row another worker inserted is skipped, the rest of the batch is planned."""
        second = self.customer.copy({"name": "Second Outlet"})
        self._visited(self.customer, second)
        Visit = self.Visit
        original_create = type(Visit).create
        planted = []

        def create_after_competitor(self_, vals_list):
            if not planted:
                # the other worker commits its revisit of the first customer first
                planted.append(original_create(self_, [dict(vals_list[0])]))
            return original_create(self_, vals_list)

        with mute_logger("odoo.sql_db"):
            type(Visit).create = create_after_competitor
            try:
                self._plan(self.customer, second)
            finally:
                type(Visit).create = original_create
        self.assertEqual(len(self._open_visits(self.customer)), 1)
        self.assertEqual(len(self._open_visits(second)), 1)
        self.assertTrue(self._open_visits(second).activity_ids)

    @freeze_time("2026-03-14 20:00:00")
    def test_check_out_marks_the_revisit_todo_done(self):
        self._visited(self.customer)
        self.Visit._cron_plan_revisits(partner_ids=self.customer.ids)
        revisit = self._open_visits(self.customer).with_user(self.rep)
        self.assertTrue(revisit.activity_ids)
        revisit.action_check_in(latitude=SHOP[0], longitude=SHOP[1])
        revisit.outcome = "Restocked"
        revisit.action_check_out(latitude=SHOP[0], longitude=SHOP[1])
        self.assertFalse(revisit.activity_ids)
        self.assertIn("Revisit Nanjing Road Outlet", revisit.message_ids[0].body)

    @freeze_time("2026-03-14 20:00:00")
    def test_cancel_removes_the_revisit_todo(self):
        self._visited(self.customer)
        self.Visit._cron_plan_revisits(partner_ids=self.customer.ids)
        revisit = self._open_visits(self.customer)
        revisit.with_user(self.rep).action_cancel()
        self.assertFalse(revisit.activity_ids)
        self.assertFalse(self.env["mail.activity"].search([("user_id", "=", self.rep.id)]))

    def test_missed_cron_removes_the_revisit_todo(self):
        with freeze_time("2026-03-14 20:00:00"):
            self._visited(self.customer)
            self.Visit._cron_plan_revisits(partner_ids=self.customer.ids)
        revisit = self._open_visits(self.customer)
        with freeze_time("2026-03-20 01:00:00"):
            self.Visit._cron_mark_missed()
        self.assertEqual(revisit.state, "missed")
        self.assertFalse(revisit.activity_ids)

    @freeze_time("2026-03-02 02:00:00")
    def test_next_visit_is_planned_despite_a_later_planned_visit(self):
        self._visit(purpose="collection", start=datetime(2026, 4, 20, 2, 0))
        visit = self._visit(outcome="Wants a demo").with_user(self.rep)
        visit.action_check_in()
        visit.next_visit_date = "2026-03-05"
        visit.action_check_out()
        self.assertEqual(len(self._open_visits(self.customer)), 2)

    @freeze_time("2026-03-02 02:00:00")
    def test_next_visit_skipped_for_an_earlier_planned_visit_says_so(self):
        earlier = self._visit(purpose="collection", start=datetime(2026, 3, 4, 2, 0))
        visit = self._visit(outcome="Wants a demo").with_user(self.rep)
        visit.action_check_in()
        visit.next_visit_date = "2026-03-05"
        visit.action_check_out()
        self.assertEqual(self._open_visits(self.customer), earlier)
        self.assertIn(
            f"No visit planned for 2026-03-05: {earlier.name} on 2026-03-04 already comes first",
            visit.message_ids[0].body,
        )

    def test_missed_cron_marks_past_plans_in_the_reps_timezone(self):
        yesterday = self._visit(start=datetime(2026, 3, 9, 2, 0))
        # 20:00 UTC on March 9th is already March 10th in Shanghai
        late_evening = self._visit(start=datetime(2026, 3, 9, 20, 0))
        checked_in = self._visit(partner=self.dealer, start=datetime(2026, 3, 9, 3, 0))
        checked_in.action_check_in()
        with freeze_time("2026-03-10 01:00:00"):
            self.assertEqual(self.Visit._cron_mark_missed(), 1)
            self.assertEqual(self.Visit._cron_mark_missed(), 0)
        self.assertEqual(yesterday.state, "missed")
        self.assertIn("Missed", yesterday.message_ids[0].body)
        self.assertEqual(late_evening.state, "planned")
        self.assertEqual(checked_in.state, "in_progress")

    def test_missed_cron_marks_one_batch_per_scheduler_call(self):
        # long past: found in SQL; yesterday in Shanghai: checked against the timezone
        old = self._visit(start=datetime(2026, 2, 2, 2, 0))
        yesterday = self._visit(start=datetime(2026, 3, 9, 2, 0))
        progress = []
        Cron = type(self.env["ir.cron"])

        def notify(cron, done, remaining, deactivate=False):
            progress.append((done, remaining))

        Visit = self.Visit.with_context(ir_cron_progress_id=1)
        with freeze_time("2026-03-10 01:00:00"), patch.object(Cron, "_notify_progress", notify):
            self.assertEqual(Visit._cron_mark_missed(batch_size=1), 1)
            self.assertEqual(old.state, "missed")
            self.assertEqual(yesterday.state, "planned")
            self.assertEqual(Visit._cron_mark_missed(batch_size=1), 1)
            self.assertEqual(Visit._cron_mark_missed(batch_size=1), 0)
        self.assertEqual(yesterday.state, "missed")
        self.assertEqual(progress, [(1, 1), (1, 0)])

    def test_missed_cron_reads_only_its_batch(self):
        visits = self.Visit.browse()
        for day in range(1, 21):
            visits |= self._visit(start=datetime(2026, 2, day, 2, 0))
        Cron = type(self.env["ir.cron"])
        Visit = self.Visit.with_context(ir_cron_progress_id=1)
        with (
            freeze_time("2026-03-10 01:00:00"),
            patch.object(Cron, "_notify_progress", lambda *args, **kwargs: None),
        ):
            self.assertEqual(Visit._cron_mark_missed(batch_size=5), 5)
            # the oldest first
            missed = visits.filtered(lambda visit: visit.state == "missed")
            self.assertEqual(missed, visits[:5])
            self.assertEqual(Visit._cron_mark_missed(batch_size=50), 15)
        self.assertEqual(set(visits.mapped("state")), {"missed"})

    def test_overdue_flags_have_their_own_daily_job(self):
        cron = self.env.ref("sales_process_mgmt.ir_cron_spm_refresh_visit_overdue")
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))
        with freeze_time("2026-03-05 01:00:00"):
            self._done_visit(start=datetime(2026, 3, 2, 2, 0))  # class A: due on March 9th
            self.assertFalse(self.customer.spm_visit_overdue)
        with freeze_time("2026-03-20 01:00:00"):
            self.assertFalse(self.customer.spm_visit_overdue)  # a day passing writes nothing
            cron.method_direct_trigger()
            self.assertTrue(self.customer.spm_visit_overdue)

    def test_missed_visit_can_be_planned_again(self):
        visit = self._visit(start=datetime(2026, 3, 9, 2, 0))
        with freeze_time("2026-03-11 01:00:00"):
            self.Visit._cron_mark_missed()
        visit.action_reset_to_planned()
        self.assertEqual(visit.state, "planned")
