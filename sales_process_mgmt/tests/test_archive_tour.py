from odoo.tests import new_test_user, tagged

from .common import SpmPhoneTourCase


@tagged("post_install", "-at_install")
class TestArchiveTour(SpmPhoneTourCase):
    def test_rep_reviews_an_archive_on_a_phone(self):
        new_test_user(self.env, login="spm_tour_rep", groups="sales_team.group_sale_salesman")
        dealer = self.env["res.partner"].create(
            {"name": "Tour Dealer", "is_company": True, "spm_archive_type": "dealer"}
        )
        self.start_tour(
            f"/odoo/action-sales_process_mgmt.spm_partner_archive_action/{dealer.id}",
            "spm_archive_tour",
            login="spm_tour_rep",
        )
        self.assertEqual(dealer.spm_archive_type, "agent")
        self.assertEqual(dealer.spm_tier, "A")
        self.assertTrue(dealer.spm_archive_reviewed_on)
