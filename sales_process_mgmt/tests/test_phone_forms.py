"""The forms a rep opens from the phone's cards fit the phone: the lists inside them (the
visit's photos, competitor observations and actions recorded offline, the customer's
contacts) never scroll sideways, on every tab: they show as cards."""

import json
from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import SpmPhoneTourCase
from .test_visit_photo import image_data

REP_GROUPS = "base.group_user,sales_team.group_sale_salesman"
LONG_NAME = "上海浦东新区张江高科技园区通讯器材旗舰店第二分店"


@tagged("post_install", "-at_install")
class TestPhoneForms(SpmPhoneTourCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(cls.env, login="spm_phone_forms_rep", groups=REP_GROUPS, tz="UTC")
        cls.customer = cls.env["res.partner"].create(
            {
                "name": LONG_NAME,
                "is_company": True,
                "spm_archive_type": "outlet",
                "spm_tier": "A",
                "user_id": cls.rep.id,
                "partner_latitude": 31.2304,
                "partner_longitude": 121.4737,
                "child_ids": [
                    (0, 0, {"name": "王建国", "function": "总经理", "spm_is_key_person": True}),
                    (0, 0, {"name": "李秀英", "function": "采购经理", "mobile": "13800000000"}),
                ],
            }
        )
        cls.visit = cls._done_visit_with_evidence()

    @classmethod
    def _done_visit_with_evidence(cls):
        """A visit of the rep, checked in offline, with a photo and two competitors."""
        now = fields.Datetime.now()
        visit = cls.env["spm.visit"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep.id,
                "planned_start": now - timedelta(hours=2),
                "outcome": "下单 30 台 要求补充橱窗海报",
            }
        )
        proof = {
            "state": "in_progress",
            "check_in_time": now - timedelta(hours=2),
            "check_in_latitude": 31.2305,
            "check_in_longitude": 121.4738,
            "recorded_offline": True,
        }
        visit._spm_write_proof(proof)
        cls.env["spm.visit.photo"].with_user(cls.rep).create(
            {"visit_id": visit.id, "name": "新品陈列 货架第三层", "image": image_data()}
        )
        competitor = cls.env["res.partner"].create(
            {"name": "华强通讯科技有限公司", "is_company": True}
        )
        cls.env["spm.competitor.product"].create(
            [
                {
                    "name": name,
                    "brand": "华强",
                    "competitor_id": competitor.id,
                    "price": price,
                    "promotion_policy": "买一送一 赠送原装耳机和一年延保服务",
                    "observed_partner_id": cls.customer.id,
                    "observed_by_id": cls.rep.id,
                    "visit_id": visit.id,
                }
                for name, price in (("华强 H9 青春版 128GB 双卡双待", 1899.0), ("华强 X1", 999.0))
            ]
        )
        cls.env["spm.visit.action"]._spm_record(
            {
                "key": "phone-forms-check-in",
                "visit_id": visit.id,
                "user_id": cls.rep.id,
                "kind": "check_in",
                "device_time": now - timedelta(hours=2),
                "received_time": now - timedelta(hours=1),
                "recorded_time": now - timedelta(hours=2),
                "latitude": 31.2305,
                "longitude": 121.4738,
                "result": "applied",
            }
        )
        visit._spm_write_proof({"state": "done", "check_out_time": now - timedelta(hours=1)})
        return visit

    def _check_form(self, url, field_names):
        self.start_tour(
            url,
            "spm_phone_forms_tour",
            login="spm_phone_forms_rep",
            code=f"window.spmPhoneFormFields = {json.dumps(field_names)}; "
            "odoo.startTour('spm_phone_forms_tour', {stepDelay: 0})",
        )

    def test_the_lists_of_a_visit_fit_a_phone(self):
        self.assertEqual(len(self.visit.visit_photo_ids), 1)
        self.assertEqual(len(self.visit.competitor_observation_ids), 2)
        self._check_form(
            f"/odoo/action-sales_process_mgmt.spm_visit_action/{self.visit.id}",
            ["visit_photo_ids", "competitor_observation_ids", "spm_offline_action_ids"],
        )

    def test_the_lists_of_a_customer_fit_a_phone(self):
        self._check_form(
            f"/odoo/action-sales_process_mgmt.spm_partner_archive_action/{self.customer.id}",
            ["child_ids"],
        )
