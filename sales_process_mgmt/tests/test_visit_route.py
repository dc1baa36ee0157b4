import itertools
import math
import random
from datetime import datetime, time, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..models.spm_route import (
    distance_matrix,
    nearest_neighbour,
    order_route,
    path_length,
)
from .common import SpmPhoneTourCase
from .common_visit import SHOP, SpmVisitCommon

# 0.01 degree of longitude at Shanghai's latitude, in metres
STEP_M = 951
# 08:30 in Shanghai on the day of the visits
MORNING = "2026-03-02 00:30:00"


def _random_points(seed, count):
    """``count`` points and a start in a 20 km square of Shanghai."""
    rng = random.Random(seed)

    def point():
        return (31.1 + rng.random() * 0.2, 121.35 + rng.random() * 0.2)

    return point(), [point() for _index in range(count)]


def _length(start, points, order):
    matrix = distance_matrix(start, points)
    return path_length(matrix, [0, *(index + 1 for index in order)])


def _crosses(p1, p2, p3, p4):
    """Whether segments p1-p2 and p3-p4 cross (proper intersection, in a plane)."""

    def side(a, b, c):
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = side(p3, p4, p1), side(p3, p4, p2)
    d3, d4 = side(p1, p2, p3), side(p1, p2, p4)
    return d1 * d2 < 0 and d3 * d4 < 0


class TestRouteHeuristic(SpmVisitCommon):
    def test_route_of_eight_points_is_within_five_percent_of_the_optimum(self):
        for seed in range(10):
            start, points = _random_points(seed, 8)
            matrix = distance_matrix(start, points)
            optimum = min(
                path_length(matrix, [0, *path])
                for path in itertools.permutations(range(1, len(points) + 1))
            )
            length = _length(start, points, order_route(start, points))
            self.assertLessEqual(length, optimum * 1.05, f"seed {seed}")

    def test_route_of_thirty_points_is_no_longer_than_nearest_neighbour(self):
        for seed in range(10):
            start, points = _random_points(seed, 30)
            order = order_route(start, points)
            self.assertEqual(sorted(order), list(range(30)), "every point once")
            # the nearest-neighbour path alone, from the start
            matrix = distance_matrix(start, points)
            self.assertLessEqual(
                _length(start, points, order),
                path_length(matrix, nearest_neighbour(matrix)) + 1e-6,
                f"seed {seed}",
            )

    def test_route_of_thirty_points_has_no_crossing_legs(self):
        for seed in range(10):
            start, points = _random_points(seed, 30)
            order = order_route(start, points)
            # a plane where a degree of longitude is as long as on the ground
            scale = math.cos(math.radians(31.2))
            stops = [(lon * scale, lat) for lat, lon in [start, *(points[i] for i in order)]]
            legs = list(itertools.pairwise(stops))
            for (i, leg), (j, other) in itertools.combinations(enumerate(legs), 2):
                if j > i + 1:
                    self.assertFalse(_crosses(*leg, *other), f"seed {seed}: legs {i} and {j}")

    def test_route_of_no_point_or_one_point(self):
        self.assertEqual(order_route(SHOP, []), [])
        self.assertEqual(order_route(SHOP, [SHOP]), [0])


class RouteCase(SpmVisitCommon):
    """Four located customers of the rep on a line east of the shop, 951 m apart (A is
    the shop); the rep's day is 2 March 2026 in Shanghai."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.outlets = [cls.customer] + [
            cls.env["res.partner"].create(
                {
                    "name": f"Outlet {name}",
                    "is_company": True,
                    "user_id": cls.rep.id,
                    "partner_latitude": SHOP[0],
                    "partner_longitude": SHOP[1] + 0.01 * step,
                }
            )
            for step, name in enumerate("BCD", start=1)
        ]
        cls.nowhere = cls.env["res.partner"].create(
            {"name": "Outlet Without Location", "is_company": True, "user_id": cls.rep.id}
        )
        cls.west = (SHOP[0], SHOP[1] - 0.01)

    @classmethod
    def _at(cls, hour, minute=0):
        """UTC datetime of ``hour:minute`` on the rep's day, Shanghai time."""
        return datetime(2026, 3, 2, hour, minute) - timedelta(hours=8)

    def _day(self, partners, hours, **vals):
        return self.Visit.browse(
            self._visit(partner, start=self._at(hour), **vals).id
            for partner, hour in zip(partners, hours, strict=True)
        )

    def _plan(self, *position, user=None):
        visits = self.Visit.with_user(user or self.rep)
        if position:
            return visits.action_plan_my_route(latitude=position[0], longitude=position[1])
        return visits.action_plan_my_route()

    def _route(self, visits):
        return visits.sorted("route_sequence")


