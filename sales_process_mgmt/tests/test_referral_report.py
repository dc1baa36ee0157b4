from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import SpmCommon


@tagged("post_install", "-at_install")
class TestReferralReport(SpmCommon):
    """Word of mouth (口碑宣传): referrals per referring customer, rep and month, and the
    confirmed sales of the customers referred, on a small known dataset."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        # the dealer (the colleague's customer) brought two outlets; one of them a third
        cls.outlet_a, cls.outlet_b = Partner.create(
            [
                {
                    "name": "Referred Outlet A",
                    "is_company": True,
                    "user_id": cls.rep.id,
                    "spm_region_id": cls.region_sh.id,
                    "spm_referred_by_id": cls.dealer.id,
                },
                {
                    "name": "Referred Outlet B",
                    "is_company": True,
                    "user_id": cls.rep.id,
                    "spm_referred_by_id": cls.dealer.id,
                },
            ]
        )
        cls.outlet_c = Partner.create(
            {
                "name": "Referred Outlet C",
                "is_company": True,
                "user_id": cls.rep_colleague.id,
                "spm_referred_by_id": cls.outlet_a.id,
            }
        )
        # a contact of the dealer referred by the dealer is no new customer
        Partner.create(
            {
                "name": "Dealer's buyer",
                "parent_id": cls.dealer.id,
                "spm_referred_by_id": cls.dealer.id,
            }
        )
        cls._referred_on(cls.outlet_a, "2026-01-15 08:00:00")
        cls._referred_on(cls.outlet_b, "2026-02-03 08:00:00")
        cls._referred_on(cls.outlet_c, "2026-02-20 08:00:00")
        cls.product = cls.env["product.product"].create(
            {
                "name": "Phone S1",
                "type": "consu",
                "list_price": 1000.0,
                "taxes_id": [Command.clear()],
            }
        )
        buyer_a = Partner.create({"name": "A's buyer", "parent_id": cls.outlet_a.id})
        cls._order(cls.outlet_a, 3)
        cls._order(buyer_a, 2)  # an order of A's contact is A's
        cls._order(cls.outlet_a, 7, confirm=False)  # a quotation is no sale
        cls._order(cls.outlet_c, 1)
        cls._order(cls.dealer, 10)  # the referrer's own orders are not referred sales
        cls.Report = cls.env["spm.referral.report"]

    @classmethod
    def _referred_on(cls, partner, when):
        cls.env.cr.execute(
            "UPDATE res_partner SET create_date = %s WHERE id = %s", (when, partner.id)
        )
        partner.invalidate_recordset(["create_date"])

    @classmethod
    def _order(cls, partner, qty, confirm=True):
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": cls.product.id, "product_uom_qty": qty})
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    def _figures(self, groupby, user=None):
        report = self.Report.with_user(user) if user else self.Report
        rows = report._read_group(
            [("partner_id", "in", (self.outlet_a | self.outlet_b | self.outlet_c).ids)],
            [groupby],
            ["referral_count:sum", "order_count:sum", "sale_amount:sum"],
        )
        return {key: tuple(values) for key, *values in rows}

    def test_referrals_and_sales_per_referring_customer(self):
        self.assertEqual(
            self._figures("referrer_id"),
            {self.dealer: (2, 2, 5000.0), self.outlet_a: (1, 1, 1000.0)},
        )

    def test_referrals_per_rep_are_counted_for_the_referring_customers_salesperson(self):
        figures = self._figures("user_id")
        self.assertEqual(figures, {self.rep_colleague: (2, 2, 5000.0), self.rep: (1, 1, 1000.0)})

    def test_referrals_per_month_the_referred_customer_entered_the_archive(self):
        figures = {
            month.strftime("%Y-%m"): values for month, values in self._figures("date:month").items()
        }
        self.assertEqual(figures, {"2026-01": (1, 2, 5000.0), "2026-02": (2, 1, 1000.0)})

    def test_the_count_matches_the_customers_referral_count(self):
        report = self._figures("referrer_id")
        self.assertEqual(report[self.outlet_a][0], self.outlet_a.spm_referral_count)
        # the dealer's contact is counted on the partner, not as a referred customer
        self.assertEqual(self.dealer.spm_referral_count, 3)
        self.assertEqual(report[self.dealer][0], 2)

    def test_rep_sees_his_referrals_and_those_of_his_customers(self):
        # the rep is the salesperson of A and B and the referral rep of C
        self.assertEqual(
            self._figures("partner_id", user=self.rep),
            {
                self.outlet_a: (1, 2, 5000.0),
                self.outlet_b: (1, 0, 0.0),
                self.outlet_c: (1, 1, 1000.0),
            },
        )
        other = self._figures("partner_id", user=self.other_rep)
        self.assertFalse(other)

    def test_manager_sees_all_referrals(self):
        self.assertEqual(len(self._figures("partner_id", user=self.manager)), 3)

    def test_reps_cannot_write_the_report(self):
        row = self.Report.with_user(self.rep).search([], limit=1)
        self.assertTrue(row)
        with self.assertRaises(AccessError):
            row.write({"referral_count": 5})
