from datetime import date, datetime

from odoo import Command
from odoo.tests import freeze_time, tagged

from .common_scorecard import DUTY_LINES, NOVEMBER, SpmScorecardCommon


@tagged("post_install", "-at_install")
class TestRepScorecard(SpmScorecardCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_currency = cls.company.currency_id
        cls.foreign = cls.env.ref("base.EUR" if company_currency.name != "EUR" else "base.USD")
        cls.foreign.active = True
        cls.env["res.currency.rate"].create(
            {"currency_id": cls.foreign.id, "name": "2026-01-01", "rate": 2.0}
        )
        cls.foreign_pricelist = cls.env["product.pricelist"].create(
            {"name": "Foreign", "currency_id": cls.foreign.id}
        )

    def _november_orders(self):
        """Counted: 1,000 and 500 (confirmed at 01:00 on 1 November in Shanghai, still
        31 October in UTC) and 600 in the foreign currency (300 in the company's).
        Not counted: a cancelled order, a quotation, the colleague's order and an order
        of 1 December in Shanghai."""
        self._order(self.new_customer, 10, datetime(2026, 11, 3, 2, 0))
        self._order(self.new_customer_2, 5, datetime(2026, 10, 31, 17, 0))
        foreign = self._order(
            self.customer, 3, datetime(2026, 11, 5, 2, 0), pricelist=self.foreign_pricelist
        )
        foreign.order_line.price_unit = 200.0
        self._order(self.customer, 100, datetime(2026, 11, 6, 2, 0))._action_cancel()
        self._order(self.customer, 50, datetime(2026, 11, 7, 2, 0), confirm=False)
        self._order(self.customer, 7, datetime(2026, 11, 8, 2, 0), user=self.rep_colleague)
        self._order(self.customer, 9, datetime(2026, 11, 30, 17, 0))

    def test_sales_amount_in_company_currency_on_the_reps_days(self):
        self._target(self.rep)
        self._november_orders()
        card = self._card(self.rep, "sales")
        self.assertAlmostEqual(card.actual, 1800.0)
        self.assertAlmostEqual(card.target, 10000.0)
        self.assertAlmostEqual(card.attainment, 18.0)
        self.assertAlmostEqual(card.weighted_score, 18.0 * 30 / 100)
        self.assertEqual(card.currency_id, self.company.currency_id)
        self.assertEqual(card.team_id, self.team)

    def test_profit_margin_of_confirmed_orders(self):
        """Margins 400 + 200 + 120 (600 foreign at a cost of 360 foreign) on 1,800: 40 %
        against a target of 30: attained."""
        self._target(self.rep)
        self._november_orders()
        card = self._card(self.rep, "margin")
        self.assertAlmostEqual(card.actual, 40.0)
        self.assertAlmostEqual(card.attainment, 100.0)

    @freeze_time("2026-11-30 08:00:00")
    def test_collection_period_and_rate_are_the_collection_reports(self):
        """1,000 paid after 10 days, 500 credited in full (out of the base), 1,000 open
        for 15 days: DSO (1,000 x 10 + 1,000 x 15) / 2,000 = 12.5 days, rate 50 %."""
        self._target(self.rep)
        paid = self._invoice(1000.0, "2026-12-31", invoice_date=date(2026, 11, 2))
        self._pay(paid, payment_date=date(2026, 11, 12))
        credited = self._invoice(500.0, "2026-12-31", invoice_date=date(2026, 11, 10))
        self._credit_note(credited, date=date(2026, 11, 11))
        self._invoice(1000.0, "2026-12-31", invoice_date=date(2026, 11, 15))
        self._invoice(800.0, "2026-12-31", invoice_date=date(2026, 10, 15))  # October
        self._invoice(700.0, "2026-12-31", invoice_date=date(2026, 11, 3), user=self.rep_colleague)
        dso, rate = self._card(self.rep, "dso"), self._card(self.rep, "collection_rate")
        self.assertAlmostEqual(dso.actual, 12.5)
        self.assertAlmostEqual(dso.attainment, 100.0 * 10 / 12.5)
        self.assertAlmostEqual(rate.actual, 50.0)
        self.assertAlmostEqual(rate.attainment, 100.0 * 50 / 80)
        [report] = self.env["spm.collection.report"].read_group(
            [("user_id", "=", self.rep.id), ("date", "=", NOVEMBER)],
            ["dso_days", "collection_rate"],
            [],
        )
        self.assertAlmostEqual(report["dso_days"], dso.actual)
        self.assertAlmostEqual(report["collection_rate"], rate.actual)

    @freeze_time("2026-11-30 08:00:00")
    def test_collection_period_at_or_under_target_attains_100(self):
        self._target(self.rep)
        paid = self._invoice(1000.0, "2026-12-31", invoice_date=date(2026, 11, 2))
        self._pay(paid, payment_date=date(2026, 11, 2))
        card = self._card(self.rep, "dso")
        self.assertAlmostEqual(card.actual, 0.0)
        self.assertAlmostEqual(card.attainment, 100.0)

    def test_funnel_is_the_revenue_won_in_the_period(self):
        self._target(self.rep)
        Lead = self.env["crm.lead"]

        def opportunity(revenue, closed, won=True, user=self.rep):
            lead = Lead.create(
                {
                    "name": "Deal",
                    "type": "opportunity",
                    "user_id": user.id,
                    "expected_revenue": revenue,
                    "partner_id": self.customer.id,
                }
            )
            with freeze_time(closed):
                lead.action_set_won() if won else lead.action_set_lost()
            return lead

        opportunity(4000.0, datetime(2026, 11, 10, 3, 0))
        opportunity(2000.0, datetime(2026, 10, 31, 20, 0))  # 1 November in Shanghai
        opportunity(9000.0, datetime(2026, 10, 20, 3, 0))  # won in October
        opportunity(5000.0, datetime(2026, 11, 11, 3, 0), won=False)
        opportunity(3000.0, datetime(2026, 11, 12, 3, 0), user=self.rep_colleague)
        Lead.create(
            {
                "name": "Open",
                "type": "opportunity",
                "user_id": self.rep.id,
                "expected_revenue": 8000.0,
            }
        )
        card = self._card(self.rep, "funnel")
        self.assertAlmostEqual(card.actual, 6000.0)
        self.assertAlmostEqual(card.attainment, 60.0)

    def test_new_customers_are_first_orders_taken_by_the_rep(self):
        self._target(self.rep)
        self._target(self.rep_colleague)
        # first orders of both new customers; the old one ordered in October
        self._november_orders()
        third = self.env["res.partner"].create({"name": "Third", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": third.id})
        self._order(contact, 1, datetime(2026, 11, 20, 2, 0), user=self.rep_colleague)
        self._order(third, 1, datetime(2026, 11, 21, 2, 0))  # not its first order
        self.assertEqual(self._card(self.rep, "new_customers").actual, 2.0)
        self.assertEqual(self._card(self.rep, "new_customers").attainment, 100.0)
        self.assertEqual(self._card(self.rep_colleague, "new_customers").actual, 1.0)

    def test_satisfaction_of_the_reps_visits_and_service_requests(self):
        self._target(self.rep)
        Request = self.env["spm.service.request"]
        requests = Request
        for satisfaction, user in (
            (5, self.rep),
            (3, self.rep),
            (0, self.rep),
            (1, self.rep_colleague),
        ):
            request = Request.create(
                {"subject": "Screen", "partner_id": self.customer.id, "user_id": user.id}
            )
            request.sudo()._spm_protected().write({"satisfaction": satisfaction})
            requests |= request
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE spm_service_request SET create_date = '2026-11-15 02:00' WHERE id IN %s",
            [tuple(requests.ids)],
        )
        card = self._card(self.rep, "satisfaction")
        self.assertAlmostEqual(card.actual, 4.0)  # the unrated request does not count
        self.assertAlmostEqual(card.attainment, 100.0)
        # and the satisfaction given on the rep's visits (one answer each)
        visits = self.env["spm.visit"].create(
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": user.id,
                    "planned_start": datetime(2026, 11, 16, 2, 0),
                    "satisfaction": level,
                }
                for user, level in ((self.rep, "2"), (self.rep, False), (self.rep_colleague, "5"))
            ]
        )
        self.assertEqual(visits.mapped("visit_date"), [date(2026, 11, 16)] * 3)
        card = self._card(self.rep, "satisfaction")
        self.assertAlmostEqual(card.actual, (5 + 3 + 2) / 3)
        self.assertAlmostEqual(card.attainment, 100.0 * (10 / 3) / 4)

    def test_duty_without_any_actual_attains_0(self):
        self._target(self.rep_colleague)
        cards = {
            card.duty: card
            for card in self.env["spm.rep.scorecard"].search(
                [("user_id", "=", self.rep_colleague.id)]
            )
        }
        self.assertEqual(set(cards), {duty for duty, __, __ in DUTY_LINES})
        self.assertEqual(cards["sales"].actual, 0.0)
        self.assertFalse(cards["dso"].actual)
        self.assertEqual({card.attainment for card in cards.values()}, {0.0})

    def test_weighted_score_and_ranking(self):
        """The rep: sales 18 % x 30, margin 100 % x 10, new customers 100 % x 10 = 25.4;
        the colleague (one order of 700, 40 % margin, no new customer): 7 x 0.3 + 10 = 12.1."""
        self._target(self.rep)
        self._target(self.rep_colleague)
        self._november_orders()
        self.env.flush_all()
        scores = self.env["spm.rep.score"].search(
            [("date_from", "=", NOVEMBER), ("user_id", "in", (self.rep | self.rep_colleague).ids)]
        )
        by_rep = {score.user_id: score for score in scores}
        self.assertAlmostEqual(by_rep[self.rep].score, 25.4)
        self.assertAlmostEqual(by_rep[self.rep_colleague].score, 12.1)
        # ranked among every rep with a November target (the demo reps' too)
        self.assertLess(by_rep[self.rep].rank, by_rep[self.rep_colleague].rank)
        # the weakest: 0 % on the heavier of the duties at 0 (both rates weigh 15)
        self.assertEqual(by_rep[self.rep].weakest_duty, "collection_rate")
        self.assertEqual(by_rep[self.rep].weakest_attainment, 0.0)
        cards = self.env["spm.rep.scorecard"].search([("user_id", "=", self.rep.id)])
        self.assertAlmostEqual(sum(cards.mapped("weighted_score")), 25.4)
        [group] = self.env["spm.rep.scorecard"].read_group(
            [("user_id", "=", self.rep.id)], ["weighted_score:sum"], ["user_id"]
        )
        self.assertAlmostEqual(group["weighted_score"], 25.4)

    def test_team_target_splits_amounts_and_copies_ratios(self):
        self._target(self.team)
        self._november_orders()
        for rep in (self.rep, self.rep_colleague):
            self.assertAlmostEqual(self._card(rep, "sales").target, 5000.0)
            self.assertAlmostEqual(self._card(rep, "new_customers").target, 1.0)
            self.assertAlmostEqual(self._card(rep, "dso").target, 10.0)
            self.assertAlmostEqual(self._card(rep, "margin").target, 30.0)
        self.assertAlmostEqual(self._card(self.rep, "sales").attainment, 36.0)
        self.assertFalse(self._card(self.leader, "sales"), "the leader is not a member")

    def test_reps_own_target_replaces_the_teams(self):
        self._target(self.team)
        self._target(self.rep, [("sales", 2000.0, 100.0)])
        self._november_orders()
        cards = self.env["spm.rep.scorecard"].search([("user_id", "=", self.rep.id)])
        self.assertEqual(cards.mapped("duty"), ["sales"])
        self.assertAlmostEqual(cards.attainment, 90.0)
        self.assertAlmostEqual(cards.weighted_score, 90.0)
        self.assertAlmostEqual(self._card(self.rep_colleague, "sales").target, 5000.0)

    def test_rep_who_changed_teams_keeps_the_whole_periods_results(self):
        self._target(self.rep)
        self._order(self.new_customer, 10, datetime(2026, 11, 3, 2, 0))
        self.team.crm_team_member_ids.filtered(
            lambda member: member.user_id == self.rep
        ).active = False
        self.env["crm.team.member"].create(
            {"crm_team_id": self.team_west.id, "user_id": self.rep.id}
        )
        self._order(self.new_customer_2, 5, datetime(2026, 11, 20, 2, 0))
        card = self._card(self.rep, "sales")
        self.assertAlmostEqual(card.actual, 1500.0)
        self.assertEqual(card.team_id, self.team_west)

    def test_customer_handed_over_leaves_past_results_with_the_rep(self):
        self._target(self.rep)
        self._target(self.rep_colleague)
        self._order(self.new_customer, 10, datetime(2026, 11, 3, 2, 0))
        self.new_customer.user_id = self.rep_colleague
        self.assertAlmostEqual(self._card(self.rep, "sales").actual, 1000.0)
        self.assertAlmostEqual(self._card(self.rep_colleague, "sales").actual, 0.0)
        self.assertEqual(self._card(self.rep, "new_customers").actual, 1.0)

    def test_quarter_and_year_targets(self):
        self._target(
            self.rep, [("sales", 6000.0, 100.0)], period="quarter", date_from=date(2026, 10, 1)
        )
        self._target(
            self.rep, [("sales", 20000.0, 100.0)], period="year", date_from=date(2026, 1, 1)
        )
        self._november_orders()  # and the old customer's October order of 100
        quarter = self._card(self.rep, "sales", date_from=date(2026, 10, 1))
        year = self._card(self.rep, "sales", date_from=date(2026, 1, 1))
        self.assertEqual((quarter.period, year.period), ("quarter", "year"))
        # October's 100, November's 1,800 and the 900 of 1 December (Shanghai)
        self.assertAlmostEqual(quarter.actual, 2800.0)
        self.assertAlmostEqual(year.actual, 2800.0)

    def test_other_company_target_counts_that_companys_documents(self):
        self._target(self.other_rep, [("sales", 1000.0, 100.0)], company_id=self.other_company.id)
        self._order(self.customer, 4, datetime(2026, 11, 3, 2, 0), user=self.other_rep)
        with freeze_time(datetime(2026, 11, 4, 2, 0)):
            self.env["sale.order"].with_company(self.other_company).create(
                {
                    "partner_id": self.customer.id,
                    "user_id": self.other_rep.id,
                    "company_id": self.other_company.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.product.id,
                                "price_unit": 50.0,
                                "tax_id": [Command.clear()],
                            }
                        )
                    ],
                }
            ).action_confirm()
        card = self._card(self.other_rep, "sales")
        self.assertEqual(card.company_id, self.other_company)
        self.assertAlmostEqual(card.actual, 50.0)
