from contextlib import contextmanager
from datetime import datetime

from odoo.tests import tagged

from .common_scorecard import SpmScorecardCommon


@tagged("post_install", "-at_install")
class TestReportReadOnly(SpmScorecardCommon):
    """Every report of the addon reads on a read-only transaction, as on a read replica
    (Odoo serves the web client's reads there when ``db_replica_host`` is set): no
    write, no sequence and no temporary table in its read path."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._target(cls.rep)
        cls._target(cls.team)
        cls._order(cls.new_customer, 10, datetime(2026, 11, 3, 2, 0))

    @contextmanager
    def _read_only(self):
        self.env.flush_all()
        cr = self.env.cr
        cr.execute("SELECT count(*) FROM pg_class WHERE relpersistence = 't'")
        [temporary] = cr.fetchone()
        cr.execute("SAVEPOINT spm_read_only")
        cr.execute("SET TRANSACTION READ ONLY")
        try:
            yield
            cr.execute("SELECT count(*) FROM pg_class WHERE relpersistence = 't'")
            self.assertEqual(cr.fetchone()[0], temporary, "a temporary table was created")
        finally:
            cr.execute("ROLLBACK TO SAVEPOINT spm_read_only")
            self.env.invalidate_all()

    def _reports(self):
        return sorted(
            name
            for name, model in self.env.registry.items()
            if model._original_module == "sales_process_mgmt"
            and not model._abstract
            and not model._auto
            and not model._transient
        )

    def test_reports_read_on_a_read_only_transaction(self):
        reports = self._reports()
        self.assertIn("spm.rep.scorecard", reports)
        self.assertIn("spm.collection.report", reports)
        for name in reports:
            model = self.env[name].with_user(self.manager)
            fields = [fname for fname, field in model._fields.items() if field.store]
            groupby = next(
                fname for fname in fields if model._fields[fname].type in ("many2one", "date")
            )
            with self.subTest(report=name), self._read_only():
                model.web_search_read([], {fname: {} for fname in fields}, limit=80)
                model.web_read_group([], [f"{fname}:count" for fname in ["id"]], [groupby])
                model.read_group([], [], [groupby])

    def test_scorecard_reads_its_figures_on_a_read_only_transaction(self):
        with self._read_only():
            scorecard = self.env["spm.rep.scorecard"].with_user(self.leader)
            [group] = scorecard.read_group(
                [("user_id", "=", self.rep.id), ("duty", "=", "sales")],
                ["actual:avg", "attainment:avg"],
                ["user_id"],
            )
            ranking = self.env["spm.rep.score"].with_user(self.leader).search_read([], ["score"])
        self.assertAlmostEqual(group["actual"], 1000.0)
        self.assertAlmostEqual(group["attainment"], 10.0)
        self.assertEqual(len(ranking), 2)
