import importlib.util
from pathlib import Path
from unittest.mock import Mock, patch

from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common_visit import SHOP, SpmVisitCommon

# Where the rep stands, about 1.1 km north of the shop
STREET_CORNER = (SHOP[0] + 0.01, SHOP[1])
GEOCODER_HTTP = "odoo.addons.base_geolocalize.models.base_geocoder.requests.get"


@tagged("post_install", "-at_install")
class TestVisitLocation(SpmVisitCommon):
    """A check-in is verified only against a customer location that a sales manager or
    an administrator set or confirmed; a rep's coordinates are logged and unconfirmed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = new_test_user(
            cls.env,
            login="spm_settings_admin",
            groups="base.group_user,base.group_partner_manager,base.group_system",
        )
        cls.env["ir.config_parameter"].set_param(
            "base_geolocalize.geo_provider",
            cls.env.ref("base_geolocalize.geoprovider_open_street").id,
        )

    def setUp(self):
        super().setUp()
        self.rep_customer = self.customer.with_user(self.rep)
        self.visit = self._visit(outcome="Met the owner")
        self.rep_visit = self.visit.with_user(self.rep)

    def _rep_moves_customer(self, position=STREET_CORNER):
        self.rep_customer.write({"partner_latitude": position[0], "partner_longitude": position[1]})

    def _geocode(self, partner, position):
        response = Mock(status_code=200)
        response.json.return_value = [{"lat": str(position[0]), "lon": str(position[1])}]
        partner.write({"street": "Nanjing Road 1", "city": "Shanghai"})
        with patch(GEOCODER_HTTP, return_value=response) as http:
            partner.with_context(force_geo_localize=True).geo_localize()
        http.assert_called_once()

    def test_location_set_by_the_superuser_is_confirmed(self):
        # the shared customer was created by the superuser, as a cron or an import
        self.assertTrue(self.customer.spm_location_confirmed)
        self.assertEqual(self.customer.spm_location_set_by_id, self.env.user)

    def test_rep_moving_customer_location_does_not_verify_check_in(self):
        self._rep_moves_customer()
        self.rep_visit.action_check_in(latitude=STREET_CORNER[0], longitude=STREET_CORNER[1])
        self.assertEqual(self.visit.location_status, "location_unconfirmed")
        self.assertFalse(self.visit.location_verified)
        self.assertEqual(self.visit.check_in_distance_m, 0)
        self.assertIn(
            "Checked in: 0 m from the customer (Location Unconfirmed)",
            self.visit.message_ids[0].body,
        )

    def test_check_in_against_an_unconfirmed_location_keeps_its_distance(self):
        self._rep_moves_customer()
        self.rep_visit.action_check_in(latitude=SHOP[0], longitude=SHOP[1])
        self.assertEqual(self.visit.location_status, "location_unconfirmed")
        self.assertAlmostEqual(self.visit.check_in_distance_m, 1112, delta=2)

    def test_rep_moving_customer_location_is_logged_old_to_new(self):
        self._rep_moves_customer()
        self.assertFalse(self.customer.spm_location_confirmed)
        self.assertEqual(self.customer.spm_location_set_by_id, self.rep)
        self.assertTrue(self.customer.spm_location_set_on)
        body = self.customer.message_ids[0].body
        self.assertIn("Location set by spm_rep", body)
        self.assertIn("31.230400, 121.473700 → 31.240400, 121.473700", body)
        self.assertIn("unconfirmed until a sales manager confirms it", body)

    def test_rep_rewriting_the_same_location_changes_nothing(self):
        messages = self.customer.message_ids
        self._rep_moves_customer(SHOP)
        self.assertTrue(self.customer.spm_location_confirmed)
        self.assertEqual(self.customer.message_ids, messages)

    def test_manager_confirms_location_then_check_in_is_verified(self):
        self._rep_moves_customer()
        self.customer.with_user(self.manager).action_spm_confirm_location()
        self.assertTrue(self.customer.spm_location_confirmed)
        self.assertIn("confirmed by spm_manager", self.customer.message_ids[0].body)
        self.rep_visit.action_check_in(latitude=STREET_CORNER[0], longitude=STREET_CORNER[1])
        self.assertEqual(self.visit.location_status, "verified")
        self.assertTrue(self.visit.location_verified)

    def test_manager_setting_location_confirms_it(self):
        self._rep_moves_customer()
        self.customer.with_user(self.manager).write(
            {"partner_latitude": SHOP[0], "partner_longitude": SHOP[1]}
        )
        self.assertTrue(self.customer.spm_location_confirmed)
        self.assertEqual(self.customer.spm_location_set_by_id, self.manager)
        self.rep_visit.action_check_in(latitude=SHOP[0], longitude=SHOP[1])
        self.assertEqual(self.visit.location_status, "verified")

    def test_manager_may_leave_a_location_he_sets_unconfirmed(self):
        self.customer.with_user(self.manager).write(
            {
                "partner_latitude": STREET_CORNER[0],
                "partner_longitude": STREET_CORNER[1],
                "spm_location_confirmed": False,
            }
        )
        self.assertFalse(self.customer.spm_location_confirmed)

    def test_administrator_setting_location_confirms_it(self):
        self._rep_moves_customer()
        self.customer.with_user(self.admin).write(
            {"partner_latitude": SHOP[0], "partner_longitude": SHOP[1]}
        )
        self.assertTrue(self.customer.spm_location_confirmed)

    def test_rep_cannot_confirm_a_location(self):
        self._rep_moves_customer()
        with self.assertRaisesRegex(AccessError, "Only a sales manager may confirm"):
            self.rep_customer.action_spm_confirm_location()
        with self.assertRaisesRegex(
            AccessError,
            "Location Confirmed cannot be written directly: .* confirmed by a sales "
            "manager with Confirm Location",
        ):
            self.rep_customer.write({"spm_location_confirmed": True})
        self.assertFalse(self.customer.spm_location_confirmed)

    def test_rep_moving_a_location_with_its_flag_still_leaves_it_unconfirmed(self):
        # the flag is unchanged, so the write goes through, but the move is the rep's
        self.rep_customer.write(
            {
                "partner_latitude": STREET_CORNER[0],
                "partner_longitude": STREET_CORNER[1],
                "spm_location_confirmed": True,
            }
        )
        self.assertFalse(self.customer.spm_location_confirmed)

    def test_nobody_writes_who_set_the_location(self):
        for partner in (self.customer.with_user(self.manager), self.customer.sudo()):
            with self.assertRaisesRegex(AccessError, "Location Set By cannot be written"):
                partner.write({"spm_location_set_by_id": self.manager.id})

    def test_manager_cannot_confirm_a_customer_without_location(self):
        with self.assertRaisesRegex(UserError, "has no location to confirm"):
            self.dealer.with_user(self.manager).action_spm_confirm_location()

    def test_rep_creating_a_located_customer_is_unconfirmed(self):
        partner = (
            self.env["res.partner"]
            .with_user(self.rep)
            .create(
                {
                    "name": "Corner Shop",
                    "is_company": True,
                    "partner_latitude": STREET_CORNER[0],
                    "partner_longitude": STREET_CORNER[1],
                }
            )
        )
        self.assertFalse(partner.spm_location_confirmed)
        self.assertEqual(partner.spm_location_set_by_id, self.rep)
        self.assertIn("— → 31.240400, 121.473700", partner.message_ids[0].body)

    def test_rep_cannot_create_a_customer_with_a_confirmed_location(self):
        with self.assertRaisesRegex(AccessError, "Location Confirmed cannot be written"):
            self.env["res.partner"].with_user(self.rep).create(
                {
                    "name": "Corner Shop",
                    "partner_latitude": STREET_CORNER[0],
                    "partner_longitude": STREET_CORNER[1],
                    "spm_location_confirmed": True,
                }
            )

    def test_rep_copying_a_confirmed_customer_gets_an_unconfirmed_location(self):
        copy = self.rep_customer.copy({"name": "Nanjing Road Outlet 2"})
        self.assertEqual(copy.partner_latitude, SHOP[0])
        self.assertFalse(copy.spm_location_confirmed)
        self.assertTrue(self.customer.spm_location_confirmed)

    def test_rep_moving_location_in_the_form_is_unconfirmed(self):
        with Form(self.rep_customer) as form:
            form.partner_latitude = STREET_CORNER[0]
        self.assertFalse(self.customer.spm_location_confirmed)
        self.assertEqual(self.customer.spm_location_set_by_id, self.rep)

    def test_address_change_by_a_rep_clears_the_location(self):
        self.rep_customer.write({"street": "Huaihai Road 2"})
        self.assertFalse(self.customer.partner_latitude)
        self.assertIn("→ — (not located)", self.customer.message_ids[0].body)
        self.rep_visit.action_check_in(latitude=SHOP[0], longitude=SHOP[1])
        self.assertEqual(self.visit.location_status, "no_customer_location")

    def test_geocode_triggered_by_a_rep_is_unconfirmed(self):
        self._geocode(self.rep_customer, STREET_CORNER)
        self.assertAlmostEqual(self.customer.partner_latitude, STREET_CORNER[0])
        self.assertFalse(self.customer.spm_location_confirmed)
        self.rep_visit.action_check_in(latitude=STREET_CORNER[0], longitude=STREET_CORNER[1])
        self.assertEqual(self.visit.location_status, "location_unconfirmed")

    def test_geocode_run_by_a_manager_is_confirmed(self):
        self._geocode(self.customer.with_user(self.manager), STREET_CORNER)
        self.assertTrue(self.customer.spm_location_confirmed)
        self.assertEqual(self.customer.spm_location_set_by_id, self.manager)

    def test_geocode_run_by_a_scheduled_action_is_confirmed(self):
        self._rep_moves_customer()
        self._geocode(self.customer, SHOP)
        self.assertTrue(self.customer.spm_location_confirmed)

    def test_upgrade_keeps_existing_locations_confirmed(self):
        self.env.cr.execute(
            "UPDATE res_partner SET spm_location_confirmed = FALSE WHERE id IN %s",
            [(self.customer.id, self.dealer.id)],
        )
        self.env.invalidate_all()
        path = Path(__file__).parents[1] / "migrations/18.0.1.1.0/post-visit_locations.py"
        spec = importlib.util.spec_from_file_location("post_visit_locations", path)
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        # the function itself: the decorator reads the frame of Odoo's migration runner
        migration.migrate.__wrapped__(self.env, "18.0.1.0.0")
        self.env.invalidate_all()
        self.assertTrue(self.customer.spm_location_confirmed)
        self.assertFalse(self.dealer.spm_location_confirmed)  # not located
