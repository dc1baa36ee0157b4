import copy
from unittest.mock import Mock, patch

import requests

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_geo import PHONE, SpmGeoCommon, gcj02
from .common_visit import SHOP

AMAP_HTTP = "odoo.addons.sales_process_mgmt.models.base_geocoder_amap.requests.get"
# Amap's answer as its documentation gives it (v3/geocode/geo), for the shop's address;
# empty values are empty lists, as Amap writes them
SHOP_GCJ02 = gcj02(SHOP)
AMAP_ANSWER = {
    "status": "1",
    "info": "OK",
    "infocode": "10000",
    "count": "1",
    "geocodes": [
        {
            "formatted_address": "上海市黄浦区南京东路100号",
            "country": "中国",
            "province": "上海市",
            "citycode": "021",
            "city": "上海市",
            "district": "黄浦区",
            "township": [],
            "neighborhood": {"name": [], "type": []},
            "building": {"name": [], "type": []},
            "adcode": "310101",
            "street": "南京东路",
            "number": "100号",
            "location": f"{SHOP_GCJ02[1]:.6f},{SHOP_GCJ02[0]:.6f}",
            "level": "门牌号",
        }
    ],
}
BAD_KEY = {"status": "0", "info": "INVALID_USER_KEY", "infocode": "10001"}
NOTHING_FOUND = {"status": "1", "info": "OK", "infocode": "10000", "count": "0", "geocodes": []}


def level(name):
    answer = copy.deepcopy(AMAP_ANSWER)
    answer["geocodes"][0]["level"] = name
    return answer


