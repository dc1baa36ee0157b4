from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_visit import SHOP, SpmVisitCommon


@tagged("post_install", "-at_install")
class TestVisitReview(SpmVisitCommon):
    """Findings of the visits review: multi-company, to-dos, archived reps, hand-over."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.spm_tier = "B"

    def _visited(self, partner, start=datetime(2026, 3, 1, 2, 0)):
        """Last visited on March 1st: class B is due on March 15th."""
        self._done_visit(partner=partner, start=start)

    def _open_visits(self, partner):
        return self.Visit.search(
            [("partner_id", "=", partner.id), ("state", "in", ("planned", "in_progress"))]
        )

    # 4. a rep whose main company differs from the customer's
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

    # 5. the cadence to-do ends with its visit
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

    # 7. archived reps get no revisits
    @freeze_time("2026-03-14 20:00:00")
    def test_cron_gives_an_archived_reps_customer_to_the_region_rep(self):
        self.region_sh.user_id = self.rep_colleague
        self._visited(self.customer)
        self.rep.active = False
        self.Visit._cron_plan_revisits(partner_ids=self.customer.ids)
        self.assertEqual(self._open_visits(self.customer).user_id, self.rep_colleague)

    @freeze_time("2026-03-14 20:00:00")
    def test_cron_skips_an_archived_reps_customer_without_region_rep(self):
        self._visited(self.customer)
        self.rep.active = False
        self.assertEqual(self.Visit._cron_plan_revisits(partner_ids=self.customer.ids), 0)
        self.assertFalse(self._open_visits(self.customer))

    # 9. a visit in progress in another company
    def test_visit_in_progress_in_another_company_blocks_the_check_in(self):
        self.rep.company_ids |= self.other_company
        elsewhere = self.env["res.partner"].create(
            {"name": "Other Co Outlet", "is_company": True, "company_id": self.other_company.id}
        )
        other_visit = self.Visit.create(
            {
                "partner_id": elsewhere.id,
                "user_id": self.rep.id,
                "company_id": self.other_company.id,
                "planned_start": datetime(2026, 3, 2, 1, 0),
            }
        )
        other_visit.with_user(self.rep).with_company(self.other_company).action_check_in()
        visit = self._visit().with_user(self.rep).with_context(allowed_company_ids=self.company.ids)
        with self.assertRaisesRegex(
            UserError,
            r"is still in visit VIS/\S+ at Other Co Outlet \(Other Co\): check out of it",
        ):
            visit.action_check_in()

    # 12. a rep cannot hand a visit to a colleague
    def test_rep_cannot_hand_a_visit_to_a_colleague(self):
        visit = self._visit().with_user(self.rep)
        with self.assertRaisesRegex(AccessError, r"VIS/\S+: Sales Rep cannot be written directly"):
            visit.user_id = self.rep_colleague
        self.assertEqual(visit.user_id, self.rep)

    def test_manager_hands_a_visit_to_a_colleague(self):
        visit = self._visit()
        visit.with_user(self.manager).user_id = self.rep_colleague
        self.assertEqual(visit.user_id, self.rep_colleague)

    # 18. the quotation is in the visit's company
    def test_new_quotation_is_in_the_visits_company(self):
        visit = self._visit()
        action = visit.with_company(self.other_company).action_new_quotation()
        self.assertEqual(action["context"]["default_company_id"], self.company.id)

    # 8. today is the customer's day, not the cron user's
    def test_overdue_flag_uses_the_reps_day_not_the_cron_users(self):
        self._visited(self.customer)  # due March 15th
        # 20:00 UTC on March 15th: still the 15th in Brussels, the 16th in Shanghai
        with freeze_time("2026-03-15 20:00:00"):
            self.env["res.partner"].with_context(tz="Europe/Brussels")._spm_refresh_visit_overdue(
                [("id", "=", self.customer.id)]
            )
        self.assertTrue(self.customer.spm_visit_overdue)

    # 17. only open visits within the horizon hold off a revisit
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

    # 16. the promised next visit
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

    # 10. run by the scheduler, one call plans one batch and reports what remains
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

    # 20. the list filters on every purpose and on the region
    def test_search_view_filters_every_purpose_and_the_region(self):
        arch = self.Visit.get_views([(False, "search")])["views"]["search"]["arch"]
        for purpose, _label in self.Visit._fields["purpose"].selection:
            self.assertIn(f"('purpose', '=', '{purpose}')", arch)
        self.assertIn('name="filter_my_regions"', arch)
        self.region_sh.user_id = self.rep
        mine = self._visit()
        elsewhere = self._visit(partner=self.env["res.partner"].create({"name": "No Region"}))
        visits = self.Visit.with_user(self.rep).search([("region_id.user_id", "=", self.rep.id)])
        self.assertIn(mine, visits)
        self.assertNotIn(elsewhere, visits)

    # 11. new company intervals recompute that company's customers only
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

    # 6. a rep's day holds one revisit per working hour; weekends are skipped
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

    # 15. a rep's new timezone does not rewrite past visits
    def test_changing_the_reps_timezone_keeps_the_day_of_past_visits(self):
        # 23:30 UTC on March 2nd: March 3rd in Shanghai
        visit = self._done_visit(start=datetime(2026, 3, 2, 23, 30))
        self.assertEqual(visit.visit_date, date(2026, 3, 3))
        self.rep.tz = "Europe/Paris"
        self.assertEqual(visit.visit_date, date(2026, 3, 3))
        self.assertEqual(self.customer.spm_last_visit_date, date(2026, 3, 3))
