from datetime import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from .common_collection import SpmCollectionCommon


@tagged("post_install", "-at_install", "is_query_count")
@freeze_time("2026-03-10 02:00:00")
class TestCollectionPerformance(SpmCollectionCommon):
    """Promises recorded together (an import, a batch from the phone) cost the queries
    of one: the rules of their tasks are matched once for all their customers, their
    notes are logged in one batch and the tasks replanned in one update. The tracking of
    the tasks' state and planned date, core's own work per record, is left out."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Promise Outlet {index}",
                    "is_company": True,
                    "user_id": cls.rep.id,
                    "spm_region_id": cls.region_js.id,
                    "tz": "Asia/Shanghai",
                }
                for index in range(14)
            ]
        )
        moves = cls.env["account.move"].concat(
            *(cls._invoice(1000.0, "2026-03-20", partner=customer) for customer in customers)
        )
        cls.tasks = cls.env["spm.collection.task"]._create_for_moves(moves)
        # planned before any rule applied to them: matched when a promise is recorded
        cls.tasks._spm_protected().write({"rule_id": False})

    def _record(self, tasks):
        self.env.flush_all()
        self.env.cr.flush()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        promises = (
            self.env["spm.payment.promise"]
            .with_user(self.rep)
            .with_context(tracking_disable=True)
            .create(
                [
                    {
                        "task_id": task.id,
                        "promised_date": "2026-03-12",
                        "amount": 100.0,
                        "reason": "Boss away",
                    }
                    for task in tasks
                ]
            )
        )
        self.env.flush_all()
        self.env.cr.flush()  # as assertQueryCount does: precommit hooks included
        return promises, self.cr.sql_log_count - before

    def test_promise_queries_do_not_grow_with_the_promise_count(self):
        self._record(self.tasks[:1])  # warm the caches
        __, one = self._record(self.tasks[1:2])
        __, two = self._record(self.tasks[2:4])
        promises, ten = self._record(self.tasks[4:14])
        # one query more than for a single promise, the ORM's own: the currency of the
        # amounts read for the whole batch
        self.assertLessEqual(two, one + 1)
        self.assertEqual(ten, two)
        self.assertEqual(len(promises), 10)
        tasks = promises.task_id
        self.assertEqual(set(tasks.mapped("state")), {"promised"})
        # 09:00 in Shanghai on the promised day
        self.assertEqual(set(tasks.mapped("planned_date")), {datetime(2026, 3, 12, 1, 0)})
        for task in tasks:
            body = task.message_ids[0].body
            self.assertIn("recorded a promise to pay", body)
            self.assertIn("Boss away", body)
