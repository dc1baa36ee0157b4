from datetime import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_pop import NOW, PHOTO, TODAY, SpmPopCommon
from .common_promotion import SpmPromotionCommon


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestPromotionPopCost(SpmPromotionCommon, SpmPopCommon):
    """Campaign 1-10 March 2026 at Nanjing Road and the Xujiahui counter, compared with
    19-28 February: phones at Nanjing Road, 10 before (margin 4000) and 15 during
    (margin 6000), uplift margin 2000; a cost line of 500 at Nanjing Road.

    POP for the campaign (poster 15, light box 1200):

    ==============  ==========================================  ======  =======
    outlet          deployment                                  cost    counted
    ==============  ==========================================  ======  =======
    Nanjing Road    light box, installed                        1200    yes
    Nanjing Road    3 posters, installed then taken down          45    yes
    Nanjing Road    5 posters planned, removed before put up      75    no
    counter         4 posters, installed                          60    yes
    counter         1 poster, installed then written off          15    yes
    counter         2 posters, planned                            30    no
    Nanjing Road    light box without campaign                  1200    no
    ==============  ==========================================  ======  =======

    POP 1320; cost 500 + 1320 = 1820; ROI = (2000 - 1820) / 1820 = 9.89 %.
    Nanjing Road: cost 500 + 1245 = 1745, ROI = (2000 - 1745) / 1745 = 14.61 %;
    the counter: cost 75, no uplift, ROI -100 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._run()
        customer, counter, phone = cls.customer, cls.counter, cls.phone
        cls._order(customer, datetime(2026, 2, 20, 3, 0), [(phone, 10)])
        cls._order(customer, datetime(2026, 3, 5, 3, 0), [(phone, 15)])
        cls._cost(partner_id=customer.id, actual_amount=500.0)
        campaign = {"campaign_id": cls.campaign.id}
        installed = {"installed_on": "2026-03-01", **campaign}
        with freeze_time(NOW):
            cls.light_box_pop = cls._deployment(cls.light_box, **installed)
            cls.taken_down = cls._deployment(qty=3, **installed)
            cls.taken_down.action_remove()
            cls.never_put_up = cls._deployment(qty=5, **campaign)
            cls.never_put_up.action_remove()
            cls.counter_posters = cls._deployment(
                partner=counter, qty=4, installed_on="2026-03-02", **campaign
            )
            cls.written_off = cls._deployment(partner=counter, **installed)
            cls.env["spm.pop.writeoff"].with_user(cls.manager).create(
                {"deployment_id": cls.written_off.id, "reason": "Torn by a customer"}
            )
            cls.planned = cls._deployment(partner=counter, qty=2, **campaign)
            cls.elsewhere = cls._deployment(cls.light_box, installed_on="2026-03-01")
        cls.Report = cls.env["spm.promotion.report"]

    def _report(self, groupby):
        rows = self.Report.read_group(
            [("campaign_id", "=", self.campaign.id)],
            ["uplift_margin:sum", "cost:sum", "pop_cost:sum", "roi"],
            groupby,
            lazy=False,
        )
        return {row[groupby[0]] and row[groupby[0]][0]: row for row in rows}

    def test_the_campaign_costs_its_lines_and_the_pop_put_up_for_it(self):
        campaign = self.campaign.with_user(self.manager)
        self.assertAlmostEqual(campaign.line_cost, 500.0)
        self.assertAlmostEqual(campaign.pop_cost, 1320.0)
        self.assertAlmostEqual(campaign.actual_cost, 1820.0)
        self.assertAlmostEqual(campaign.uplift_margin, 2000.0)
        self.assertAlmostEqual(campaign.roi, 100.0 * (2000.0 - 1820.0) / 1820.0)

    def test_the_report_counts_the_pop_in_the_cost_and_the_roi(self):
        row = self._report(["campaign_id"])[self.campaign.id]
        self.assertAlmostEqual(row["cost"], 1820.0)
        self.assertAlmostEqual(row["pop_cost"], 1320.0)
        self.assertAlmostEqual(row["roi"], 100.0 * (2000.0 - 1820.0) / 1820.0)

    def test_the_pop_of_an_outlet_is_that_outlets_cost(self):
        rows = self._report(["partner_id"])
        nanjing, counter = rows[self.customer.id], rows[self.counter.id]
        self.assertAlmostEqual(nanjing["cost"], 1745.0)
        self.assertAlmostEqual(nanjing["pop_cost"], 1245.0)
        self.assertAlmostEqual(nanjing["roi"], 100.0 * (2000.0 - 1745.0) / 1745.0)
        self.assertAlmostEqual(counter["cost"], 75.0)
        self.assertAlmostEqual(counter["pop_cost"], 75.0)
        self.assertAlmostEqual(counter["roi"], -100.0)
        self.assertEqual(set(rows), {self.customer.id, self.counter.id})

    def test_the_campaigns_pdf_report_counts_the_pop(self):
        rows = {row["outlet"]: row for row in self.campaign._spm_report_outlet_rows()}
        self.assertAlmostEqual(rows[self.customer.display_name]["cost"], 1745.0)
        self.assertAlmostEqual(rows[self.counter.display_name]["cost"], 75.0)

    def test_planned_pop_counts_once_installed(self):
        self.planned.with_user(self.rep)._spm_install(PHOTO, TODAY)
        self.assertAlmostEqual(self.campaign.pop_cost, 1350.0)
        self.assertAlmostEqual(self._report(["partner_id"])[self.counter.id]["cost"], 105.0)

    def test_the_campaign_lists_its_pop(self):
        campaign = self.campaign.with_user(self.manager)
        self.assertEqual(campaign.pop_deployment_count, 6)
        self.assertNotIn(self.elsewhere, campaign.pop_deployment_ids)
        action = campaign.action_view_pop_deployments()
        self.assertEqual(self.Deployment.search(action["domain"]), campaign.pop_deployment_ids)
        self.assertEqual(action["context"]["default_campaign_id"], campaign.id)

    def test_pop_planned_from_the_campaign_is_for_the_campaign(self):
        action = self.campaign.with_user(self.rep).action_plan_pop()
        Deployment = self.Deployment.with_user(self.rep).with_context(**action["context"])
        with Form(Deployment) as form:
            form.partner_id = self.counter
            form.material_id = self.light_box
        deployment = form.record
        self.assertEqual(deployment.campaign_id, self.campaign)
        self.assertEqual(deployment.state, "planned")
        self.assertAlmostEqual(self.campaign.pop_cost, 1320.0)

    def test_pop_at_an_outlet_not_in_the_campaign_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "not an outlet of campaign Spring Trade-in"):
            self._deployment(partner=self.other_outlet, campaign_id=self.campaign.id)
        with self.assertRaisesRegex(ValidationError, "not an outlet of campaign Spring Trade-in"):
            self.planned.with_user(self.manager).partner_id = self.other_outlet

    def test_an_outlet_with_pop_of_the_campaign_stays_in_it(self):
        other = self.Campaign.with_user(self.manager).create(
            {
                "name": "Counter light boxes",
                "partner_ids": [Command.set((self.counter | self.other_outlet).ids)],
                "date_start": "2026-03-01",
                "date_end": "2026-03-10",
            }
        )
        self._deployment(partner=self.other_outlet, campaign_id=other.id)
        other.with_user(self.manager).partner_ids = [Command.unlink(self.counter.id)]
        with self.assertRaisesRegex(ValidationError, "POP is deployed there for the campaign"):
            other.with_user(self.manager).partner_ids = [Command.unlink(self.other_outlet.id)]

    def test_a_campaign_of_another_company_is_refused(self):
        foreign = self.Campaign.sudo().create(
            {
                "name": "Other Co campaign",
                "company_id": self.other_company.id,
                "partner_ids": [Command.set((self.customer | self.counter).ids)],
                "date_start": "2026-03-01",
                "date_end": "2026-03-10",
            }
        )
        with self.assertRaisesRegex(UserError, "compan"):
            self._deployment(campaign_id=foreign.id)
        with self.assertRaisesRegex(UserError, "compan"):
            self.planned.sudo().campaign_id = foreign

    def test_installed_pop_keeps_its_campaign_for_everybody(self):
        other = self.Campaign.with_user(self.manager).create(
            {
                "name": "Second campaign",
                "partner_ids": [Command.set(self.customer.ids)],
                "date_start": "2026-03-01",
                "date_end": "2026-03-10",
            }
        )
        for user in (self.rep, self.manager):
            for value in (other.id, False):
                with self.assertRaises(AccessError):
                    self.light_box_pop.with_user(user).write({"campaign_id": value})
        for deployment in (self.light_box_pop, self.taken_down, self.written_off):
            with self.assertRaisesRegex(AccessError, "keeps its campaign"):
                deployment.sudo().write({"campaign_id": other.id})
        with self.assertRaisesRegex(AccessError, "keeps its campaign"):
            self.elsewhere.sudo().write({"campaign_id": other.id})
        self.assertEqual(self.light_box_pop.campaign_id, self.campaign)
        # the same value is no change
        self.light_box_pop.with_user(self.manager).write({"campaign_id": self.campaign.id})

    def test_a_manager_changes_the_campaign_of_planned_pop(self):
        planned = self.planned.with_user(self.manager)
        planned.campaign_id = False
        self.assertFalse(planned.campaign_id)
        planned.campaign_id = self.campaign
        self.assertEqual(planned.campaign_id, self.campaign)

    def test_a_rep_plans_pop_for_the_campaign_at_his_outlets_only(self):
        Deployment = self.Deployment.with_user(self.rep)
        mine = Deployment.create(
            {
                "partner_id": self.counter.id,
                "material_id": self.poster.id,
                "campaign_id": self.campaign.id,
            }
        )
        self.assertEqual(mine.campaign_id, self.campaign)
        # planned POP changes through a manager: a rep has no write access
        with self.assertRaises(AccessError):
            mine.write({"campaign_id": False})
        self.campaign.with_user(self.manager).partner_ids = [Command.link(self.dealer.id)]
        with self.assertRaises(AccessError):
            Deployment.create(
                {
                    "partner_id": self.dealer.id,
                    "material_id": self.poster.id,
                    "campaign_id": self.campaign.id,
                }
            )

    def test_a_rep_of_another_company_does_not_see_the_campaigns_pop_cost(self):
        rows = self.Report.with_user(self.other_rep).search_read(
            [("campaign_id", "=", self.campaign.id)], ["pop_cost"]
        )
        self.assertFalse(rows)

    def test_the_installation_date_is_set_by_the_installed_button_only(self):
        for deployment in (self.planned, self.never_put_up, self.taken_down):
            with self.assertRaisesRegex(AccessError, "Installed On"):
                deployment.sudo().write({"installed_on": "2026-03-03"})
        with self.assertRaisesRegex(AccessError, "Installed On"):
            self.light_box_pop.sudo().write({"installed_on": False})
        with self.assertRaisesRegex(AccessError, "Installed On"):
            self.Deployment.create(
                {
                    "partner_id": self.customer.id,
                    "material_id": self.poster.id,
                    "installed_on": "2026-03-03",
                }
            )
        # the date of POP at the outlet is corrected
        self.light_box_pop.with_user(self.manager).installed_on = "2026-03-02"
        self.assertAlmostEqual(self.campaign.pop_cost, 1320.0)

    def test_a_replacement_serves_the_campaign_of_the_piece_it_replaces(self):
        replacement = self.env["spm.pop.deployment"].browse(
            self.light_box_pop.with_user(self.manager).action_replace()["res_id"]
        )
        self.assertEqual(replacement.state, "planned")
        self.assertEqual(replacement.campaign_id, self.campaign)
        self.campaign.sudo()._spm_protected().write({"state": "done"})
        again = self.env["spm.pop.deployment"].browse(
            self.counter_posters.with_user(self.manager).action_replace()["res_id"]
        )
        self.assertFalse(again.campaign_id)

    def test_no_pop_for_a_campaign_that_is_over(self):
        self.campaign.sudo()._spm_protected().write({"state": "done"})
        with self.assertRaisesRegex(ValidationError, r"is Done: POP is deployed only for"):
            self._deployment(campaign_id=self.campaign.id)
        planned = self._deployment()
        with self.assertRaisesRegex(ValidationError, r"is Done: POP is deployed only for"):
            planned.with_user(self.manager).campaign_id = self.campaign

    def test_bad_campaign_values_are_refused(self):
        for value in ("abc", [self.campaign.id], True, 2**31 - 1):
            with self.assertRaisesRegex(ValidationError, "Campaign"):
                self.planned.with_user(self.manager).write({"campaign_id": value})

    def test_a_draft_campaign_with_pop_is_not_deleted(self):
        draft = self.Campaign.with_user(self.manager).create(
            {
                "name": "Draft with POP",
                "partner_ids": [Command.set(self.customer.ids)],
                "date_start": "2026-04-01",
                "date_end": "2026-04-10",
            }
        )
        pop = self._deployment(campaign_id=draft.id)
        with self.assertRaisesRegex(UserError, "has POP planned or deployed for it"):
            draft.with_user(self.manager).unlink()
        pop.with_user(self.manager).campaign_id = False
        draft.with_user(self.manager).unlink()
        self.assertFalse(draft.exists())
