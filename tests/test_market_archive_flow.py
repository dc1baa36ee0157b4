"""A sales manager sets up the market, a rep builds and reviews a customer's
archive, and the contact book comes out of it."""

from pathlib import Path

from e2e_common import EndToEndCase
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.modules.module import get_module_path
from odoo.tests import Form, new_test_user


class TestMarketArchiveFlow(EndToEndCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env, login="e2e_manager", groups="sales_team.group_sale_manager"
        )
        cls.rep = new_test_user(cls.env, login="e2e_rep", groups="sales_team.group_sale_salesman")

    def test_addon_is_installed_from_its_wheel(self):
        path = Path(get_module_path("sales_process_mgmt"))
        self.assertEqual(path.parent.name, "addons")
        self.assertEqual(path.parent.parent.name, "odoo")
        self.assertIn("site-packages", path.parts)

    def test_archive_lifecycle(self):
        regions = self.env["spm.region"].with_user(self.manager)
        east = regions.create({"name": "East China", "code": "E2E-EC"})
        suzhou = regions.create({"name": "Suzhou", "code": "E2E-SZ", "parent_id": east.id})
        with self.assertRaises(AccessError):
            regions.with_user(self.rep).create({"name": "Rogue region"})

        with freeze_time("2026-03-01"):
            with Form(self.env["res.partner"].with_user(self.rep)) as form:
                form.company_type = "company"
                form.name = "Hengda Telecom"
                form.spm_archive_type = "dealer"
                form.spm_channel_level = "2"
                form.spm_region_id = suzhou
                form.spm_tier = "B"
                form.spm_credit_rating = "B"
                form.spm_payday = "15"
            dealer = form.record
            self.assertTrue(dealer.spm_archive_stale, "a new archive waits for its first review")

            boss = (
                self.env["res.partner"]
                .with_user(self.rep)
                .create(
                    {
                        "name": "Sun Hai",
                        "parent_id": dealer.id,
                        "type": "contact",
                        "function": "Owner",
                        "spm_is_key_person": True,
                        "spm_decision_role": "decision_maker",
                        "spm_background": "Ten years in local retail",
                    }
                )
            )
            before = dealer.spm_archive_completeness
            dealer.with_user(self.rep).write(
                {
                    "spm_economic_nature": "individual",
                    "spm_employee_count": 25,
                    "spm_annual_revenue": 8_000_000,
                    "spm_network_region_ids": [(6, 0, suzhou.ids)],
                    "spm_main_products": "Phones",
                    "spm_annual_sales": 6_500_000,
                }
            )
            self.assertGreater(dealer.spm_archive_completeness, before)
            self.assertEqual(dealer.spm_archive_completeness, 100)
            dealer.with_user(self.rep).action_spm_mark_reviewed()
            self.assertFalse(dealer.spm_archive_stale)

        with freeze_time("2026-07-01"):
            dealer.invalidate_recordset(["spm_archive_stale"])
            due = self.env["res.partner"].search([("spm_archive_stale", "=", True)])
            self.assertIn(dealer, due, "four months later the archive is due again")
            in_east = self.env["res.partner"].search([("spm_region_id", "child_of", east.id)])
            self.assertIn(dealer, in_east)

        report = self.env.ref("sales_process_mgmt.spm_contact_book_report").with_user(self.rep)
        html = report._render_qweb_html(report.report_name, dealer.ids)[0].decode()
        self.assertIn("Sun Hai", html)
        self.assertIn("Ten years in local retail", html)
        self.assertEqual(boss.commercial_partner_id, dealer)
