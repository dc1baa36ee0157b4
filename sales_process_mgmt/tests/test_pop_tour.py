from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SpmPhoneTourCase
from .common_pop import PHOTO


@tagged("post_install", "-at_install")
class TestPopTour(SpmPhoneTourCase):
    def test_rep_inspects_pop_with_one_tap_on_a_phone(self):
        rep = new_test_user(
            self.env, login="spm_pop_tour_rep", groups="sales_team.group_sale_salesman", tz="UTC"
        )
        outlet = self.env["res.partner"].create(
            {"name": "Tour POP Outlet", "is_company": True, "user_id": rep.id}
        )
        poster = self.env["spm.pop.material"].create(
            {"name": "Tour Poster", "material_type": "poster", "unit_cost": 15.0}
        )
        deployment = self.env["spm.pop.deployment"].create(
            {"partner_id": outlet.id, "material_id": poster.id, "qty": 2}
        )
        deployment._spm_install(PHOTO, fields.Date.today() - timedelta(days=20))
        visit = self.env["spm.visit"].create(
            {
                "partner_id": outlet.id,
                "user_id": rep.id,
                "purpose": "promotion",
                "planned_start": fields.Datetime.now() - timedelta(minutes=30),
            }
        )
        visit._spm_write_proof({"state": "in_progress", "check_in_time": fields.Datetime.now()})
        self.start_tour(
            f"/odoo/action-sales_process_mgmt.spm_visit_action/{visit.id}",
            "spm_pop_tour",
            login="spm_pop_tour_rep",
        )
        inspection = visit.pop_inspection_ids
        self.assertEqual(inspection.condition, "damaged")
        self.assertEqual(inspection.user_id, rep)
        self.assertEqual(deployment.state, "needs_maintenance")
