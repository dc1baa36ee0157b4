from odoo import SUPERUSER_ID, api, fields
from odoo.tests import TransactionCase, tagged

from .common import customer_invoice


@tagged("post_install", "-at_install")
class TestCollectionConcurrency(TransactionCase):
    """Two workers create the tasks of the same invoice at the same time: one task,
    no failure. Needs committed data, removed again at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create({"name": "SPM concurrency customer"})
            move = customer_invoice(env, partner, 100.0, "2026-02-04", invoice_date="2026-01-05")
            self.partner_id, self.move_id = partner.id, move.id
        self.addCleanup(self._remove_committed_data)

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["spm.collection.task"].search([("move_id", "=", self.move_id)]).unlink()
            move = env["account.move"].browse(self.move_id)
            move.button_draft()
            move.with_context(force_delete=True).unlink()
            env["res.partner"].browse(self.partner_id).unlink()

    def test_two_concurrent_runs_create_one_task(self):
        cr_a = self.registry.cursor()
        cr_b = self.registry.cursor()
        try:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # Worker B starts its transaction (and its snapshot) before A commits.
            cr_b.execute("SELECT 1")
            created_a = env_a["spm.collection.task"]._create_for_moves(
                env_a["account.move"].browse(self.move_id)
            )
            cr_a.commit()
            # B does not see A's task, tries to create it, hits the unique index and
            # skips it instead of failing.
            created_b = env_b["spm.collection.task"]._create_for_moves(
                env_b["account.move"].browse(self.move_id)
            )
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        self.assertEqual(len(created_a), 1)
        self.assertFalse(created_b)
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT COUNT(*) FROM spm_collection_task WHERE move_id = %s", [self.move_id]
            )
            self.assertEqual(cr.fetchone()[0], 1)

    def test_second_run_skips_tasks_the_first_is_refreshing(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            task = env["spm.collection.task"]._create_for_moves(
                env["account.move"].browse(self.move_id)
            )
            cr.execute(
                "UPDATE spm_collection_task SET refreshed_on = '2000-01-01' WHERE id = %s",
                task.ids,
            )
        cr_a = self.registry.cursor()
        cr_b = self.registry.cursor()
        try:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            today = fields.Date.context_today(env_a["spm.collection.task"])
            # Worker A holds the task's batch (still refreshing it, not committed).
            locked = env_a["spm.collection.task"]._lock_stale_tasks(today, 100)
            self.assertIn(task.id, locked.ids)
            # Worker B neither waits for A nor writes the same task.
            cr_b.execute("SET LOCAL lock_timeout = '2s'")
            env_b["spm.collection.task"]._cron_refresh_tasks()
            env_b.flush_all()
            cr_b.execute(
                "SELECT refreshed_on::text FROM spm_collection_task WHERE id = %s", task.ids
            )
            self.assertEqual(cr_b.fetchone()[0], "2000-01-01")
        finally:
            cr_a.rollback()
            cr_b.rollback()
            cr_a.close()
            cr_b.close()
