from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_visit import SHOP, SpmVisitCommon


@tagged("post_install", "-at_install")
class TestVisit(SpmVisitCommon):
    def setUp(self):
        super().setUp()
        self.visit = self._visit(objective="Present the new phone")
        self.rep_visit = self.visit.with_user(self.rep)

    def test_visit_is_sequence_numbered(self):
        other = self._visit()
        self.assertTrue(self.visit.name.startswith("VIS/"))
        self.assertNotEqual(self.visit.name, other.name)

    def test_region_and_team_follow_customer_and_rep(self):
        self.assertEqual(self.visit.region_id, self.region_sh)
        self.assertEqual(self.visit.company_id, self.company)

    def test_visit_to_a_contact_is_a_visit_to_its_company(self):
        person = self.env["res.partner"].create(
            {"name": "Manager Zhou", "parent_id": self.customer.id}
        )
        visit = self._visit(partner=person)
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(visit.contact_id, person)

    def test_visit_date_is_the_reps_day(self):
        # 17:00 UTC is 01:00 the next day in Shanghai
        visit = self._visit(start=datetime(2026, 3, 2, 17, 0))
        self.assertEqual(visit.visit_date, date(2026, 3, 3))

    def test_check_in_at_the_customer_is_verified(self):
        self.rep_visit.action_check_in(latitude=SHOP[0] + 0.001, longitude=SHOP[1])
        self.assertEqual(self.visit.state, "in_progress")
        self.assertTrue(self.visit.check_in_time)
        self.assertAlmostEqual(self.visit.check_in_distance_m, 111, delta=1)
        self.assertTrue(self.visit.location_verified)
        self.assertEqual(self.visit.location_status, "verified")
        self.assertIn("Checked in: 111 m from the customer", self.visit.message_ids[0].body)

    def test_check_in_far_from_the_customer_is_not_verified(self):
        self.rep_visit.action_check_in(latitude=SHOP[0] + 0.01, longitude=SHOP[1])
        self.assertAlmostEqual(self.visit.check_in_distance_m, 1112, delta=2)
        self.assertFalse(self.visit.location_verified)
        self.assertEqual(self.visit.location_status, "too_far")

    def test_radius_is_a_company_setting(self):
        self.company.spm_visit_radius_m = 2000
        self.rep_visit.action_check_in(latitude=SHOP[0] + 0.01, longitude=SHOP[1])
        self.assertTrue(self.visit.location_verified)

    def test_check_in_without_position_is_recorded_unverified(self):
        self.rep_visit.action_check_in()
        self.assertEqual(self.visit.state, "in_progress")
        self.assertFalse(self.visit.location_verified)
        self.assertEqual(self.visit.location_status, "no_position")

    def test_check_in_at_a_customer_without_location_is_unverified(self):
        self.customer.write({"partner_latitude": 0.0, "partner_longitude": 0.0})
        self.rep_visit.action_check_in(latitude=SHOP[0], longitude=SHOP[1])
        self.assertEqual(self.visit.location_status, "no_customer_location")
        self.assertFalse(self.visit.location_verified)

    def test_position_out_of_range_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "out of range: the latitude must be between -90"
        ):
            self.rep_visit.action_check_in(latitude=91, longitude=121)
        with self.assertRaisesRegex(ValidationError, "out of range"):
            self.rep_visit.action_check_in(latitude=31, longitude=-181)
        with self.assertRaisesRegex(ValidationError, "not a pair of numbers"):
            self.rep_visit.action_check_in(latitude="north", longitude=121)
        with self.assertRaisesRegex(ValidationError, "both a latitude and a longitude"):
            self.rep_visit.action_check_in(latitude=31)
        self.assertEqual(self.visit.state, "planned")

    def test_boolean_coordinates_are_refused(self):
        # JSON true would otherwise be taken as 1.0, 1.0
        for latitude, longitude in ((True, True), (True, 121), (31, False)):
            with self.assertRaisesRegex(ValidationError, "is not a pair of numbers"):
                self.rep_visit.action_check_in(latitude=latitude, longitude=longitude)
        self.assertEqual(self.visit.state, "planned")
        self.assertFalse(self.visit.check_in_time)

    def test_check_in_two_visits_at_once_is_refused(self):
        both = (self.visit | self._visit(partner=self.dealer)).with_user(self.rep)
        with self.assertRaisesRegex(UserError, "Check In works on one visit at a time, not on 2"):
            both.action_check_in()
        self.assertEqual(set(both.mapped("state")), {"planned"})

    def test_check_out_two_visits_at_once_is_refused(self):
        self.rep_visit.action_check_in()
        both = self.rep_visit | self._visit(partner=self.dealer).with_user(self.rep)
        with self.assertRaisesRegex(UserError, "Check Out works on one visit at a time, not on 2"):
            both.action_check_out()
        self.assertEqual(self.visit.state, "in_progress")

    def test_invisible_outcome_is_refused(self):
        self.rep_visit.action_check_in()
        # zero-width space, word joiner, byte order mark, Hangul filler, no-break space
        for outcome in ("\u200b", "\u2060 \ufeff", "\u3164", "\u00a0\n\t"):
            self.rep_visit.outcome = outcome
            with self.assertRaisesRegex(
                UserError, "Write the outcome of visit .* before checking out"
            ):
                self.rep_visit.action_check_out()
        self.assertEqual(self.visit.state, "in_progress")

    def test_outcome_in_chinese_passes_the_check_out_rule(self):
        self.rep_visit.action_check_in()
        self.rep_visit.outcome = "\u200b张总同意订货"
        self.rep_visit.action_check_out()
        self.assertEqual(self.visit.state, "done")

    def test_check_out_before_check_in_is_refused(self):
        self.visit.outcome = "Met the owner"
        with self.assertRaisesRegex(UserError, "has not been checked in: check in at the customer"):
            self.rep_visit.action_check_out(latitude=SHOP[0], longitude=SHOP[1])

    def test_second_visit_in_progress_for_the_rep_is_refused(self):
        other = self._visit(partner=self.dealer)
        other.with_user(self.rep).action_check_in()
        with self.assertRaisesRegex(
            UserError, r"is still in visit .* at Huatong Electronics \(.*\): check out"
        ):
            self.rep_visit.action_check_in()

    def test_a_colleague_in_a_visit_does_not_block_the_rep(self):
        self._visit(partner=self.dealer, user=self.rep_colleague).action_check_in()
        self.rep_visit.action_check_in()
        self.assertEqual(self.visit.state, "in_progress")

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

    def test_check_in_twice_is_refused(self):
        self.rep_visit.action_check_in()
        with self.assertRaisesRegex(UserError, "only a planned visit can be checked in"):
            self.rep_visit.action_check_in()

    def test_check_out_needs_an_outcome(self):
        self.rep_visit.action_check_in()
        with self.assertRaisesRegex(UserError, "Write the outcome of visit .* before checking out"):
            self.rep_visit.action_check_out()

    def test_visit_is_done_after_check_out(self):
        with freeze_time("2026-03-02 02:00:00"):
            self.rep_visit.action_check_in(latitude=SHOP[0], longitude=SHOP[1])
        self.rep_visit.write(
            {"outcome": "Ordered 20 phones", "outcome_type": "order", "satisfaction": "5"}
        )
        with freeze_time("2026-03-02 03:30:00"):
            self.rep_visit.action_check_out(latitude=SHOP[0], longitude=SHOP[1])
        self.assertEqual(self.visit.state, "done")
        self.assertEqual(self.visit.actual_duration, 1.5)
        self.assertEqual(self.visit.satisfaction_score, 5)
        self.assertEqual(self.visit.verified_share, 100)
        self.assertEqual(self.customer.spm_last_visit_date, date(2026, 3, 2))
        self.assertEqual(self.customer.spm_next_visit_due, date(2026, 3, 9))

    @freeze_time("2026-03-02 02:00:00")
    def test_next_visit_date_plans_the_follow_up(self):
        self.rep_visit.action_check_in()
        self.rep_visit.write(
            {
                "outcome": "Wants a demo",
                "next_step": "Bring a demo unit",
                "next_visit_date": "2026-03-05",
            }
        )
        self.rep_visit.action_check_out()
        follow_up = self.Visit.search(
            [("partner_id", "=", self.customer.id), ("state", "=", "planned")]
        )
        self.assertEqual(len(follow_up), 1)
        self.assertEqual(follow_up.purpose, "revisit")
        self.assertEqual(follow_up.objective, "Bring a demo unit")
        # 09:00 in Shanghai
        self.assertEqual(follow_up.planned_start, datetime(2026, 3, 5, 1, 0))

    def test_next_visit_cannot_be_before_the_visit(self):
        with self.assertRaisesRegex(ValidationError, "cannot be before this visit"):
            self.rep_visit.next_visit_date = "2026-03-01"

    def test_rep_cannot_edit_the_times_of_a_done_visit(self):
        self.rep_visit.action_check_in()
        self.rep_visit.outcome = "Done"
        self.rep_visit.action_check_out()
        with self.assertRaisesRegex(AccessError, ": Check In Time cannot be written directly"):
            self.rep_visit.write({"check_in_time": "2026-03-01 01:00:00"})
        with self.assertRaisesRegex(AccessError, ": Planned For cannot be written directly"):
            self.rep_visit.write({"planned_start": "2026-03-01 01:00:00"})
        self.rep_visit.customer_feedback = "Happy with delivery"
        self.visit.with_user(self.manager).write({"check_in_time": "2026-03-02 01:00:00"})
        self.assertEqual(self.visit.check_in_time, datetime(2026, 3, 2, 1, 0))

    def test_cancel_and_plan_again(self):
        self.rep_visit.action_cancel()
        self.assertEqual(self.visit.state, "cancelled")
        self.rep_visit.action_reset_to_planned()
        self.assertEqual(self.visit.state, "planned")
        self.rep_visit.action_check_in()
        self.rep_visit.outcome = "Done"
        self.rep_visit.action_check_out()
        with self.assertRaisesRegex(UserError, "is no longer open and cannot be cancelled"):
            self.rep_visit.action_cancel()
        with self.assertRaisesRegex(
            UserError, "Only cancelled or missed visits can be planned again"
        ):
            self.rep_visit.action_reset_to_planned()

    def test_planned_duration_is_checked(self):
        with self.assertRaisesRegex(ValidationError, "must be between 0 and 24 hours"):
            self.rep_visit.planned_duration = 30

    def test_new_quotation_is_linked_to_the_visit(self):
        self.rep_visit.action_check_in()
        action = self.rep_visit.action_new_quotation()
        self.assertEqual(action["res_model"], "sale.order")
        order = (
            self.env["sale.order"].with_user(self.rep).with_context(**action["context"]).create({})
        )
        self.assertEqual(order.partner_id, self.customer)
        self.assertEqual(order.spm_visit_id, self.visit)
        self.assertEqual(self.visit.sale_order_ids, order)
        self.assertEqual(self.visit.sale_order_count, 1)
        self.assertEqual(
            self.rep_visit.action_view_sale_orders()["domain"],
            [("spm_visit_id", "=", self.visit.id)],
        )

    def test_new_quotation_is_in_the_visits_company(self):
        visit = self._visit()
        action = visit.with_company(self.other_company).action_new_quotation()
        self.assertEqual(action["context"]["default_company_id"], self.company.id)

    def test_competitor_observations_are_recorded_on_the_visit(self):
        rival = self.env["res.partner"].create({"name": "Rival Phones", "is_company": True})
        with Form(self.rep_visit) as form:
            with form.competitor_observation_ids.new() as line:
                line.competitor_id = rival
                line.name = "R7"
                line.price = 1999
        observation = self.visit.competitor_observation_ids
        self.assertEqual(observation.name, "R7")
        self.assertEqual(observation.observed_partner_id, self.customer)
        self.assertEqual(observation.observed_by_id, self.rep)
        self.assertEqual(observation.region_id, self.region_sh)

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

    def test_check_in_and_out_queries_do_not_grow_with_history(self):
        fresh = self.env["res.partner"].create(
            {"name": "Fresh Outlet", "is_company": True, "spm_tier": "B", "user_id": self.rep.id}
        )
        busy = self.env["res.partner"].create(
            {"name": "Busy Outlet", "is_company": True, "spm_tier": "B", "user_id": self.rep.id}
        )
        self.Visit.create(
            [
                {
                    "partner_id": busy.id,
                    "user_id": self.rep.id,
                    "planned_start": datetime(2026, 1, 1 + day % 28, 2, 0),
                    "outcome": "History",
                }
                for day in range(60)
            ]
        )._spm_write_proof(
            {
                "state": "done",
                "check_in_time": datetime(2026, 1, 1, 2, 0),
                "check_out_time": datetime(2026, 1, 1, 3, 0),
            }
        )
        # warm the caches (groups, rules, translations) once
        warm = self._visit(partner=self.dealer, outcome="Talked").with_user(self.rep)
        warm.action_check_in(latitude=SHOP[0], longitude=SHOP[1])
        warm.action_check_out(latitude=SHOP[0], longitude=SHOP[1])
        counts = {}
        for partner in (fresh, busy):
            visit = self._visit(partner=partner, outcome="Talked").with_user(self.rep)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            visit.action_check_in(latitude=SHOP[0], longitude=SHOP[1])
            visit.env.flush_all()
            middle = self.env.cr.sql_log_count
            visit.action_check_out(latitude=SHOP[0], longitude=SHOP[1])
            visit.env.flush_all()
            counts[partner.name] = (middle - before, self.env.cr.sql_log_count - middle)
            self.assertEqual(visit.state, "done")
        # 60 past visits cost no query more than none
        self.assertEqual(counts["Busy Outlet"], counts["Fresh Outlet"])
        check_in, check_out = counts["Busy Outlet"]
        # (with the lock of the rep's open visits: a savepoint and one query)
        self.assertLessEqual(check_in, 26, counts)
        self.assertLessEqual(check_out, 10, counts)
        self.assertEqual(busy.spm_last_visit_date, fresh.spm_last_visit_date)
