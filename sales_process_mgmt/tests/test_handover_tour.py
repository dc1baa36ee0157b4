from odoo.tests import new_test_user, tagged

from .common import SpmTourCase


@tagged("post_install", "-at_install")
class TestHandoverTour(SpmTourCase):
    def test_manager_hands_a_leaving_rep_over_at_the_desk(self):
        leaving, taking = (
            new_test_user(self.env, login=login, name=name, groups="sales_team.group_sale_salesman")
            for login, name in (
                ("spm_tour_leaving", "Tour Leaving Rep"),
                ("spm_tour_taking", "Tour Taking Rep"),
            )
        )
        new_test_user(self.env, login="spm_tour_ho_manager", groups="sales_team.group_sale_manager")
        customer = self.env["res.partner"].create(
            {"name": "Tour Handover Customer", "is_company": True, "user_id": leaving.id}
        )
        lead = self.env["crm.lead"].create(
            {
                "name": "Tour deal",
                "type": "opportunity",
                "partner_id": customer.id,
                "user_id": leaving.id,
            }
        )
        self.start_tour(
            "/odoo/action-sales_process_mgmt.spm_handover_log_action",
            "spm_handover_tour",
            login="spm_tour_ho_manager",
        )
        self.assertEqual(customer.user_id, taking)
        self.assertEqual(lead.user_id, taking)
        log = self.env["spm.handover.log"].search([("from_user_id", "=", leaving.id)])
        self.assertEqual(log.to_user_id, taking)
        self.assertEqual(log.reason, "Leaves the company")
