"""客户进销记录簿 on a phone: at a dealer, in the open checked-in visit, the rep records
the sell-out on the prefilled cards and saves; the database keeps the count."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import SpmPhoneTourCase
from .common_sellout import SpmSelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutTour(SpmPhoneTourCase, SpmSelloutCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        now = fields.Datetime.now()
        order = cls._order({cls.phone: 30, cls.charger: 10}, now - timedelta(days=20))
        cls._deliver(order.picking_ids, {cls.phone: 30, cls.charger: 10}, now - timedelta(days=20))
        cls.visit = cls._visit(purpose="routine", start=now - timedelta(minutes=30))
        cls.visit._spm_write_proof(
            {"state": "in_progress", "check_in_time": now - timedelta(minutes=20)}
        )

    def test_rep_records_sellout_on_a_phone(self):
        self.start_tour(
            f"/odoo/spm.visit/{self.visit.id}", "spm_sellout_tour", login=self.rep.login
        )
        reports = self.visit.sellout_report_ids
        self.assertEqual(reports.product_id, self.phone | self.charger)
        phone = reports.filtered(lambda report: report.product_id == self.phone)
        self.assertEqual((phone.qty_sold, phone.stock_on_hand), (6, 24))
        self.assertEqual(phone.user_id, self.rep)
        self.assertFalse(phone.inconsistent)
