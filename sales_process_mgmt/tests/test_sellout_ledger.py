from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common_sellout import SpmSelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutLedger(SpmSelloutCommon):
    """December: 100 phones ordered, 60 delivered; January: the other 40 delivered, 10
    returned; counts on 31 December and 31 January (Shanghai time)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2025-12-10 02:00:00"):
            cls.order = cls._order({cls.phone: 100}, datetime(2025, 12, 10, 2, 0))
            cls.backorder = cls._deliver(
                cls.order.picking_ids, {cls.phone: 60}, datetime(2025, 12, 10, 3, 0)
            )
        with freeze_time("2025-12-31 08:00:00"):
            cls._count(datetime(2025, 12, 31, 8, 0), {cls.phone: (20, 40)})
        with freeze_time("2026-01-05 02:00:00"):
            cls._deliver(cls.backorder, {cls.phone: 40}, datetime(2026, 1, 5, 2, 0))
        with freeze_time("2026-01-20 02:00:00"):
            cls._return(cls.order.picking_ids[:1], {cls.phone: 10}, datetime(2026, 1, 20, 2, 0))
        with freeze_time("2026-01-31 08:00:00"):
            cls._count(datetime(2026, 1, 31, 8, 0), {cls.phone: (50, 20)})

    @freeze_time("2026-03-10 04:00:00")
    def test_january_opens_with_december_count_and_closes_with_january_count(self):
        row = self._ledger("2026-01-01", "2026-01-31")[self.phone]
        self.assertEqual(row["opening_stock"], 40)
        self.assertEqual(row["bought"], 30, "40 delivered, 10 returned")
        self.assertEqual(row["sold"], 50)
        self.assertEqual(row["closing_stock"], 20)
        self.assertAlmostEqual(row["days_of_stock"], 20 / (50 / 31), places=3)
        self.assertTrue(row["stockout_risk"], "12.4 days of stock, under 14")

    @freeze_time("2026-03-10 04:00:00")
    def test_december_counts_only_what_was_delivered(self):
        row = self._ledger("2025-12-01", "2025-12-31")[self.phone]
        self.assertEqual(row["opening_stock"], 0)
        self.assertEqual(row["bought"], 60, "the 40 on backorder are not bought yet")
        self.assertEqual(row["sold"], 20)
        self.assertEqual(row["closing_stock"], 40)

    @freeze_time("2026-03-10 04:00:00")
    def test_a_month_without_report_carries_the_stock_and_sells_nothing(self):
        row = self._ledger("2026-02-01", "2026-02-28")[self.phone]
        self.assertEqual(
            (row["opening_stock"], row["bought"], row["sold"], row["closing_stock"]),
            (20, 0, 0, 20),
        )
        self.assertIsNone(row["days_of_stock"], "nothing sold: no rate of sale")
        self.assertFalse(row["stockout_risk"])

    @freeze_time("2026-03-10 04:00:00")
    def test_a_period_over_month_ends_adds_up(self):
        row = self._ledger("2025-12-15", "2026-01-31")[self.phone]
        self.assertEqual(row["opening_stock"], 60, "delivered on 10 December, no count yet")
        self.assertEqual(row["bought"], 30)
        self.assertEqual(row["sold"], 70)
        self.assertEqual(row["closing_stock"], 20)

    @freeze_time("2026-03-10 04:00:00")
    def test_the_stockout_setting_decides_the_risk(self):
        self.company.spm_sellout_stockout_days = 10
        row = self._ledger("2026-01-01", "2026-01-31")[self.phone]
        self.assertFalse(row["stockout_risk"], "12.4 days of stock, over 10")

    @freeze_time("2026-03-10 04:00:00")
    def test_the_monthly_view_gives_the_same_figures(self):
        rows = self.Ledger.search([("partner_id", "=", self.shop.id)])
        by_month = {
            row.date: (row.opening_stock, row.bought_qty, row.sold_qty, row.closing_stock)
            for row in rows
        }
        self.assertEqual(
            by_month,
            {
                self._date("2025-12-01"): (0, 60, 20, 40),
                self._date("2026-01-01"): (40, 30, 50, 20),
                self._date("2026-02-01"): (20, 0, 0, 20),
                self._date("2026-03-01"): (20, 0, 0, 20),
            },
        )
        january = rows.filtered(lambda row: row.date == self._date("2026-01-01"))
        self.assertTrue(january.stockout_risk)
        groups = self.Ledger.read_group(
            [("partner_id", "=", self.shop.id), ("date", "=", "2026-01-01")],
            ["closing_stock:sum", "sold_per_day:sum", "days_of_stock"],
            ["partner_id"],
        )
        self.assertAlmostEqual(groups[0]["days_of_stock"], 12.4, places=1)

    @freeze_time("2026-03-10 04:00:00")
    def test_the_customers_button_computes_that_customers_ledger_only(self):
        self._order({self.phone: 3}, datetime(2026, 2, 3, 2, 0), self.dealer, skip_procurement=True)
        self.env.flush_all()  # the view reads the tables, as the next request would
        everyone = self.Ledger.search([])
        self.assertEqual(everyone.partner_id, self.shop | self.dealer)
        shop_rows = everyone.filtered(lambda row: row.partner_id == self.shop)
        shop_closing = shop_rows.mapped("closing_stock")
        # the next request (here, the cache emptied) reads the narrowed rows afresh
        self.env.invalidate_all()
        action = self.shop.action_spm_view_sellout_ledger()
        Ledger = self.Ledger.with_context(**action["context"])
        self.assertEqual(Ledger.search([]).partner_id, self.shop)
        self.assertEqual(Ledger.search(action["domain"]).mapped("closing_stock"), shop_closing)
        # a row keeps its id, opened from the customer or from the whole ledger, and
        # whatever other customers report meanwhile
        self.assertEqual(Ledger.search(action["domain"]).ids, shop_rows.ids)
        self._order({self.phone: 2}, datetime(2026, 1, 5, 2, 0), self.dealer, skip_procurement=True)
        self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(self.Ledger.search([("partner_id", "=", self.shop.id)]).ids, shop_rows.ids)
        self.assertEqual(len(set(self.Ledger.search([]).ids)), len(self.Ledger.search([])))
        # the key narrows, never widens: another shape of value shows nothing
        for value in ("1", [str(self.shop.id)], [True], {"id": self.shop.id}, False):
            with self.subTest(value=value):
                self.env.invalidate_all()
                rows = self.Ledger.with_context(spm_ledger_partner_ids=value).search([])
                self.assertFalse(rows)
        self.env.invalidate_all()
        self.assertEqual(
            self.Ledger.with_context(spm_ledger_partner_ids=self.dealer.id).search([]).partner_id,
            self.dealer,
        )

    @freeze_time("2026-03-10 04:00:00")
    def test_a_delivery_counts_on_the_companys_day(self):
        # 31 January 17:00 UTC is 1 February 01:00 in Shanghai
        order = self._order({self.charger: 5}, datetime(2026, 1, 31, 17, 0))
        self._deliver(order.picking_ids, {self.charger: 5}, datetime(2026, 1, 31, 17, 0))
        self.assertNotIn(self.charger, self._ledger("2026-01-01", "2026-01-31"))
        self.assertEqual(self._ledger("2026-02-01", "2026-02-28")[self.charger]["bought"], 5)

    @freeze_time("2026-03-10 04:00:00")
    def test_order_lines_without_stock_moves_count_as_ordered(self):
        self._order({self.charger: 12}, datetime(2026, 2, 3, 2, 0), skip_procurement=True)
        row = self._ledger("2026-02-01", "2026-02-28")[self.charger]
        self.assertEqual((row["bought"], row["closing_stock"]), (12, 12))

    @freeze_time("2026-03-10 04:00:00")
    def test_orders_waiting_for_delivery_are_not_bought(self):
        self._order({self.charger: 7}, datetime(2026, 2, 3, 2, 0))
        self.assertNotIn(self.charger, self._ledger("2026-02-01", "2026-02-28"))

    @freeze_time("2026-03-10 04:00:00")
    def test_the_ledger_of_one_customer_costs_the_same_queries_whatever_its_history(self):
        self.Ledger._spm_ledger(self.shop, "2026-01-01", "2026-01-31")
        with self.assertQueryCount(3):
            self.Ledger._spm_ledger(self.shop, "2026-01-01", "2026-01-31")
        with freeze_time("2026-02-20 02:00:00"):
            self._count(datetime(2026, 2, 20, 2, 0), {self.phone: (5, 15), self.charger: (0, 0)})
        self.env.invalidate_all()
        self.Ledger._spm_ledger(self.shop, "2026-01-01", "2026-02-28")
        with self.assertQueryCount(3):
            self.Ledger._spm_ledger(self.shop, "2026-01-01", "2026-02-28")
