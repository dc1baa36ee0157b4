"""The promotion chapter's visit at an outlet, on a phone: the rep checks in, inspects
the outlet's POP, records the running campaign's execution with a photo, scores the
store atmosphere and checks out; the database keeps what the rep did."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import SpmPhoneTourCase
from .common_pop import SpmPopCommon
from .common_promotion import SpmPromotionCommon


@tagged("post_install", "-at_install")
class TestPromotionVisitTour(SpmPhoneTourCase, SpmPromotionCommon, SpmPopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.today()
        # the commons' campaign at the Nanjing Road outlet, running today
        cls.campaign.with_user(cls.manager).write(
            {"date_start": today - timedelta(days=1), "date_end": today + timedelta(days=9)}
        )
        cls.campaign.with_user(cls.manager).action_approve()
        installed_on = today - timedelta(days=20)
        cls.poster_deployment = cls._deployment(cls.poster, qty=2, installed_on=installed_on)
        cls.light_box_deployment = cls._deployment(cls.light_box, installed_on=installed_on)
        # My Day's filter takes the day of the browser, which runs on UTC in the tests:
        # the rep too, as in the other tours, so that the visit is on his day at any hour
        cls.rep.tz = "UTC"
        cls.visit = cls._visit(purpose="promotion", start=fields.Datetime.now())

    def test_rep_runs_a_promotion_visit_on_a_phone(self):
        self.assertEqual(self.campaign.state, "running")
        self.assertTrue(self.customer.spm_location_confirmed)
        self.start_tour(
            "/odoo/action-sales_process_mgmt.spm_visit_my_day_action",
            "spm_promotion_visit_tour",
            login=self.rep.login,
        )
        visit = self.visit
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.location_verified)
        self.assertIn("trade-in", visit.outcome)

        inspections = visit.pop_inspection_ids
        self.assertEqual(len(inspections), 2)
        conditions = {inspection.deployment_id: inspection.condition for inspection in inspections}
        self.assertEqual(
            conditions,
            {self.poster_deployment: "good", self.light_box_deployment: "damaged"},
        )
        self.assertEqual(inspections.user_id, self.rep)
        self.assertEqual(self.poster_deployment.state, "installed")
        self.assertEqual(self.light_box_deployment.state, "needs_maintenance")

        execution = visit.promotion_execution_ids
        self.assertEqual(len(execution), 1)
        self.assertEqual(execution.campaign_id, self.campaign)
        self.assertEqual(execution.user_id, self.rep)
        self.assertTrue(execution.done)
        self.assertTrue(execution.photo)
        self.assertIn("window", execution.note)
        self.assertTrue(execution.verified)

        scores = {line.element: line.score for line in visit.atmosphere_line_ids}
        self.assertEqual(scores, {"pop": "4", "colour": "5", "music": "3", "staff": "4"})
        self.assertEqual(visit.atmosphere_score, 4.0)
