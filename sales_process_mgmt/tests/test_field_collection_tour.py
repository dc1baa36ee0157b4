"""Collection in the field on a phone: at the checked-in visit serving a collection
task, the rep records the money with a photo of the slip; a draft payment awaits
finance."""

from odoo.tests import tagged

from .common import SpmPhoneTourCase
from .common_field_collection import SpmFieldCollectionCommon


@tagged("post_install", "-at_install")
class TestFieldCollectionTour(SpmPhoneTourCase, SpmFieldCollectionCommon):
    def test_rep_records_money_at_the_visit_on_a_phone(self):
        move = self._invoice(800.0, "2026-02-01")
        task = self.Task._create_for_moves(move)
        task.with_user(self.rep).action_plan_collection_visit()
        visit = task.visit_id
        visit.with_user(self.rep).action_check_in()
        self.start_tour(
            f"/odoo/action-sales_process_mgmt.spm_visit_action/{visit.id}",
            "spm_field_collection_tour",
            login=self.rep.login,
        )
        receipt = task.receipt_ids
        self.assertRecordValues(
            receipt,
            [
                {
                    "visit_id": visit.id,
                    "user_id": self.rep.id,
                    "amount": 800.0,
                    "method": "wechat",
                    "reference": "WX-4200017",
                    "state": "awaiting",
                }
            ],
        )
        self.assertTrue(receipt.slip_photo)
        self.assertEqual(receipt.payment_id.sudo().state, "draft")
        self.assertTrue(task.awaiting_confirmation)
