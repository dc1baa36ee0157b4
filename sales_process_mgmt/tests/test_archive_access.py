from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import SpmCommon


@tagged("post_install", "-at_install")
class TestArchiveAccess(SpmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.competitor = cls.env["res.partner"].create({"name": "Rival", "is_company": True})
        cls.observation = cls.env["spm.competitor.product"].create(
            {
                "name": "H8",
                "competitor_id": cls.competitor.id,
                "observed_by_id": cls.rep_colleague.id,
            }
        )
        cls.pr_record = cls.env["spm.pr.record"].create(
            {"organisation": "Commerce Bureau", "user_id": cls.rep_colleague.id}
        )
        cls.other_observation = cls.env["spm.competitor.product"].create(
            {
                "name": "Other company's H8",
                "competitor_id": cls.competitor.id,
                "company_id": cls.other_company.id,
            }
        )
        cls.other_pr_record = cls.env["spm.pr.record"].create(
            {"organisation": "Other Bureau", "company_id": cls.other_company.id}
        )
        cls.other_region = cls.env["spm.region"].create(
            {"name": "Other North", "company_id": cls.other_company.id}
        )

    def test_rep_reads_every_archive_of_the_company(self):
        env = self.env(user=self.rep)
        self.assertEqual(env["res.partner"].browse(self.dealer.id).spm_archive_type, "dealer")
        self.assertIn(self.observation, env["spm.competitor.product"].search([]))
        self.assertIn(self.pr_record, env["spm.pr.record"].search([]))
        self.assertIn(self.region_sh, env["spm.region"].search([]))

    def test_rep_edits_a_colleagues_customer_archive(self):
        """Customers belong to the company: any rep keeps the archive alive."""
        self.dealer.with_user(self.rep).write({"spm_tier": "B"})
        self.assertEqual(self.dealer.spm_tier, "B")

    def test_rep_cannot_edit_regions(self):
        region = self.region_sh.with_user(self.rep)
        with self.assertRaises(AccessError):
            region.name = "Renamed"
        with self.assertRaises(AccessError):
            self.env["spm.region"].with_user(self.rep).create({"name": "New"})
        with self.assertRaises(AccessError):
            region.unlink()

    def test_manager_edits_regions(self):
        self.region_sh.with_user(self.manager).name = "Shanghai City"
        self.assertEqual(self.region_sh.complete_name, "East / Shanghai City")

    def test_rep_cannot_change_settings(self):
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.rep).create(
                {"spm_archive_stale_days": 5}
            )
        with self.assertRaises(AccessError):
            self.company.with_user(self.rep).spm_archive_stale_days = 5

    def test_rep_records_and_edits_own_observations_only(self):
        own = (
            self.env["spm.competitor.product"]
            .with_user(self.rep)
            .create({"name": "J5", "competitor_id": self.competitor.id})
        )
        own.price = 3499
        with self.assertRaises(AccessError):
            self.observation.with_user(self.rep).price = 1
        with self.assertRaises(AccessError):
            own.unlink()

    def test_rep_edits_own_pr_records_only(self):
        own = self.env["spm.pr.record"].with_user(self.rep).create({"organisation": "Media"})
        own.risk_level = "high"
        with self.assertRaises(AccessError):
            self.pr_record.with_user(self.rep).risk_level = "high"

    def test_manager_edits_everything_of_the_company(self):
        self.observation.with_user(self.manager).price = 10
        self.pr_record.with_user(self.manager).risk_level = "medium"
        self.observation.with_user(self.manager).unlink()
        self.assertFalse(self.observation.exists())

    def test_other_company_archives_are_invisible(self):
        env = self.env(user=self.rep)
        self.assertNotIn(self.other_observation, env["spm.competitor.product"].search([]))
        self.assertNotIn(self.other_pr_record, env["spm.pr.record"].search([]))
        self.assertNotIn(self.other_region, env["spm.region"].search([]))
        with self.assertRaises(AccessError):
            self.other_observation.with_user(self.rep).read(["name"])
        other_env = self.env(user=self.other_rep)
        self.assertNotIn(self.observation, other_env["spm.competitor.product"].search([]))

    def test_rep_cannot_hand_an_observation_to_a_colleague(self):
        own = (
            self.env["spm.competitor.product"]
            .with_user(self.rep)
            .create({"name": "J5", "competitor_id": self.competitor.id})
        )
        with self.assertRaisesRegex(AccessError, "(?i)who made an observation"):
            own.observed_by_id = self.rep_colleague

    def test_rep_cannot_hand_a_pr_record_to_a_colleague(self):
        own = self.env["spm.pr.record"].with_user(self.rep).create({"organisation": "Media"})
        with self.assertRaisesRegex(AccessError, "(?i)who is responsible for a PR record"):
            own.user_id = self.rep_colleague
        self.pr_record.with_user(self.manager).user_id = self.rep
        self.assertEqual(self.pr_record.user_id, self.rep)

    def test_rep_sending_wrong_values_gets_a_clear_refusal(self):
        observation = self.observation.with_user(self.rep_colleague)
        with self.assertRaisesRegex(ValidationError, "Market Share .*must be a finite number"):
            observation.write({"share_estimate": float("nan")})
        with self.assertRaisesRegex(ValidationError, "Region of Competitor Product Archive"):
            observation.write({"region_id": "abc"})
        pr_record = self.pr_record.with_user(self.rep_colleague)
        with self.assertRaisesRegex(ValidationError, "Last Contact Date .*a date that exists"):
            pr_record.write({"last_contact_date": "2026-02-30"})
        with self.assertRaisesRegex(ValidationError, "Risk of Public Relations Archive"):
            pr_record.write({"risk_level": ["high"]})
