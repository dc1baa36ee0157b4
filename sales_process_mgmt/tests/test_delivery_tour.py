"""Delivery at the customer on a phone (390 px): from the checked-in delivery visit, the
customer signs and the rep validates the delivery; the picking is done and signed."""

from odoo.tests import tagged

from .common import SpmPhoneTourCase
from .common_delivery import SpmDeliveryCommon


@tagged("post_install", "-at_install")
class TestDeliveryTour(SpmPhoneTourCase, SpmDeliveryCommon):
    def test_rep_delivers_with_the_customers_signature_on_a_phone(self):
        picking = self._picking()
        visit = self._delivery_visit(picking, user=self.rep_stock)
        self.start_tour(
            f"/odoo/action-sales_process_mgmt.spm_visit_my_day_action/{visit.id}",
            "spm_delivery_tour",
            login=self.rep_stock.login,
        )
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.signature)
        self.assertEqual(visit.delivery_signed_by, "Manager Zhou")
        self.assertTrue(
            picking.message_ids.filtered(lambda m: "Proof of delivery" in (m.body or ""))
        )
