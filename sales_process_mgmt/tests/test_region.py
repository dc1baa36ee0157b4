from psycopg2 import IntegrityError

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SpmCommon


@tagged("post_install", "-at_install")
class TestRegion(SpmCommon):
    def test_complete_name_follows_the_hierarchy(self):
        pudong = self.env["spm.region"].create({"name": "Pudong", "parent_id": self.region_sh.id})
        self.assertEqual(pudong.complete_name, "East / Shanghai / Pudong")
        self.region_east.name = "East China"
        self.assertEqual(pudong.complete_name, "East China / Shanghai / Pudong")

    def test_recursion_is_refused(self):
        pudong = self.env["spm.region"].create({"name": "Pudong", "parent_id": self.region_sh.id})
        with self.assertRaisesRegex(ValidationError, "cannot be its own parent"):
            self.region_east.parent_id = pudong
        with self.assertRaisesRegex(ValidationError, "cannot be its own parent"):
            self.region_sh.parent_id = self.region_sh

    def test_parent_given_as_text_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "Parent Region of Sales Region must be"):
            self.region_sh.write({"parent_id": "abc"})
        with self.assertRaisesRegex(ValidationError, "Parent Region of Sales Region must be"):
            self.env["spm.region"].create({"name": "West", "parent_id": [self.region_east.id]})

    def test_code_longer_than_its_limit_is_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "Code of Sales Region must be a text of at most"
        ):
            self.env["spm.region"].create({"name": "West", "code": "W" * 10_000})

    def test_code_is_unique_per_company(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["spm.region"].create({"name": "Dup", "code": "E"})
        other = self.env["spm.region"].create(
            {"name": "East", "code": "E", "company_id": self.other_company.id}
        )
        self.assertTrue(other)

    def test_customers_are_found_through_parent_regions(self):
        self.assertEqual(self.region_east.partner_count, 1)
        found = self.env["res.partner"].search([("spm_region_id", "child_of", self.region_east.id)])
        self.assertEqual(found, self.dealer)
        action = self.region_east.action_view_partners()
        self.assertEqual(self.env["res.partner"].search(action["domain"]), self.dealer)

    def test_region_with_sub_regions_cannot_be_deleted(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.region_east.unlink()

    def test_recursion_message_names_the_region_at_fault(self):
        west = self.env["spm.region"].create({"name": "West"})
        pudong = self.env["spm.region"].create({"name": "Pudong", "parent_id": self.region_sh.id})
        with self.assertRaisesRegex(ValidationError, r"inside East / Shanghai:") as caught:
            (self.region_sh | west).write({"parent_id": pudong.id})
        self.assertNotIn("West", str(caught.exception))

    def test_region_used_by_a_customer_cannot_be_deleted(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.region_sh.unlink()
        self.assertEqual(self.dealer.spm_region_id, self.region_sh)

    def test_region_refuses_a_parent_of_another_company(self):
        mine = self.env["spm.region"].create({"name": "Mine", "company_id": self.company.id})
        foreign = self.env["spm.region"].create(
            {"name": "Foreign", "company_id": self.other_company.id}
        )
        with self.assertRaisesRegex(UserError, "belongs to another company"):
            mine.parent_id = foreign
