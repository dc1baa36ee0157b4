from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_delivery import SpmDeliveryCommon


@tagged("post_install", "-at_install")
class TestDeliveryReport(SpmDeliveryCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        promised = datetime(2026, 3, 10, 2, 0)
        # March: the rep delivers the customer twice on time and once late, the other
        # customer once late; the colleague delivers once on time
        on_time = cls._picking(commitment_date=promised) | cls._picking(commitment_date=promised)
        late = cls._picking(commitment_date=datetime(2026, 3, 5, 2, 0))
        other_late = cls._picking(partner=cls.other_customer, commitment_date=promised)
        colleague = cls._picking(user=cls.rep_colleague, commitment_date=promised)
        with freeze_time("2026-03-09 03:00:00"):
            cls._validate(on_time | late | colleague)
        with freeze_time("2026-03-12 03:00:00"):
            cls._validate(other_late)
        # April: one on time
        april = cls._picking(commitment_date=datetime(2026, 4, 20, 2, 0))
        with freeze_time("2026-04-15 03:00:00"):
            cls._validate(april)
        cls.Report = cls.env["spm.delivery.report"]
        cls.mine = [("user_id", "in", (cls.rep | cls.rep_colleague).ids)]

    def _rows(self, user, groupby, domain=None):
        rows = self.Report.with_user(user).read_group(
            domain or self.mine,
            ["picking_count:sum", "on_time_count:sum", "on_time_rate"],
            groupby,
            lazy=False,
        )
        return rows

    def test_counts_and_rate_per_rep_customer_and_month(self):
        rows = self.Report.search_read(
            self.mine,
            [
                "date",
                "user_id",
                "partner_id",
                "picking_count",
                "on_time_count",
                "late_count",
                "on_time_rate",
            ],
        )
        figures = {
            (row["date"], row["user_id"][0], row["partner_id"][0]): (
                row["picking_count"],
                row["on_time_count"],
                row["late_count"],
                round(row["on_time_rate"], 2),
            )
            for row in rows
        }
        march, april = date(2026, 3, 1), date(2026, 4, 1)
        self.assertEqual(
            figures,
            {
                (march, self.rep.id, self.customer.id): (3, 2, 1, 66.67),
                (march, self.rep.id, self.other_customer.id): (1, 0, 1, 0.0),
                (march, self.rep_colleague.id, self.customer.id): (1, 1, 0, 100.0),
                (april, self.rep.id, self.customer.id): (1, 1, 0, 100.0),
            },
        )

    def test_grouped_rate_is_computed_from_the_summed_counts(self):
        rows = self._rows(self.manager, ["user_id"])
        rates = {row["user_id"][0]: (row["picking_count"], row["on_time_rate"]) for row in rows}
        # the rep: 3 of 5 on time, not the average of the rows' rates
        self.assertEqual(rates[self.rep.id][0], 5)
        self.assertAlmostEqual(rates[self.rep.id][1], 60.0)
        self.assertAlmostEqual(rates[self.rep_colleague.id][1], 100.0)

    def test_rep_sees_his_own_figures(self):
        rows = self._rows(self.rep, ["user_id"], domain=[])
        self.assertEqual({row["user_id"][0] for row in rows}, {self.rep.id})

    def test_manager_sees_every_reps_figures(self):
        users = {row["user_id"][0] for row in self._rows(self.manager, ["user_id"])}
        self.assertEqual(users, {self.rep.id, self.rep_colleague.id})

    def test_other_company_sees_none_of_these_figures(self):
        other_manager = new_test_user(
            self.env,
            login="spm_delivery_other_manager",
            groups="sales_team.group_sale_manager",
            company_id=self.other_company.id,
            company_ids=self.other_company.ids,
        )
        self.assertFalse(self.Report.with_user(other_manager).search(self.mine))
        self.assertFalse(self.Report.with_user(self.other_rep).search([]))

    def test_report_is_read_only_for_reps(self):
        row = self.Report.with_user(self.rep).search([], limit=1)
        with self.assertRaises(AccessError):
            row.write({"picking_count": 0})
