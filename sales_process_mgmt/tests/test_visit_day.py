from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_visit import SpmVisitCommon


@tagged("post_install", "-at_install")
class TestVisitDay(SpmVisitCommon):
    """Today, My Day and Overdue are decided on the rep's clock, not the browser's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_colleague.tz = "America/New_York"
        cls.colleague_customer = cls.customer.copy({"user_id": cls.rep_colleague.id})
        # March 10th, 10:00 in Shanghai and 10:00 in New York (UTC 02:00 and 14:00)
        cls.shanghai = cls._visit(start=datetime(2026, 3, 10, 2, 0))
        cls.new_york = cls._visit(
            cls.colleague_customer, cls.rep_colleague, datetime(2026, 3, 10, 14, 0)
        )
        cls.visits = cls.shanghai | cls.new_york

    def _search(self, domain):
        return self.Visit.search([("id", "in", self.visits.ids), *domain])

    @freeze_time("2026-03-10 20:00:00")
    def test_each_rep_has_his_own_today(self):
        # 04:00 on March 11th in Shanghai, 16:00 on March 10th in New York
        self.assertEqual(self.shanghai.rep_day, "past")
        self.assertEqual(self.new_york.rep_day, "today")
        self.assertEqual(self._search([("rep_day", "=", "today")]), self.new_york)
        self.assertEqual(self._search([("rep_day", "=", "past")]), self.shanghai)
        self.assertEqual(self._search([("rep_day", "in", ["past", "today"])]), self.visits)
        self.assertEqual(self._search([("rep_day", "!=", "today")]), self.shanghai)
        self.assertFalse(self._search([("rep_day", "=", "upcoming")]))

    @freeze_time("2026-03-10 06:00:00")
    def test_one_day_for_everybody_is_one_date_condition(self):
        # 14:00 in Shanghai, 01:00 in New York: March 10th for both
        self.assertEqual(self.visits.mapped("rep_day"), ["today", "today"])
        self.assertEqual(self._search([("rep_day", "=", "today")]), self.visits)
        self.assertFalse(self._search([("rep_day", "not in", ["today"])]))
        self.assertFalse(self._search([("rep_day", "=", False)]))
        self.assertEqual(self._search([("rep_day", "!=", False)]), self.visits)

    @freeze_time("2026-03-09 20:00:00")
    def test_the_my_day_and_overdue_filters_use_the_reps_day(self):
        # 04:00 on March 10th in Shanghai, 16:00 on March 9th in New York
        view = self.env.ref("sales_process_mgmt.spm_visit_view_search")
        filters = {
            node.get("name"): node.get("domain")
            for node in view._get_combined_arch().iter("filter")
        }
        for name in ("filter_today", "filter_my_day", "filter_overdue"):
            self.assertIn("rep_day", filters[name])
            self.assertNotIn("context_today", filters[name])
        my_day = [("state", "in", ("planned", "in_progress")), ("rep_day", "in", ("past", "today"))]
        self.assertEqual(self._search(my_day), self.shanghai)
        self.assertEqual(self.new_york.rep_day, "upcoming")

    def test_an_unsupported_search_is_refused_with_the_fields_name(self):
        for operator, value in (
            ("like", "today"),
            ("=", 3),
            ("in", [1]),
            ("=", "tomorrow"),
            ("=", {"a": 1}),
            ("in", [["today"]]),
        ):
            with self.assertRaisesRegex(UserError, "Day for the Rep"):
                self._search([("rep_day", operator, value)])