@freeze_time(MORNING)
@tagged("post_install", "-at_install")
class TestPlanRoute(RouteCase):
    def test_plan_orders_the_day_from_the_position(self):
        a, b, c, d = self.outlets
        visits = self._day([d, b, a, c], [9, 10, 11, 12])
        result = self._plan(*self.west)
        self.assertEqual(self._route(visits).partner_id.ids, [a.id, b.id, c.id, d.id])
        self.assertEqual(visits.sorted("route_sequence").mapped("route_sequence"), [1, 2, 3, 4])
        for visit in visits:
            self.assertAlmostEqual(visit.route_distance_m, STEP_M, delta=5)
        self.assertEqual(result["stops"], 4)
        self.assertAlmostEqual(result["distance_m"], 4 * STEP_M, delta=20)
        self.assertIn("4 stops", result["message"])

    def test_card_labels_show_the_stop_and_the_distance(self):
        a, b = self.outlets[:2]
        visits = self._day([a, b], [9, 10])
        self._plan(*self.west)
        first = self._route(visits)[0]
        self.assertEqual(first.route_stop_label, "Stop 1")
        self.assertEqual(first.route_distance_label, "951 m")
        far = self._visit(self.outlets[3], start=self._at(11))
        self._plan(*self.west)
        self.assertEqual(far.route_distance_label, "1.9 km")

    def test_plan_without_position_starts_at_the_first_visits_customer(self):
        a, b, c, d = self.outlets
        visits = self._day([c, a, d, b], [9, 10, 11, 12])
        result = self._plan()
        # C stays first; then D, B, A (4 steps) beats B, A, D (5 steps)
        self.assertEqual(self._route(visits).partner_id.ids, [c.id, d.id, b.id, a.id])
        first = self._route(visits)[0]
        self.assertEqual(first.route_distance_m, 0)
        self.assertIn(c.name, result["message"])

    def test_plan_without_position_starts_at_the_visit_in_progress(self):
        a, b, c, d = self.outlets
        in_progress = self._visit(a, start=self._at(8))
        in_progress.with_user(self.rep).action_check_in(*SHOP)
        visits = self._day([d, c, b], [9, 10, 11])
        self._plan()
        self.assertEqual(self._route(visits).partner_id.ids, [b.id, c.id, d.id])
        self.assertAlmostEqual(self._route(visits)[0].route_distance_m, STEP_M, delta=5)
        self.assertFalse(in_progress.route_sequence, "only planned visits are ordered")

    def test_customers_without_location_come_last_in_planned_order(self):
        a, b = self.outlets[:2]
        late, early = self._day([self.nowhere, self.nowhere], [8, 7])
        visits = late | early | self._day([b, a], [9, 10])
        result = self._plan(*self.west)
        self.assertEqual(self._route(visits).ids[2:], [early.id, late.id])
        self.assertEqual((early | late).mapped("route_distance_m"), [0, 0])
        self.assertIn("2 customers without a location come last", result["message"])

    def test_plan_without_any_location_keeps_the_planned_order(self):
        late, early = self._day([self.nowhere, self.nowhere], [10, 9])
        result = self._plan()
        self.assertEqual((early.route_sequence, late.route_sequence), (1, 2))
        self.assertIn("keep their planned order", result["message"])

    def test_plan_uses_only_todays_planned_visits_of_the_current_rep(self):
        a, b, c, d = self.outlets
        today = self._day([a, b], [9, 10])
        tomorrow = self._visit(c, start=self._at(9) + timedelta(days=1))
        yesterday = self._visit(c, start=self._at(9) - timedelta(days=1))
        cancelled = self._visit(d, start=self._at(11))
        cancelled.with_user(self.rep).action_cancel()
        d.user_id = self.rep_colleague
        colleague = self._visit(d, user=self.rep_colleague, start=self._at(11))
        self._plan(*self.west)
        self.assertEqual(today.mapped("route_sequence"), [1, 2])
        for visit in tomorrow | yesterday | cancelled | colleague:
            self.assertFalse(visit.route_sequence, visit.name)
            self.assertFalse(visit.route_distance_m, visit.name)

    def test_the_day_is_the_reps_day(self):
        # 17:00 UTC on 2 March is 01:00 on 3 March in Shanghai: not the rep's today
        evening = self._visit(self.outlets[1], start=datetime(2026, 3, 2, 17, 0))
        visit = self._visit(self.outlets[2], start=self._at(9))
        self._plan(*self.west)
        self.assertFalse(evening.route_sequence)
        self.assertEqual(visit.route_sequence, 1)

    def test_plan_with_nothing_planned_today_is_refused(self):
        self._visit(start=self._at(9) + timedelta(days=1))
        with self.assertRaisesRegex(UserError, "no planned visit today"):
            self._plan(*self.west)

    def test_planning_again_clears_the_route_of_other_days(self):
        visit = self._visit(start=self._at(9))
        self._plan(*self.west)
        with freeze_time("2026-03-03 00:30:00"):
            self._visit(self.outlets[1], start=self._at(9) + timedelta(days=1))
            self._plan(*self.west)
        self.assertFalse(visit.route_sequence, "yesterday's route is gone")

    def test_a_visit_moved_to_another_day_leaves_the_route(self):
        moved, kept = self._day(self.outlets[:2], [9, 10])
        self._plan(*self.west)
        moved.with_user(self.rep).planned_start = self._at(9) + timedelta(days=2)
        kept.with_user(self.rep).planned_start = self._at(15)
        self.assertFalse(moved.route_sequence)
        self.assertEqual(kept.route_sequence, 2, "a new time on the same day keeps the stop")

    def test_a_closed_visit_leaves_the_route(self):
        done, cancelled, missed = self._day(self.outlets[:3], [9, 10, 11])
        self._plan(*self.west)
        done.with_user(self.rep).action_check_in(*SHOP)
        self.assertEqual(done.route_sequence, 1, "in progress: still on the route")
        done.outcome = "Ordered"
        done.with_user(self.rep).action_check_out(*SHOP)
        cancelled.with_user(self.rep).action_cancel()
        missed._spm_protected().write({"state": "missed"})
        for visit in done | cancelled | missed:
            self.assertFalse(visit.route_sequence, visit.state)

    def test_bad_position_is_refused_with_a_clear_message(self):
        self._visit(start=self._at(9))
        for latitude, longitude in (
            ("31.2", 121.4),
            (31.2, "east"),
            (float("nan"), 121.4),
            (31.2, float("inf")),
            (10**400, 121.4),
            (True, 121.4),
            ([31.2], 121.4),
            ({"lat": 31.2}, 121.4),
        ):
            with self.subTest(latitude=latitude, longitude=longitude):
                with self.assertRaisesRegex(ValidationError, "not a pair of numbers"):
                    self._plan(latitude, longitude)
        for latitude, longitude in ((91, 121.4), (31.2, -181)):
            with self.assertRaisesRegex(ValidationError, "out of range"):
                self._plan(latitude, longitude)
        with self.assertRaisesRegex(ValidationError, "both a latitude and a longitude"):
            self.Visit.with_user(self.rep).action_plan_my_route(latitude=31.2)


