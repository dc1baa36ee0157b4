"""Delivery, collection and the purchase/sales log at one dealer on a phone (390 px): in
one checked-in delivery visit the customer signs and the rep validates the delivery,
records the money paid with a photo of the slip, then records the dealer's sell-out of
what was just delivered."""

from odoo.tests import tagged

from .common import SpmPhoneTourCase
from .common_delivery import SpmDeliveryCommon


@tagged("post_install", "-at_install")
class TestFieldDayTour(SpmPhoneTourCase, SpmDeliveryCommon):
    def test_rep_delivers_collects_and_records_sellout_on_a_phone(self):
        picking = self._picking()
        visit = self._delivery_visit(picking, user=self.rep_stock)
        invoice = self._invoice(800.0, "2026-02-01", user=self.rep_stock)
        task = self.env["spm.collection.task"]._create_for_moves(invoice)
        task._spm_protected().visit_id = visit
        self.start_tour(
            f"/odoo/action-sales_process_mgmt.spm_visit_my_day_action/{visit.id}",
            "spm_field_day_tour",
            login=self.rep_stock.login,
        )
        self.assertEqual(picking.state, "done")
        self.assertTrue(picking.signature)
        receipt = task.receipt_ids
        self.assertRecordValues(
            receipt,
            [{"visit_id": visit.id, "amount": 800.0, "method": "wechat", "state": "awaiting"}],
        )
        self.assertTrue(receipt.slip_photo)
        self.assertEqual(receipt.payment_id.sudo().state, "draft")
        report = visit.sellout_report_ids.filtered(lambda r: r.product_id == self.product)
        self.assertRecordValues(
            report,
            [{"qty_sold": 3, "stock_on_hand": 5, "user_id": self.rep_stock.id}],
        )
