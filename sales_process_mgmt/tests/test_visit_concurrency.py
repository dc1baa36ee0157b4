from datetime import timedelta

from odoo import SUPERUSER_ID, api, fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestVisitCronConcurrency(TransactionCase):
    """Two workers run the revisit cron at the same moment, each in its own
    transaction: the customer gets one revisit, and the second worker does not fail."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create(
                {
                    "name": "Concurrency Outlet",
                    "is_company": True,
                    "spm_tier": "A",
                    "user_id": env.ref("base.user_admin").id,
                }
            )
            # never visited: due since today; its overdue flag is up to date, so
            # the workers below have no customer flag to refresh
            env["res.partner"]._spm_refresh_visit_overdue([("id", "=", partner.id)])
            self.assertTrue(partner.spm_next_visit_due)
            cr.commit()  # pylint: disable=invalid-commit
        self.partner_id = partner.id
        self.envs = [
            api.Environment(self.env.registry.cursor(), SUPERUSER_ID, {}) for _ in range(3)
        ]
        self.addCleanup(self._clean_up)

    def _clean_up(self):
        for env in self.envs:
            env.cr.rollback()
            env.cr.close()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["spm.visit"].search([("partner_id", "=", self.partner_id)]).unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def test_two_workers_plan_one_revisit(self):
        env0, env1, env2 = self.envs
        # worker 2 starts its transaction before worker 1 commits: it cannot see
        # worker 1's revisit and tries to plan one too
        env2.cr.execute("SELECT 1")
        self.assertEqual(env1["spm.visit"]._cron_plan_revisits(partner_ids=[self.partner_id]), 1)
        env1.cr.commit()
        # worker 2 still sees the customer as due, without an open visit ...
        due = env2["res.partner"].search_count(
            [("id", "=", self.partner_id), *env2["spm.visit"]._spm_revisit_domain()]
        )
        self.assertEqual(due, 1)
        with mute_logger("odoo.sql_db"):
            planned = env2["spm.visit"]._cron_plan_revisits(partner_ids=[self.partner_id])
        env2.cr.commit()
        # ... yet plans nothing: the database index stopped it
        self.assertEqual(planned, 0)
        visits = env0["spm.visit"].search([("partner_id", "=", self.partner_id)])
        self.assertEqual(len(visits), 1)
        self.assertEqual(visits.purpose, "revisit")
        self.assertEqual(len(visits.activity_ids), 1)
        self.assertLessEqual(
            # today, or after a weekend
            visits.visit_date,
            fields.Date.context_today(visits) + timedelta(days=3),
        )


@tagged("post_install", "-at_install")
class TestVisitCheckInConcurrency(TransactionCase):
    """A rep checks in on the phone and, at the same moment, in another tab: the
    second check-in gets a clear message, not a database error."""

    def setUp(self):
        super().setUp()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            partner = env["res.partner"].create(
                {"name": "Check-in Race Outlet", "is_company": True}
            )
            visits = env["spm.visit"].create(
                [
                    {
                        "partner_id": partner.id,
                        "user_id": env.ref("base.user_admin").id,
                        "planned_start": fields.Datetime.now(),
                    }
                    for _ in range(2)
                ]
            )
            cr.commit()  # pylint: disable=invalid-commit
        self.partner_id = partner.id
        self.visit_ids = visits.ids
        self.envs = [
            api.Environment(self.env.registry.cursor(), SUPERUSER_ID, {}) for _ in range(2)
        ]
        self.addCleanup(self._clean_up)

    def _clean_up(self):
        for env in self.envs:
            env.cr.rollback()
            env.cr.close()
        with self.env.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["spm.visit"].browse(self.visit_ids).unlink()
            env["res.partner"].browse(self.partner_id).unlink()
            cr.commit()  # pylint: disable=invalid-commit

    def test_lost_check_in_race_logs_no_error(self):
        env1, env2 = self.envs
        # the second tab's transaction starts before the phone's check-in commits
        env2.cr.execute("SELECT 1")
        env1["spm.visit"].browse(self.visit_ids[0]).action_check_in()
        env1.cr.commit()
        with (
            self.assertNoLogs("odoo", level="ERROR"),
            self.assertRaisesRegex(
                UserError,
                "has just checked in to another visit or changed one \\(on another device "
                "or tab\\): reload My day and try VIS/\\S+ again",
            ),
        ):
            env2["spm.visit"].browse(self.visit_ids[1]).action_check_in()
        # the refusal leaves the transaction usable and the visit planned
        visit = env2["spm.visit"].browse(self.visit_ids[1])
        self.assertEqual(visit.state, "planned")

    def test_same_visit_checked_in_from_two_tabs_logs_no_error(self):
        env1, env2 = self.envs
        env2.cr.execute("SELECT 1")
        env1["spm.visit"].browse(self.visit_ids[0]).action_check_in()
        env1.cr.commit()
        with (
            self.assertNoLogs("odoo", level="ERROR"),
            self.assertRaisesRegex(UserError, "has just checked in to another visit"),
        ):
            env2["spm.visit"].browse(self.visit_ids[0]).action_check_in()
