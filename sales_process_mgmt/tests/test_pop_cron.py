from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from .common_pop import NOW, PHOTO, TODAY, SpmPopCommon


def todos(env, partners=None):
    todo_type = env.ref("sales_process_mgmt.mail_activity_type_spm_pop_inspection")
    domain = [("activity_type_id", "=", todo_type.id)]
    if partners is not None:
        domain += [("res_model", "=", "res.partner"), ("res_id", "in", partners.ids)]
    return env["mail.activity"].search(domain)


@freeze_time(NOW)
@tagged("post_install", "-at_install")
class TestPopInspectionsDue(SpmPopCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # a poster is inspected every 14 days: installed on 20 February, due 6 March
        cls.due_1 = cls._deployment(cls.poster, installed_on="2026-02-20")
        cls.due_2 = cls._deployment(cls.poster, qty=3, installed_on="2026-02-24")
        cls.due_elsewhere = cls._deployment(
            cls.poster, partner=cls.other_outlet, installed_on="2026-02-01"
        )
        cls.not_due = cls._deployment(cls.light_box, installed_on="2026-03-01")
        cls.outlets = cls.customer | cls.other_outlet

    def _run(self, **kwargs):
        return self.Deployment._cron_pop_inspections_due(**kwargs)

    def test_due_pop_becomes_one_todo_per_outlet(self):
        self._run()
        todo = todos(self.env, self.customer)
        self.assertEqual(len(todo), 1)
        self.assertEqual(todo.user_id, self.rep)
        self.assertEqual(todo.date_deadline, TODAY)
        self.assertEqual(todo.summary, "Inspect the POP of Nanjing Road Outlet")
        self.assertIn("S1 Poster A1 × 1 — due on 03/06/2026", todo.note)  # noqa: RUF001
        self.assertIn("S1 Poster A1 × 3 — due on 03/10/2026", todo.note)  # noqa: RUF001
        self.assertNotIn("Shop Light Box", todo.note)
        self.assertEqual(len(todos(self.env, self.other_outlet)), 1)
        self.assertEqual(self.due_1.inspection_notified_date, self.due_1.next_inspection_date)
        self.assertFalse(self.not_due.inspection_notified_date)

    def test_a_second_run_schedules_nothing(self):
        self._run()
        before = todos(self.env, self.outlets)
        self.assertEqual(self._run(), 0)
        self.assertEqual(todos(self.env, self.outlets), before)

    def test_a_run_on_the_next_day_schedules_nothing_again(self):
        self._run()
        before = todos(self.env, self.outlets)
        with freeze_time("2026-03-11 02:00:00"):
            self.assertEqual(self._run(), 0)
        self.assertEqual(todos(self.env, self.outlets), before)

    def test_pop_due_later_joins_the_open_todo_of_its_outlet(self):
        self._run()
        with freeze_time("2026-03-31 02:00:00"):
            self._run()
        todo = todos(self.env, self.customer)
        self.assertEqual(len(todo), 1)
        self.assertIn("Shop Light Box", todo.note)

    def test_the_todo_is_done_once_the_outlet_is_inspected(self):
        self._run()
        visit = self._checked_in_visit()
        visit.action_spm_inspect_pop(self.due_1.id, "good")
        self.assertEqual(len(todos(self.env, self.customer)), 1)
        visit.action_spm_inspect_pop(self.due_2.id, "damaged")
        self.assertFalse(todos(self.env, self.customer))
        self.assertIn(f"POP inspected on visit {visit.name}", self.customer.message_ids[0].body)
        # inspected: due again after the interval
        with freeze_time("2026-03-24 02:00:00"):
            self._run()
        self.assertEqual(len(todos(self.env, self.customer)), 1)

    def test_due_is_decided_on_the_outlet_clock(self):
        # 05:00 on 10 March in Shanghai is still 9 March in New York
        new_york = self.env["res.partner"].create(
            {"name": "Fifth Avenue Store", "user_id": self.rep.id, "tz": "America/New_York"}
        )
        self.customer.tz = "Asia/Shanghai"
        with freeze_time("2026-03-09 21:00:00"):
            self._deployment(self.poster, partner=new_york, installed_on="2026-02-24")
            self._run()
        self.assertFalse(todos(self.env, new_york))
        self.assertTrue(todos(self.env, self.customer))
        with freeze_time("2026-03-10 05:00:00"):
            self._run()
        self.assertEqual(len(todos(self.env, new_york)), 1)

    def test_removed_and_planned_pop_is_not_due(self):
        self.due_elsewhere.action_remove()
        self._deployment(partner=self.other_outlet)
        self._run()
        self.assertFalse(todos(self.env, self.other_outlet))

    def test_the_job_runs_in_batches(self):
        outlets = self.env["res.partner"].create(
            [{"name": f"Outlet {i}", "user_id": self.rep.id, "is_company": True} for i in range(5)]
        )
        for outlet in outlets:
            self._deployment(self.poster, partner=outlet, installed_on="2026-02-20")
        with patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress:
            done = self._run(batch_size=2)
        # 8 due deployments at 7 outlets; a batch reads 2 and takes their outlets whole:
        # the 2 of the first batch are at 2 outlets holding 3
        self.assertEqual(done, 8)
        self.assertEqual(progress.call_count, 4)
        self.assertEqual(len(todos(self.env, outlets | self.outlets)), 7)

    def test_under_the_scheduler_one_batch_a_call(self):
        with patch.object(type(self.env["ir.cron"]), "_notify_progress") as progress:
            done = self.Deployment.with_context(ir_cron_progress_id=1)._cron_pop_inspections_due(
                batch_size=1
            )
        self.assertEqual(done, 1)
        progress.assert_called_once_with(done=1, remaining=2)

    def test_a_batch_costs_the_same_queries_for_more_outlets(self):
        def batch_queries(count):
            outlets = self.env["res.partner"].create(
                [{"name": f"Outlet {i}", "user_id": self.rep.id} for i in range(count)]
            )
            for outlet in outlets:
                self._deployment(self.poster, partner=outlet, installed_on="2026-02-20")
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self._run(batch_size=1000)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        self._run()  # the set-up's deployments
        small = batch_queries(3)
        self.assertEqual(batch_queries(30), small)


@tagged("post_install", "-at_install")
class TestPopInspectionsDueConcurrency(TransactionCase):
    """Two workers run the job at the same time: one to-do for the outlet, no error.
    Needs committed data, removed again at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            rep = env["res.users"].create({"name": "SPM POP rep", "login": "spm_pop_rep_cc"})
            outlet = env["res.partner"].create({"name": "SPM POP outlet", "user_id": rep.id})
            material = env["spm.pop.material"].create(
                {"name": "SPM POP poster", "inspection_interval_days": 1}
            )
            deployments = env["spm.pop.deployment"].create(
                [
                    {"partner_id": outlet.id, "material_id": material.id, "qty": qty}
                    for qty in (1, 2)
                ]
            )
            for deployment in deployments:
                deployment._spm_install(PHOTO, "2026-01-01")
            self.ids = {
                "rep": rep.id,
                "outlet": outlet.id,
                "material": material.id,
                "deployments": deployments.ids,
            }
        self.outlet_ids = [self.ids["outlet"]]
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            todos(env, env["res.partner"].browse(self.ids["outlet"])).unlink()
            env["spm.pop.deployment"].browse(self.ids["deployments"]).unlink()
            env["spm.pop.material"].browse(self.ids["material"]).unlink()
            env["res.partner"].browse(self.ids["outlet"]).unlink()
            env["res.users"].browse(self.ids["rep"]).unlink()

    def _count_todos(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            return len(todos(env, env["res.partner"].browse(self.ids["outlet"])))

    def test_a_worker_skips_the_outlet_another_one_holds(self):
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        try:
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # worker A holds one deployment of the outlet (not committed)
            cr_a.execute(
                "SELECT id FROM spm_pop_deployment WHERE id = %s FOR NO KEY UPDATE",
                [self.ids["deployments"][0]],
            )
            cr_b.execute("SET LOCAL lock_timeout = '2s'")
            with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                env_b["spm.pop.deployment"]._cron_pop_inspections_due(partner_ids=self.outlet_ids)
            env_b.flush_all()
            cr_b.commit()
        finally:
            cr_a.rollback()
            cr_a.close()
            cr_b.close()
        # B did not split the outlet: neither deployment notified, no to-do
        self.assertEqual(self._count_todos(), 0)

    def test_two_concurrent_runs_schedule_one_todo(self):
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        try:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # worker B starts its transaction (and its snapshot) before A commits
            cr_b.execute("SELECT 1")
            env_a["spm.pop.deployment"]._cron_pop_inspections_due(partner_ids=self.outlet_ids)
            env_a.flush_all()
            cr_a.commit()
            with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                env_b["spm.pop.deployment"]._cron_pop_inspections_due(partner_ids=self.outlet_ids)
            env_b.flush_all()
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        self.assertEqual(self._count_todos(), 1)
