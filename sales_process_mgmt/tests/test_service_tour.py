from odoo.tests import new_test_user, tagged

from .common import SpmPhoneTourCase


@tagged("post_install", "-at_install")
class TestServiceTour(SpmPhoneTourCase):
    def test_rep_starts_and_resolves_a_request_on_a_phone(self):
        rep = new_test_user(
            self.env,
            login="spm_service_tour_rep",
            groups="base.group_user,sales_team.group_sale_salesman",
            tz="Asia/Shanghai",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "上海浦东新区张江高科技园区通讯器材旗舰店",
                "is_company": True,
                "user_id": rep.id,
            }
        )
        request = self.env["spm.service.request"].create(
            {"subject": "Tour: screen flickers", "partner_id": customer.id, "priority": "2"}
        )
        self.start_tour(
            "/odoo/action-sales_process_mgmt.spm_visit_my_day_action",
            "spm_service_tour",
            login="spm_service_tour_rep",
        )
        self.assertEqual(request.state, "resolved")
        self.assertEqual(request.user_id, rep)
        self.assertTrue(request.first_response_date)
        self.assertIn("Screen cable reseated", request.resolution)
