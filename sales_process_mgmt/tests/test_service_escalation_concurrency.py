from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged

from .test_service_escalation import ESCALATION, OPENED, opened_at

# past both deadlines, whatever the timezone of the company calendar
LATE = "2026-03-20 02:00:00"


@tagged("post_install", "-at_install")
class TestServiceEscalationConcurrency(TransactionCase):
    """Two workers run the escalation at the same time: each request is escalated
    once, without an error. Needs committed data, removed again at the end."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            leader = env["res.users"].create(
                {
                    "name": "SPM service leader",
                    "login": "spm_service_leader_cc",
                    "groups_id": [(4, env.ref("sales_team.group_sale_salesman_all_leads").id)],
                }
            )
            rep = env["res.users"].create(
                {"name": "SPM service rep", "login": "spm_service_rep_cc"}
            )
            team = env["crm.team"].create({"name": "SPM service team", "user_id": leader.id})
            with opened_at(env, OPENED):
                requests = env["spm.service.request"].create(
                    [
                        {
                            "subject": f"SPM concurrent request {index}",
                            "user_id": rep.id,
                            "team_id": team.id,
                            "priority": "1",
                        }
                        for index in range(2)
                    ]
                )
            self.ids = {
                "leader": leader.id,
                "rep": rep.id,
                "team": team.id,
                "requests": requests.ids,
            }
        self.addCleanup(self._remove_committed_data)
        self.env.cr.execute(
            "SELECT COUNT(*) FROM ir_cron_trigger WHERE cron_id = %s",
            [self.env.ref("sales_process_mgmt.ir_cron_spm_service_escalation").id],
        )
        self.triggers_before = self.env.cr.fetchone()[0]

    def _remove_committed_data(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            requests = env["spm.service.request"].browse(self.ids["requests"])
            requests.activity_ids.unlink()
            requests.message_ids.unlink()
            requests.unlink()
            env["crm.team"].browse(self.ids["team"]).unlink()
            env["res.users"].browse([self.ids["rep"], self.ids["leader"]]).unlink()

    def _run(self, env):
        with freeze_time(LATE):
            done = env["spm.service.request"]._cron_escalate_overdue(
                request_ids=self.ids["requests"]
            )
        env.flush_all()
        return done

    def _escalations(self):
        """``{request id: (escalated, to-dos, notes)}`` as committed."""
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            todo_type = env.ref(ESCALATION)
            result = {}
            for request in env["spm.service.request"].browse(self.ids["requests"]):
                notes = request.message_ids.filtered(
                    lambda message: "SLA breached" in (message.body or "")
                )
                todos = request.activity_ids.filtered(
                    lambda activity: activity.activity_type_id == todo_type
                )
                result[request.id] = (request.escalated, len(todos), len(notes))
            return result

    def test_a_worker_skips_the_request_another_one_holds(self):
        held, free = self.ids["requests"]
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        try:
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # worker A (or a user saving the request) holds the first request
            cr_a.execute(
                "SELECT id FROM spm_service_request WHERE id = %s FOR NO KEY UPDATE", [held]
            )
            cr_b.execute("SET LOCAL lock_timeout = '2s'")
            with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                self.assertEqual(self._run(env_b), 1)
            cr_b.commit()
        finally:
            cr_a.rollback()
            cr_a.close()
            cr_b.close()
        self.assertEqual(self._escalations(), {held: (False, 0, 0), free: (True, 1, 1)})

    def test_two_workers_at_once_escalate_each_request_once(self):
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        try:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # A has escalated both and not committed yet: B skips them
            self.assertEqual(self._run(env_a), 2)
            cr_b.execute("SET LOCAL lock_timeout = '2s'")
            with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                self.assertEqual(self._run(env_b), 0)
            cr_a.commit()
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        self.assertEqual(set(self._escalations().values()), {(True, 1, 1)})

    def test_a_worker_started_before_the_other_committed_escalates_nothing_again(self):
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        try:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {})
            # B starts its transaction (and its snapshot) before A commits
            cr_b.execute("SELECT 1")
            self.assertEqual(self._run(env_a), 2)
            cr_a.commit()
            with self.assertNoLogs("odoo.sql_db", level="ERROR"):
                self.assertEqual(self._run(env_b), 0)
            cr_b.commit()
        finally:
            cr_a.close()
            cr_b.close()
        self.assertEqual(set(self._escalations().values()), {(True, 1, 1)})

    def test_under_the_scheduler_a_worker_that_lost_the_race_runs_again(self):
        cron_id = self.env.ref("sales_process_mgmt.ir_cron_spm_service_escalation").id
        cr_a, cr_b = self.registry.cursor(), self.registry.cursor()
        try:
            env_a = api.Environment(cr_a, SUPERUSER_ID, {})
            env_b = api.Environment(cr_b, SUPERUSER_ID, {"ir_cron_progress_id": -1})
            cr_b.execute("SELECT 1")
            self._run(env_a)
            cr_a.commit()
            self.assertEqual(self._run(env_b), 0)
            cr_b.execute("SELECT COUNT(*) FROM ir_cron_trigger WHERE cron_id = %s", [cron_id])
            self.assertEqual(cr_b.fetchone()[0], 1 + self.triggers_before)
        finally:
            cr_a.close()
            cr_b.rollback()
            cr_b.close()
        self.assertEqual(set(self._escalations().values()), {(True, 1, 1)})

    def test_two_runs_one_after_the_other_escalate_once(self):
        for __ in range(2):
            with self.registry.cursor() as cr:
                self._run(api.Environment(cr, SUPERUSER_ID, {}))
        self.assertEqual(set(self._escalations().values()), {(True, 1, 1)})
