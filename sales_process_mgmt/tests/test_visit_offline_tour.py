from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL

from .common import SpmPhoneTourCase


@tagged("post_install", "-at_install")
class TestVisitOfflineTour(SpmPhoneTourCase):
    def test_check_in_without_network_is_sent_when_it_returns(self):
        rep = new_test_user(
            self.env,
            login="spm_offline_tour_rep",
            groups="sales_team.group_sale_salesman",
            tz="UTC",
        )
        outlet = self.env["res.partner"].create(
            {
                "name": "Basement Outlet",
                "is_company": True,
                "user_id": rep.id,
                "partner_latitude": 31.2304,
                "partner_longitude": 121.4737,
            }
        )
        visit = self.env["spm.visit"].create(
            {
                "partner_id": outlet.id,
                "user_id": rep.id,
                "planned_start": fields.Datetime.now() - timedelta(minutes=30),
            }
        )
        # planned yesterday: the check-in keeps the phone's time
        self.env.cr.execute(
            SQL(
                "UPDATE spm_visit SET create_date = %s WHERE id = %s",
                fields.Datetime.now() - timedelta(days=1),
                visit.id,
            )
        )
        visit.invalidate_recordset(["create_date"])
        self.start_tour(
            "/odoo/action-sales_process_mgmt.spm_visit_my_day_action",
            "spm_visit_offline_tour",
            login="spm_offline_tour_rep",
        )
        self.assertEqual(visit.state, "in_progress")
        self.assertTrue(visit.recorded_offline)
        self.assertTrue(visit.location_verified)
        actions = visit.spm_offline_action_ids
        self.assertEqual(len(actions), 1)
        self.assertEqual(actions.kind, "check_in")
        self.assertEqual(visit.check_in_time, actions.device_time)
        self.assertLessEqual(actions.device_time, actions.received_time)

    def test_photo_without_network_is_sent_after_its_check_in(self):
        rep = new_test_user(
            self.env,
            login="spm_offline_photo_tour_rep",
            groups="sales_team.group_sale_salesman",
            tz="UTC",
        )
        outlet = self.env["res.partner"].create(
            {
                "name": "Cellar Outlet",
                "is_company": True,
                "user_id": rep.id,
                "partner_latitude": 31.2304,
                "partner_longitude": 121.4737,
            }
        )
        visit = self.env["spm.visit"].create(
            {
                "partner_id": outlet.id,
                "user_id": rep.id,
                "planned_start": fields.Datetime.now() - timedelta(minutes=30),
            }
        )
        self.env.cr.execute(
            SQL(
                "UPDATE spm_visit SET create_date = %s WHERE id = %s",
                fields.Datetime.now() - timedelta(days=1),
                visit.id,
            )
        )
        visit.invalidate_recordset(["create_date"])
        self.start_tour(
            "/odoo/action-sales_process_mgmt.spm_visit_my_day_action",
            "spm_visit_offline_photo_tour",
            login="spm_offline_photo_tour_rep",
        )
        self.assertEqual(visit.state, "in_progress")
        self.assertEqual(
            visit.spm_offline_action_ids.sorted("id").mapped("kind"), ["check_in", "photo"]
        )
        photo = visit.visit_photo_ids
        self.assertEqual(len(photo), 1)
        self.assertTrue(photo.device_time)
        self.assertLessEqual(photo.device_time, photo.taken_on)
        self.assertGreaterEqual(photo.device_time, visit.check_in_time)
        self.assertEqual(photo.position_source, "check_in")
        self.assertEqual(photo.location_status, "verified")
        self.assertTrue(photo.stamped_attachment_id)
        self.assertEqual(photo.attachment_id.mimetype, "image/jpeg")