@tagged("post_install", "-at_install")
class TestRouteProtection(RouteCase):
    def test_rep_cannot_write_the_route(self):
        visit = self._visit(start=self._at(9))
        for vals in ({"route_sequence": 1}, {"route_distance_m": 12.0}):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "cannot be written"):
                visit.with_user(self.rep).write(vals)
        self.assertFalse(visit.route_sequence)

    def test_manager_cannot_write_the_route(self):
        visit = self._visit(start=self._at(9))
        with self.assertRaisesRegex(AccessError, "cannot be written"):
            visit.with_user(self.manager).write({"route_sequence": 3})

    def test_rep_cannot_create_a_visit_with_a_route(self):
        with self.assertRaisesRegex(AccessError, "cannot be written"):
            self.Visit.with_user(self.rep).create(
                {"partner_id": self.customer.id, "route_sequence": 1}
            )
        with self.assertRaisesRegex(AccessError, "cannot be written"):
            self.Visit.with_user(self.rep).with_context(default_route_distance_m=5.0).create(
                {"partner_id": self.customer.id}
            )

    def test_a_context_key_sent_by_a_client_does_not_bypass(self):
        visit = self._visit(start=self._at(9))
        with self.assertRaisesRegex(AccessError, "cannot be written"):
            visit.with_user(self.rep).with_context(spm_protected_write=True).write(
                {"route_sequence": 1}
            )

    def test_route_of_wrong_type_is_refused_naming_the_field(self):
        visit = self._visit(start=self._at(9))
        with self.assertRaisesRegex(ValidationError, "Stop"):
            visit._spm_protected().write({"route_sequence": "first"})

    def test_rep_sets_a_fixed_appointment_while_planned(self):
        visit = self._visit(start=self._at(9))
        visit.with_user(self.rep).appointment_fixed = True
        self.assertTrue(visit.appointment_fixed)

    def test_fixed_appointment_stays_after_check_in(self):
        visit = self._visit(start=self._at(9), appointment_fixed=True)
        visit.with_user(self.rep).action_check_in(*SHOP)
        with self.assertRaisesRegex(AccessError, "Fixed Appointment"):
            visit.with_user(self.rep).appointment_fixed = False
        visit.with_user(self.manager).appointment_fixed = False
        self.assertFalse(visit.appointment_fixed)

    def test_rep_cannot_plan_the_route_of_a_colleague(self):
        # the action plans the current user's day only; the private planner is no RPC
        colleague = self._visit(user=self.rep_colleague, start=self._at(9))
        self._visit(start=self._at(9))
        with freeze_time(MORNING):
            self._plan(*self.west)
        self.assertFalse(colleague.route_sequence)


