import prcoords

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from odoo.addons.sales_process_mgmt.models import spm_geo
from odoo.addons.sales_process_mgmt.models.spm_visit import distance_m

from .common_geo import PARIS, PHONE, SpmGeoCommon, bd09, gcj02
from .common_visit import SHOP


@tagged("post_install", "-at_install")
class TestGeoDatum(SpmGeoCommon):
    """A customer's coordinates record their datum; check-ins are measured in the
    phone's WGS-84 after converting them."""

    def setUp(self):
        super().setUp()
        self.visit = self._visit(outcome="Met the owner")
        self.rep_visit = self.visit.with_user(self.rep)

    # ------------------------------------------------------------------
    # Verification in one datum
    # ------------------------------------------------------------------
    def test_gcj02_customer_20_m_from_the_phone_is_verified(self):
        self._pin(self.customer, gcj02(SHOP), "gcj02")
        # read as they are, Amap's coordinates are hundreds of metres off the phone
        self.assertGreater(distance_m(*PHONE, *gcj02(SHOP)), 300)
        self.rep_visit.action_check_in(latitude=PHONE[0], longitude=PHONE[1])
        self.assertEqual(self.visit.location_status, "verified")
        self.assertAlmostEqual(self.visit.check_in_distance_m, 20, delta=0.5)

    def test_bd09_customer_20_m_from_the_phone_is_verified(self):
        self._pin(self.customer, bd09(SHOP), "bd09")
        self.assertGreater(distance_m(*PHONE, *bd09(SHOP)), 300)
        self.rep_visit.action_check_in(latitude=PHONE[0], longitude=PHONE[1])
        self.assertEqual(self.visit.location_status, "verified")
        self.assertAlmostEqual(self.visit.check_in_distance_m, 20, delta=0.5)

    def test_check_out_is_measured_in_the_same_datum(self):
        self._pin(self.customer, gcj02(SHOP), "gcj02")
        self.rep_visit.action_check_in(latitude=PHONE[0], longitude=PHONE[1])
        self.rep_visit.action_check_out(latitude=SHOP[0], longitude=SHOP[1])
        self.assertAlmostEqual(self.visit.check_out_distance_m, 0, delta=0.5)

    def test_wgs84_customer_is_measured_as_it_is(self):
        self._pin(self.customer, SHOP, "wgs84")
        self.rep_visit.action_check_in(latitude=PHONE[0], longitude=PHONE[1])
        self.assertAlmostEqual(self.visit.check_in_distance_m, 20, delta=0.5)

    def test_gcj02_customer_far_from_the_phone_is_too_far(self):
        self._pin(self.customer, gcj02(SHOP), "gcj02")
        # the phone stands where Amap's coordinates would be if read as WGS-84
        position = gcj02(SHOP)
        self.rep_visit.action_check_in(latitude=position[0], longitude=position[1])
        self.assertEqual(self.visit.location_status, "too_far")
        self.assertGreater(self.visit.check_in_distance_m, 300)

    def test_conversion_is_skipped_outside_china(self):
        self.assertEqual(spm_geo.to_wgs84(*PARIS, "gcj02"), PARIS)
        self.assertEqual(spm_geo.to_wgs84(*PARIS, "bd09"), PARIS)
        self.assertEqual(spm_geo.from_wgs84(*PARIS, "gcj02"), PARIS)
        self._pin(self.customer, PARIS, "wgs84")
        self.assertEqual(self.customer._spm_wgs84_position(), PARIS)

    def test_customer_position_in_wgs84(self):
        self._pin(self.customer, gcj02(SHOP), "gcj02")
        self.assertDistance(self.customer._spm_wgs84_position(), SHOP, 0, delta=0.01)
        self.assertIsNone(self.dealer._spm_wgs84_position())

    def test_verification_uses_the_precise_inverse(self):
        # prcoords' one-step inverses are off by metres; the iterated ones by less than
        # a millimetre
        for datum, forward, rough in (
            ("gcj02", gcj02, prcoords.gcj_wgs),
            ("bd09", bd09, prcoords.bd_wgs),
        ):
            shifted = forward(SHOP)
            self.assertDistance(spm_geo.to_wgs84(*shifted, datum), SHOP, 0, delta=0.001)
            self.assertGreater(distance_m(*rough(shifted), *SHOP), 0.5)

    def test_customer_without_datum_is_read_as_wgs84(self):
        # coordinates recorded before datums existed
        self.env.cr.execute(
            "UPDATE res_partner SET spm_geo_datum = NULL WHERE id = %s", [self.customer.id]
        )
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer._spm_wgs84_position(), SHOP)

    # ------------------------------------------------------------------
    # The datum of coordinates written without one
    # ------------------------------------------------------------------
    def test_new_coordinates_take_the_company_default_datum(self):
        self.company.spm_geo_datum_default = "gcj02"
        partner = self.env["res.partner"].create(
            {"name": "Amap Pin", "partner_latitude": 31.2, "partner_longitude": 121.4}
        )
        self.assertEqual(partner.spm_geo_datum, "gcj02")

    def test_new_customer_form_shows_the_company_default_datum(self):
        self.company.spm_geo_datum_default = "bd09"
        with Form(self.env["res.partner"].with_user(self.rep)) as form:
            form.name = "Baidu Pin"
            self.assertEqual(form.spm_geo_datum, "bd09")

    def test_coordinates_outside_china_are_wgs84_whatever_the_default(self):
        self.company.spm_geo_datum_default = "gcj02"
        partner = self.env["res.partner"].create(
            {"name": "Paris Shop", "partner_latitude": PARIS[0], "partner_longitude": PARIS[1]}
        )
        self.assertEqual(partner.spm_geo_datum, "wgs84")
        self._pin(self.customer, gcj02(SHOP), "gcj02")
        self.customer.write({"partner_latitude": PARIS[0], "partner_longitude": PARIS[1]})
        self.assertEqual(self.customer.spm_geo_datum, "wgs84")

    def test_moved_coordinates_keep_the_partner_datum(self):
        self._pin(self.customer, gcj02(SHOP), "gcj02")
        self.company.spm_geo_datum_default = "bd09"
        self.customer.write({"partner_latitude": 31.3})
        self.assertEqual(self.customer.spm_geo_datum, "gcj02")

    # ------------------------------------------------------------------
    # Refusals
    # ------------------------------------------------------------------
    def test_datum_not_in_the_list_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Coordinate Datum .* must be one of wgs84"):
            self.customer.with_user(self.rep).write({"spm_geo_datum": "utm"})
        with self.assertRaisesRegex(ValidationError, "Coordinate Datum"):
            self.customer.with_user(self.rep).write({"spm_geo_datum": ["gcj02"]})

    def test_coordinates_out_of_range_are_refused(self):
        for latitude, longitude in ((95.0, 121.4), (31.2, 181.0), (-91.0, 0.5)):
            with self.assertRaisesRegex(ValidationError, "out of range"):
                self.customer.write({"partner_latitude": latitude, "partner_longitude": longitude})
        self.assertEqual(self.customer.partner_latitude, SHOP[0])

    def test_coordinates_that_are_no_numbers_are_refused(self):
        for value in ("north", True, float("nan"), float("inf"), [31.2]):
            with self.assertRaisesRegex(ValidationError, "Latitude must be a number"):
                self.customer.with_user(self.rep).write({"partner_latitude": value})
        with self.assertRaisesRegex(ValidationError, "Longitude must be a number"):
            self.env["res.partner"].create({"name": "Odd", "partner_longitude": "east"})

    def test_chinese_datum_outside_china_is_refused(self):
        for datum in ("gcj02", "bd09"):
            with self.assertRaisesRegex(ValidationError, "outside mainland China"):
                self.env["res.partner"].create(
                    {
                        "name": "Paris Shop",
                        "partner_latitude": PARIS[0],
                        "partner_longitude": PARIS[1],
                        "spm_geo_datum": datum,
                    }
                )
        self._pin(self.customer, PARIS, "wgs84")
        with self.assertRaisesRegex(ValidationError, "GCJ-02 is not used"):
            self.customer.write({"spm_geo_datum": "gcj02"})

    def test_swapped_coordinates_in_a_chinese_datum_are_refused(self):
        # longitude first, as Amap writes them
        with self.assertRaisesRegex(ValidationError, "Amap writes the longitude first"):
            self.customer.write(
                {"partner_latitude": 121.4, "partner_longitude": 31.2, "spm_geo_datum": "gcj02"}
            )

    # ------------------------------------------------------------------
    # Who changes a datum
    # ------------------------------------------------------------------
    def test_rep_changing_the_datum_leaves_the_location_unconfirmed(self):
        self.assertTrue(self.customer.spm_location_confirmed)
        self.customer.with_user(self.rep).write({"spm_geo_datum": "gcj02"})
        self.assertFalse(self.customer.spm_location_confirmed)
        self.assertEqual(self.customer.spm_location_set_by_id, self.rep)
        self.assertIn(
            "31.230400, 121.473700 (WGS-84) → 31.230400, 121.473700 (GCJ-02)",
            self.customer.message_ids[0].body,
        )
        self.rep_visit.action_check_in(latitude=PHONE[0], longitude=PHONE[1])
        self.assertEqual(self.visit.location_status, "location_unconfirmed")

    def test_rep_changing_the_datum_in_the_form_leaves_it_unconfirmed(self):
        with Form(self.customer.with_user(self.rep)) as form:
            form.spm_geo_datum = "bd09"
        self.assertFalse(self.customer.spm_location_confirmed)

    def test_rep_writing_the_same_datum_changes_nothing(self):
        messages = self.customer.message_ids
        self.customer.with_user(self.rep).write({"spm_geo_datum": "wgs84"})
        self.assertTrue(self.customer.spm_location_confirmed)
        self.assertEqual(self.customer.message_ids, messages)

    def test_datum_of_a_customer_without_coordinates_is_no_location_change(self):
        messages = self.dealer.message_ids
        self.dealer.with_user(self.rep).write({"spm_geo_datum": "gcj02"})
        self.assertEqual(self.dealer.message_ids, messages)
        self.assertFalse(self.dealer.spm_location_set_by_id)

    def test_manager_changing_the_datum_confirms_it(self):
        self.customer.with_user(self.rep).write({"spm_geo_datum": "gcj02"})
        self.customer.with_user(self.manager).write({"spm_geo_datum": "wgs84"})
        self.assertTrue(self.customer.spm_location_confirmed)

    def test_rep_cannot_change_the_company_default(self):
        with self.assertRaises(AccessError):
            self.company.with_user(self.rep).write({"spm_geo_datum_default": "gcj02"})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.rep).create(
                {"spm_geo_datum_default": "gcj02"}
            )
        self.assertEqual(self.company.spm_geo_datum_default, "wgs84")

    def test_company_default_is_set_in_the_sales_settings(self):
        settings = self.env["res.config.settings"].create({"spm_geo_datum_default": "bd09"})
        settings.execute()
        self.assertEqual(self.company.spm_geo_datum_default, "bd09")
