from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SpmPhoneTourCase


@tagged("post_install", "-at_install")
class TestVisitTour(SpmPhoneTourCase):
    def test_rep_checks_in_and_out_on_a_phone(self):
        rep = new_test_user(
            self.env, login="spm_visit_tour_rep", groups="sales_team.group_sale_salesman", tz="UTC"
        )
        outlet = self.env["res.partner"].create(
            {
                "name": "Tour Outlet",
                "is_company": True,
                "spm_tier": "A",
                "user_id": rep.id,
                "partner_latitude": 31.2304,
                "partner_longitude": 121.4737,
            }
        )
        visit = self.env["spm.visit"].create(
            {
                "partner_id": outlet.id,
                "user_id": rep.id,
                "purpose": "order",
                "planned_start": fields.Datetime.now() - timedelta(minutes=30),
            }
        )
        self.start_tour(
            "/odoo/action-sales_process_mgmt.spm_visit_my_day_action",
            "spm_visit_tour",
            login="spm_visit_tour_rep",
        )
        self.assertEqual(visit.state, "done")
        self.assertTrue(visit.location_verified)
        self.assertAlmostEqual(visit.check_in_distance_m, 22, delta=1)
        self.assertIn("30 phones", visit.outcome)
        self.assertEqual(outlet.spm_last_visit_date, visit.visit_date)
