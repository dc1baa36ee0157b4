from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common_collection import SpmCollectionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-31 02:00:00")
class TestCollectionReport(SpmCollectionCommon):
    def test_dso_and_collection_rate_per_rep_and_month(self):
        paid = self._invoice(1000.0, "2026-03-31", invoice_date="2026-03-01")
        self._pay(paid, 1000.0, payment_date="2026-03-21")  # collected after 20 days
        self._invoice(1000.0, "2026-03-31", invoice_date="2026-03-01")  # open for 30 days
        half = self._invoice(2000.0, "2026-03-31", invoice_date="2026-03-11")
        self._pay(half, 1000.0, payment_date="2026-03-25")  # open for 20 days
        self._invoice(500.0, "2026-03-31", invoice_date="2026-03-01", user=self.rep_colleague)
        self.env.flush_all()
        [row] = self.env["spm.collection.report"].search_read(
            [("user_id", "=", self.rep.id), ("company_id", "=", self.company.id)],
            [
                "date",
                "team_id",
                "invoice_count",
                "invoiced_amount",
                "collected_amount",
                "open_amount",
                "collection_rate",
                "dso_days",
            ],
        )
        self.assertEqual(row["date"], date(2026, 3, 1))
        self.assertEqual(row["team_id"][0], self.team.id)
        self.assertEqual(row["invoice_count"], 3)
        self.assertAlmostEqual(row["invoiced_amount"], 4000.0)
        self.assertAlmostEqual(row["collected_amount"], 2000.0)
        self.assertAlmostEqual(row["open_amount"], 2000.0)
        self.assertAlmostEqual(row["collection_rate"], 50.0)
        # (1000 x 20 + 1000 x 30 + 2000 x 20) / 4000
        self.assertAlmostEqual(row["dso_days"], 22.5)

    def test_rep_sees_only_own_figures(self):
        self._invoice(1000.0, "2026-03-31", invoice_date="2026-03-01")
        self._invoice(500.0, "2026-03-31", invoice_date="2026-03-01", user=self.rep_colleague)
        self.env.flush_all()
        rows = self.env["spm.collection.report"].with_user(self.rep).search([])
        self.assertEqual(rows.user_id, self.rep)
        rows = (
            self.env["spm.collection.report"]
            .with_user(self.manager)
            .search([("company_id", "=", self.company.id)])
        )
        self.assertEqual(rows.user_id, self.rep | self.rep_colleague)

    def test_ageing_buckets_of_open_tasks(self):
        dues = {
            "2026-04-03": "not_due",
            "2026-03-21": "1_30",
            "2026-02-14": "31_60",
            "2026-01-10": "61_90",
            "2025-11-01": "over_90",
        }
        moves = {due: self._invoice(100.0, due) for due in dues}
        paid = self._invoice(100.0, "2026-03-01")
        self.Task._cron_refresh_tasks()
        self._pay(paid, 100.0)
        self.env.flush_all()
        rows = self.env["spm.collection.ageing.report"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(
            {row.task_id.move_id: row.bucket for row in rows},
            {moves[due]: bucket for due, bucket in dues.items()},
        )
        self.assertEqual(rows.filtered(lambda row: row.bucket == "31_60").days_overdue, 45)

    # Only payments are collections ------------------------------------------------------
    def _rep_row(self, fields):
        self.env.flush_all()
        [row] = self.env["spm.collection.report"].search_read(
            [("user_id", "=", self.rep.id), ("company_id", "=", self.company.id)], fields
        )
        return row

    def test_credit_note_is_not_collected(self):
        credited = self._invoice(1000.0, "2026-03-31", invoice_date="2026-03-01")
        self._credit_note(credited, date="2026-03-02")
        paid = self._invoice(1000.0, "2026-03-31", invoice_date="2026-03-01")
        self._pay(paid, 1000.0, payment_date="2026-03-21")
        row = self._rep_row(["collected_amount", "credited_amount", "net_invoiced_amount"])
        self.assertAlmostEqual(row["collected_amount"], 1000.0)
        self.assertAlmostEqual(row["credited_amount"], 1000.0)
        self.assertAlmostEqual(row["net_invoiced_amount"], 1000.0)

    def test_credit_note_does_not_shorten_dso(self):
        credited = self._invoice(1000.0, "2026-03-31", invoice_date="2026-03-01")
        self._credit_note(credited, date="2026-03-02")
        self._invoice(1000.0, "2026-03-31", invoice_date="2026-03-01")  # open 30 days
        row = self._rep_row(["dso_days", "collection_rate"])
        self.assertAlmostEqual(row["dso_days"], 30.0)
        self.assertAlmostEqual(row["collection_rate"], 0.0)

    # Pivot totals weigh the ratios by amount --------------------------------------------
    def test_pivot_totals_are_weighted_not_averaged(self):
        paid = self._invoice(1000.0, "2026-03-31", invoice_date="2026-03-01")
        self._pay(paid, 1000.0, payment_date="2026-03-21")  # 100 %, 20 days
        self._invoice(3000.0, "2026-03-31", invoice_date="2026-03-01", user=self.rep_colleague)
        self.env.flush_all()
        [total] = self.env["spm.collection.report"].read_group(
            [("company_id", "=", self.company.id)],
            ["collection_rate:avg", "dso_days:avg"],
            [],
        )
        # 1000 collected of 4000; (1000 x 20 + 3000 x 30) / 4000 days.
        self.assertAlmostEqual(total["collection_rate"], 25.0)
        self.assertAlmostEqual(total["dso_days"], 27.5)