@freeze_time(MORNING)
@tagged("post_install", "-at_install")
class TestApplyRouteTimes(RouteCase):
    def _apply(self, user=None):
        return self.Visit.with_user(user or self.rep).action_apply_route_times()

    def _local(self, visit):
        """The visit's planned start, Shanghai time, as HH:MM."""
        return (visit.planned_start + timedelta(hours=8)).strftime("%H:%M")

    def test_apply_follows_the_route_with_durations_and_travel_time(self):
        a, b, c = self.outlets[:3]
        va, vb, vc = self._day([a, b, c], [15, 11, 9])
        vb.planned_duration = 0.5
        self._plan(*SHOP)
        result = self._apply()
        # from 09:00 (the earliest plan); 951 m at 30 km/h is 2 minutes, rounded up to 5
        self.assertEqual([self._local(v) for v in (va, vb, vc)], ["09:00", "10:05", "10:40"])
        self.assertEqual([v.route_sequence for v in (va, vb, vc)], [1, 2, 3])
        self.assertIn("3 planned times changed", result["message"])
        self.assertIn("09:00", result["message"])

    def test_apply_starts_now_when_the_first_plan_has_passed(self):
        visit = self._visit(start=self._at(7))
        self._plan(*SHOP)
        self._apply()
        self.assertEqual(self._local(visit), "08:30")

    def test_fixed_appointments_keep_their_time_and_the_others_flow_around_them(self):
        a, b, c, d = self.outlets
        va, vb, vd = self._day([a, b, d], [9, 13, 15])
        vc = self._visit(c, start=self._at(10, 30), appointment_fixed=True)
        self._plan(*SHOP)
        self.assertEqual([v.route_sequence for v in (va, vb, vc, vd)], [1, 2, 3, 4])
        self._apply()
        # A (09:00-10:00) leaves 4 minutes to reach C's appointment at 10:30; B does not
        # fit before it and comes after it
        self.assertEqual(
            [self._local(v) for v in (va, vb, vc, vd)], ["09:00", "11:35", "10:30", "12:40"]
        )
        self.assertEqual(vc.planned_start, self._at(10, 30), "the appointment keeps its time")
        # the stops follow the new times
        self.assertEqual([v.route_sequence for v in (va, vc, vb, vd)], [1, 2, 3, 4])
        self.assertAlmostEqual(vc.route_distance_m, 2 * STEP_M, delta=10)
        self.assertAlmostEqual(vb.route_distance_m, STEP_M, delta=5)
        self.assertAlmostEqual(vd.route_distance_m, 2 * STEP_M, delta=10)

    def test_a_visit_that_leaves_no_time_to_reach_an_appointment_moves_after_it(self):
        a, c = self.outlets[0], self.outlets[2]
        va = self._visit(a, start=self._at(9))
        vc = self._visit(c, start=self._at(10), appointment_fixed=True)
        self._plan(*SHOP)
        self._apply()
        # 09:00-10:00 at A leaves no time for the 1.9 km to C's 10:00 appointment
        self.assertEqual([self._local(v) for v in (va, vc)], ["11:05", "10:00"])
        self.assertEqual([v.route_sequence for v in (vc, va)], [1, 2])

    def test_apply_leaves_another_reps_visits_untouched(self):
        self._day(self.outlets[:2], [9, 15])
        self.outlets[2].user_id = self.rep_colleague
        colleague = self._visit(self.outlets[2], user=self.rep_colleague, start=self._at(10))
        self.Visit.with_user(self.rep_colleague).action_plan_my_route(*SHOP)
        before = (colleague.planned_start, colleague.route_sequence, colleague.route_distance_m)
        self._plan(*SHOP)
        self._apply()
        self.assertEqual(
            (colleague.planned_start, colleague.route_sequence, colleague.route_distance_m),
            before,
        )

    def test_apply_without_a_route_is_refused(self):
        self._visit(start=self._at(9))
        with self.assertRaisesRegex(UserError, "Plan My Route first"):
            self._apply()

    def test_a_day_that_does_not_fit_before_midnight_is_refused(self):
        visits = self._day(self.outlets[:2], [9, 20])
        visits.planned_duration = 8
        self._plan(*SHOP)
        with self.assertRaisesRegex(UserError, "does not fit in today"):
            self._apply()
        self.assertEqual(visits[1].planned_start, self._at(20), "nothing changed")

    def test_apply_starts_at_the_days_earliest_plan(self):
        visit = self._visit(self.outlets[1], start=self._at(15))
        self._plan(*SHOP)
        self._apply()
        # after the 2 minutes from the shop, rounded up to 5
        self.assertEqual(self._local(visit), "15:05")

    def test_apply_logs_each_new_time_in_the_chatter(self):
        moved = self._visit(self.outlets[1], start=self._at(15))
        fixed = self._visit(self.outlets[0], start=self._at(9), appointment_fixed=True)
        self._plan(*SHOP)
        self._apply()
        self.assertEqual(self._local(fixed), "09:00")
        self.assertIn("15:00 → 10:05", moved.message_ids[:1].body)
        self.assertNotIn("route", fixed.message_ids[:1].body or "")