@tagged("post_install", "-at_install")
class TestGeoAmap(SpmGeoCommon):
    """Customers geocoded by Amap through base_geolocalize: GCJ-02, confirmed only at
    the door and when no rep asked for it, errors in words."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ICP = cls.env["ir.config_parameter"]
        ICP.set_param(
            "base_geolocalize.geo_provider",
            cls.env.ref("sales_process_mgmt.spm_geo_provider_amap").id,
        )
        ICP.set_param("sales_process_mgmt.amap_api_key", "test-key")
        cls.customer.write(
            {
                "street": "南京东路100号",
                "city": "上海",
                "state_id": cls.env.ref("base.state_cn_SH").id,
                "country_id": cls.env.ref("base.cn").id,
                "partner_latitude": SHOP[0],
                "partner_longitude": SHOP[1],
            }
        )

    def _geocode(self, partner, answer=AMAP_ANSWER, **mock):
        response = Mock(status_code=200)
        response.json.return_value = answer
        with patch(AMAP_HTTP, return_value=response, **mock) as http:
            partner.with_context(force_geo_localize=True).geo_localize()
        return http

    def test_manager_geocode_at_the_door_is_gcj02_and_confirmed(self):
        http = self._geocode(self.customer.with_user(self.manager))
        self.assertAlmostEqual(self.customer.partner_latitude, SHOP_GCJ02[0], places=6)
        self.assertAlmostEqual(self.customer.partner_longitude, SHOP_GCJ02[1], places=6)
        self.assertEqual(self.customer.spm_geo_datum, "gcj02")
        self.assertTrue(self.customer.spm_location_confirmed)
        params = http.call_args.kwargs["params"]
        self.assertEqual(params["key"], "test-key")
        self.assertEqual(params["address"], "上海市南京东路100号")
        # and the rep standing 20 m from the door is verified
        visit = self._visit().with_user(self.rep)
        visit.action_check_in(latitude=PHONE[0], longitude=PHONE[1])
        self.assertEqual(visit.location_status, "verified")
        self.assertAlmostEqual(visit.check_in_distance_m, 20, delta=1)

    def test_geocode_of_a_named_place_is_confirmed(self):
        self._geocode(self.customer, level("兴趣点"))
        self.assertTrue(self.customer.spm_location_confirmed)

    def test_geocode_triggered_by_a_rep_stays_unconfirmed(self):
        self._geocode(self.customer.with_user(self.rep))
        self.assertEqual(self.customer.spm_geo_datum, "gcj02")
        self.assertFalse(self.customer.spm_location_confirmed)
        self.assertEqual(self.customer.spm_location_set_by_id, self.rep)

    def test_city_level_result_stays_unconfirmed(self):
        for name in ("市", "区县", "道路"):
            self.customer.with_user(self.manager).write({"partner_latitude": 31.0})
            self._geocode(self.customer.with_user(self.manager), level(name))
            self.assertAlmostEqual(self.customer.partner_latitude, SHOP_GCJ02[0], places=6)
            self.assertFalse(self.customer.spm_location_confirmed, name)
            self.assertIn("unconfirmed", self.customer.message_ids[0].body)

    def test_city_level_result_of_a_scheduled_action_stays_unconfirmed(self):
        self.customer.with_user(self.rep).write({"partner_latitude": 31.0})
        self._geocode(self.customer, level("市"))
        self.assertFalse(self.customer.spm_location_confirmed)

    def test_bad_key_is_a_clear_message(self):
        with self.assertRaisesRegex(UserError, "Amap refused the key \\(INVALID_USER_KEY\\)"):
            self._geocode(self.customer.with_user(self.manager), BAD_KEY)
        self.assertAlmostEqual(self.customer.partner_latitude, SHOP[0])

    def test_other_refusal_names_amap_reason(self):
        answer = {"status": "0", "info": "SERVICE_NOT_AVAILABLE", "infocode": "10002"}
        with self.assertRaisesRegex(UserError, "SERVICE_NOT_AVAILABLE \\(code 10002\\)"):
            self._geocode(self.customer.with_user(self.manager), answer)

    def test_empty_result_is_a_clear_message(self):
        with self.assertRaisesRegex(UserError, "Amap found no place for the address 上海市南京"):
            self._geocode(self.customer.with_user(self.manager), NOTHING_FOUND)

    def test_missing_key_is_a_clear_message(self):
        self.env["ir.config_parameter"].set_param("sales_process_mgmt.amap_api_key", False)
        with self.assertRaisesRegex(UserError, "needs an Amap web service key"):
            self._geocode(self.customer.with_user(self.manager))

    def test_unreachable_amap_is_a_clear_message(self):
        with self.assertRaisesRegex(UserError, "Amap could not be reached"):
            self._geocode(
                self.customer.with_user(self.manager),
                side_effect=requests.ConnectionError("no route to host"),
            )

    def test_unreadable_answer_is_a_clear_message(self):
        for answer in (["not", "a", "dict"], {"status": "1", "geocodes": [{"location": []}]}):
            with self.assertRaisesRegex(UserError, "could not be read"):
                self._geocode(self.customer.with_user(self.manager), answer)
        response = Mock(status_code=200)
        response.json.side_effect = ValueError("Expecting value")
        with patch(AMAP_HTTP, return_value=response):
            with self.assertRaisesRegex(UserError, "could not be read"):
                self.customer.with_context(force_geo_localize=True).geo_localize()

    def test_address_is_written_the_chinese_way(self):
        geocoder = self.env["base.geocoder"]
        self.assertEqual(
            geocoder._geo_query_address_amap(
                street="南京东路100号", zip="200001", city="上海", state="上海市", country="China"
            ),
            "上海市南京东路100号",
        )
        self.assertEqual(
            geocoder._geo_query_address_amap(street="上海市南京东路100号", state="上海市"),
            "上海市南京东路100号",
        )

    def test_coordinates_written_with_a_forged_geocode_context_are_no_geocode(self):
        self.company.spm_geo_datum_default = "bd09"
        self.customer.with_user(self.manager).with_context(spm_geocode={"precise": False}).write(
            {"partner_latitude": 31.3, "date_localization": "2026-03-02"}
        )
        self.assertEqual(self.customer.spm_geo_datum, "wgs84")
        self.assertTrue(self.customer.spm_location_confirmed)
