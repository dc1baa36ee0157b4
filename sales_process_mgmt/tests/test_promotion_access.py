from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common_promotion import SpmPromotionCommon


@tagged("post_install", "-at_install")
class TestPromotionAccess(SpmPromotionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._run()
        cls.cost = cls._cost(partner_id=cls.customer.id)

    def test_rep_reads_the_campaigns_of_the_company(self):
        campaign = self.campaign.with_user(self.rep)
        self.assertEqual(campaign.name, "Spring Trade-in")
        self.assertIn(self.campaign, self.Campaign.with_user(self.rep).search([]))
        self.assertEqual(campaign.cost_ids.name, "Light box")

    def test_rep_does_not_plan_campaigns(self):
        with self.assertRaises(AccessError):
            self.Campaign.with_user(self.rep).create(
                {"name": "Mine", "date_start": date(2026, 3, 1), "date_end": date(2026, 3, 2)}
            )
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.rep).budget_amount = 10.0
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.rep).unlink()

    def test_rep_reads_costs_but_does_not_change_them(self):
        cost = self.cost.with_user(self.rep)
        self.assertEqual(cost.planned_amount, 1000.0)
        with self.assertRaises(AccessError):
            cost.planned_amount = 2000.0
        with self.assertRaises(AccessError):
            self._cost(name="Mine").with_user(self.rep).unlink()
        with self.assertRaises(AccessError):
            self.env["spm.promotion.cost"].with_user(self.rep).create(
                {"campaign_id": self.campaign.id, "name": "Mine"}
            )

    def test_manager_plans_campaigns_and_costs(self):
        campaign = self.Campaign.with_user(self.manager).create(
            {"name": "Summer", "date_start": date(2026, 7, 1), "date_end": date(2026, 7, 31)}
        )
        self._cost(campaign, name="Posters")
        self.assertEqual(campaign.cost_ids.name, "Posters")
        campaign.unlink()

    def test_other_company_sees_nothing(self):
        for model in ("spm.promotion.campaign", "spm.promotion.cost", "spm.promotion.report"):
            with self.subTest(model=model):
                self.assertFalse(self.env[model].with_user(self.other_rep).search([]))
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.other_rep).read(["name"])

    def test_rep_records_on_own_visits_and_reads_the_others(self):
        own = self._execution(self._outlet_visit(verified=False))
        colleague_visit = self._outlet_visit(partner=self.counter, verified=False)
        colleague_visit.sudo()._spm_protected().user_id = self.rep_colleague
        colleague = self._execution(colleague_visit, user=self.rep_colleague)
        Execution = self.env["spm.promotion.execution"].with_user(self.rep)
        found = Execution.search([("campaign_id", "=", self.campaign.id)])
        self.assertEqual(found, own | colleague)
        own.with_user(self.rep).note = "Standee missing"
        with self.assertRaises(AccessError):
            colleague.with_user(self.rep).note = "Not mine"
        with self.assertRaises(AccessError):
            colleague.with_user(self.rep).unlink()
        own.with_user(self.rep).unlink()

    def test_rep_reads_the_campaign_figures(self):
        campaign = self.campaign.with_user(self.rep)
        self.assertEqual(campaign.sales_amount, 0.0)
        self.assertEqual(campaign.verified_outlet_count, 0)