@tagged("post_install", "-at_install")
class TestRouteTour(SpmPhoneTourCase):
    def test_my_day_shows_the_route_after_plan_my_route(self):
        rep = new_test_user(
            self.env, login="spm_route_tour_rep", groups="sales_team.group_sale_salesman", tz="UTC"
        )
        today = fields.Date.context_today(rep)
        visits = []
        # planned in the opposite order of the route from the phone's position (west)
        for minute, name, step in ((1, "Third Stop", 3), (2, "Second Stop", 2), (3, "First", 1)):
            outlet = self.env["res.partner"].create(
                {
                    "name": f"Route {name}",
                    "is_company": True,
                    "user_id": rep.id,
                    "partner_latitude": SHOP[0],
                    "partner_longitude": SHOP[1] + 0.01 * step,
                }
            )
            visits.append(
                self.env["spm.visit"].create(
                    {
                        "partner_id": outlet.id,
                        "user_id": rep.id,
                        "planned_start": datetime.combine(today, time(0, minute)),
                    }
                )
            )
        self.start_tour(
            "/odoo/action-sales_process_mgmt.spm_visit_my_day_action",
            "spm_route_tour",
            login="spm_route_tour_rep",
        )
        self.assertEqual([visit.route_sequence for visit in visits], [3, 2, 1])
