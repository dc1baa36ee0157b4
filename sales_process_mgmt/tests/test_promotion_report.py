from datetime import datetime

from odoo.tests import tagged

from .common_promotion import SpmPromotionCommon


@tagged("post_install", "-at_install")
class TestPromotionReport(SpmPromotionCommon):
    """Campaign 1-10 March 2026 (Shanghai), compared with 19-28 February.

    ============  =====================  =====================
    outlet        before (amount, mgn)   during (amount, mgn)
    ============  =====================  =====================
    Nanjing Road  phone 12: 12000, 4800  phone 21: 21000, 8400
    Xujiahui      tablet 2: 4000, 1000   tablet 3: 6000, 1500
    total         16000, 5800            27000, 9900
    ============  =====================  =====================

    Uplift 11000 (68.75 %), uplift margin 4100; costs 1200 + 800 = 2000;
    ROI = (4100 - 2000) / 2000 = 105 %.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._run()
        customer, counter, phone, tablet = cls.customer, cls.counter, cls.phone, cls.tablet
        contact = cls.env["res.partner"].create({"name": "Zhou Li", "parent_id": customer.id})
        # before: 20 February, and 28 February 23:30 in Shanghai (15:30 UTC)
        cls._order(customer, datetime(2026, 2, 20, 3, 0), [(phone, 10)])
        cls._order(customer, datetime(2026, 2, 28, 15, 30), [(phone, 2)])
        cls._order(counter, datetime(2026, 2, 20, 3, 0), [(tablet, 2)])
        # during: 1 March 00:30 in Shanghai, a contact of the outlet, the counter
        cls._order(customer, datetime(2026, 2, 28, 16, 30), [(phone, 20)])
        cls._order(contact, datetime(2026, 3, 6, 3, 0), [(phone, 1)])
        cls._order(counter, datetime(2026, 3, 5, 3, 0), [(tablet, 3)])
        # not counted: another customer, another product, a quotation, before the
        # period before, after the period (11 March 00:30 in Shanghai)
        cls._order(cls.dealer, datetime(2026, 3, 5, 3, 0), [(phone, 100)])
        cls._order(customer, datetime(2026, 3, 5, 3, 0), [(cls.cable, 40)])
        cls._order(customer, datetime(2026, 3, 5, 3, 0), [(phone, 7)], confirm=False)
        cls._order(customer, datetime(2026, 2, 18, 15, 30), [(phone, 30)])
        cls._order(customer, datetime(2026, 3, 10, 16, 30), [(phone, 50)])
        cls._cost(partner_id=customer.id, actual_amount=1200.0)
        cls._cost(name="Metro ads", cost_type="media", planned_amount=900.0, actual_amount=800.0)
        cls.Report = cls.env["spm.promotion.report"]

    def _figures(self, groupby, domain=None):
        fields = [
            "amount:sum",
            "baseline_amount:sum",
            "uplift_amount:sum",
            "quantity:sum",
            "baseline_quantity:sum",
            "margin:sum",
            "uplift_margin:sum",
            "cost:sum",
            "uplift_percent",
            "roi",
        ]
        rows = self.Report.read_group(
            [("campaign_id", "=", self.campaign.id), *(domain or [])], fields, groupby, lazy=False
        )
        return {row[groupby[0]] and row[groupby[0]][0]: row for row in rows}

    def test_campaign_figures(self):
        row = self._figures(["campaign_id"])[self.campaign.id]
        self.assertAlmostEqual(row["amount"], 27000.0)
        self.assertAlmostEqual(row["baseline_amount"], 16000.0)
        self.assertAlmostEqual(row["uplift_amount"], 11000.0)
        self.assertAlmostEqual(row["uplift_percent"], 68.75)
        self.assertAlmostEqual(row["margin"], 9900.0)
        self.assertAlmostEqual(row["uplift_margin"], 4100.0)
        self.assertAlmostEqual(row["cost"], 2000.0)
        self.assertAlmostEqual(row["roi"], 105.0)

    def test_campaign_form_shows_the_same_figures(self):
        campaign = self.campaign.with_user(self.rep)
        self.assertAlmostEqual(campaign.sales_amount, 27000.0)
        self.assertAlmostEqual(campaign.baseline_amount, 16000.0)
        self.assertAlmostEqual(campaign.uplift_percent, 68.75)
        self.assertAlmostEqual(campaign.uplift_margin, 4100.0)
        self.assertAlmostEqual(campaign.actual_cost, 2000.0)
        self.assertAlmostEqual(campaign.roi, 105.0)
        self.assertAlmostEqual(campaign.target_percent, 135.0)
        self.assertAlmostEqual(campaign.planned_cost, 1900.0)

    def test_figures_per_outlet(self):
        rows = self._figures(["partner_id"])
        nanjing, xujiahui, whole = rows[self.customer.id], rows[self.counter.id], rows[False]
        self.assertAlmostEqual(nanjing["amount"], 21000.0)
        self.assertAlmostEqual(nanjing["baseline_amount"], 12000.0)
        self.assertAlmostEqual(nanjing["uplift_percent"], 75.0)
        self.assertAlmostEqual(nanjing["cost"], 1200.0)
        # (8400 - 4800 - 1200) / 1200
        self.assertAlmostEqual(nanjing["roi"], 200.0)
        self.assertAlmostEqual(xujiahui["uplift_amount"], 2000.0)
        self.assertAlmostEqual(xujiahui["uplift_percent"], 50.0)
        # a cost without outlet is the whole campaign's
        self.assertAlmostEqual(whole["cost"], 800.0)
        self.assertAlmostEqual(whole["amount"], 0.0)

    def test_figures_per_product_in_its_unit(self):
        rows = self._figures(["product_id"])
        self.assertAlmostEqual(rows[self.phone.id]["quantity"], 21.0)
        self.assertAlmostEqual(rows[self.phone.id]["baseline_quantity"], 12.0)
        self.assertAlmostEqual(rows[self.tablet.id]["quantity"], 3.0)
        self.assertAlmostEqual(rows[self.tablet.id]["amount"], 6000.0)

    def test_figures_per_region(self):
        rows = self._figures(["region_id"])
        self.assertAlmostEqual(rows[self.region_sh.id]["amount"], 21000.0)
        self.assertAlmostEqual(rows[self.region_east.id]["amount"], 6000.0)

    def test_new_cost_counts_at_once(self):
        self._cost(name="Gifts", cost_type="gift", actual_amount=2100.0)
        self.campaign.invalidate_recordset(["actual_cost", "roi"])
        self.assertAlmostEqual(self.campaign.actual_cost, 4100.0)
        self.assertAlmostEqual(self.campaign.roi, 0.0)

    def test_other_campaigns_do_not_mix(self):
        other = self.Campaign.create(
            {
                "name": "Counter tablets",
                "partner_ids": [(6, 0, self.counter.ids)],
                "product_ids": [(6, 0, self.tablet.ids)],
                "date_start": "2026-03-01",
                "date_end": "2026-03-10",
            }
        )
        self.assertAlmostEqual(other.sales_amount, 6000.0)
        row = self._figures(["campaign_id"])[self.campaign.id]
        self.assertAlmostEqual(row["amount"], 27000.0)

    def test_report_of_another_company_is_hidden(self):
        rows = self.Report.with_user(self.other_rep).search_read(
            [("campaign_id", "=", self.campaign.id)], ["amount"]
        )
        self.assertFalse(rows)
        domain = [("campaign_id", "=", self.campaign.id)]
        self.assertTrue(self.Report.with_user(self.rep).search(domain))

    def test_pdf_report_has_the_plan_execution_figures_and_evaluation(self):
        self.campaign.evaluation_note = "Footfall up on weekends"
        html, __ = self.env["ir.actions.report"]._render_qweb_html(
            "sales_process_mgmt.report_spm_promotion_campaign", self.campaign.ids
        )
        html = html.decode()
        for text in (
            "Spring Trade-in",
            "Nanjing Road Outlet",
            "Phone S1",
            "Execution",
            "0 / 2",
            "Figures",
            "68.8",
            "105.0",
            "Whole campaign",
            "Metro ads",
            "Footfall up on weekends",
        ):
            with self.subTest(text=text):
                self.assertIn(text, html)

    def test_pdf_report_is_in_the_language_of_who_prints_it(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.manager.lang = "zh_CN"
        Report = self.env["ir.actions.report"].with_user(self.manager)
        html, __ = Report._render_qweb_html(
            "sales_process_mgmt.report_spm_promotion_campaign", self.campaign.ids
        )
        # dates as a Chinese reader writes them (the texts follow with zh_CN.po)
        self.assertIn("2026年03月01日", html.decode())
