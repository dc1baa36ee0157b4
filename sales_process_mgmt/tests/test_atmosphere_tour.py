from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SpmPhoneTourCase


@tagged("post_install", "-at_install")
class TestAtmosphereTour(SpmPhoneTourCase):
    def test_rep_audits_the_store_atmosphere_on_a_phone(self):
        rep = new_test_user(
            self.env,
            login="spm_atmosphere_tour_rep",
            groups="sales_team.group_sale_salesman",
            tz="UTC",
        )
        outlet = self.env["res.partner"].create(
            {"name": "Atmosphere Outlet", "is_company": True, "user_id": rep.id}
        )
        visit = self.env["spm.visit"].create(
            {
                "partner_id": outlet.id,
                "user_id": rep.id,
                "purpose": "promotion",
                "planned_start": fields.Datetime.now(),
            }
        )
        visit.with_user(rep).action_check_in()
        self.start_tour(
            "/odoo/action-sales_process_mgmt.spm_visit_my_day_action",
            "spm_atmosphere_tour",
            login="spm_atmosphere_tour_rep",
        )
        scores = {line.element: line.score for line in visit.atmosphere_line_ids}
        self.assertEqual(scores, {"pop": "4", "colour": "3", "music": "2", "staff": "5"})
        self.assertEqual(visit.atmosphere_score, 3.5)
