from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_collection import SpmCollectionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestCollectionTask(SpmCollectionCommon):
    # Creation by the scheduler ----------------------------------------------------------
    def test_cron_creates_tasks_for_due_and_overdue_invoices_only(self):
        overdue = self._invoice(1000.0, "2026-02-01")
        due_soon = self._invoice(500.0, "2026-03-15")
        due_later = self._invoice(700.0, "2026-05-01")
        draft = self._invoice(300.0, "2026-02-01", post=False)
        self.Task._cron_refresh_tasks()
        self.assertTrue(self._task(overdue))
        self.assertTrue(self._task(due_soon))
        self.assertFalse(self._task(due_later), "beyond the 7 days horizon")
        self.assertFalse(self._task(draft))
        task = self._task(overdue)
        self.assertRecordValues(
            task,
            [
                {
                    "partner_id": self.customer.id,
                    "user_id": self.rep.id,
                    "team_id": self.team.id,
                    "state": "open",
                    "amount_residual": 1000.0,
                    "date_due": date(2026, 2, 1),
                    "rule_id": self.rule.id,
                    # Overdue: planned now, 10:00 in Shanghai (09:00 has passed).
                    "planned_date": datetime(2026, 3, 10, 2),
                    "days_overdue": 37,
                }
            ],
        )
        self.company.spm_collection_horizon_days = 60
        self.Task._cron_refresh_tasks()
        self.assertTrue(self._task(due_later))

    def test_cron_is_idempotent(self):
        move = self._invoice(1000.0, "2026-02-01")
        first = self.Task._cron_refresh_tasks()
        self.assertEqual(first["created"], 1)
        task = self._task(move)
        messages = len(task.message_ids)
        second = self.Task._cron_refresh_tasks()
        self.assertEqual((second["created"], second["refreshed"]), (0, 0))
        self.assertEqual(self._task(move), task)
        self.assertEqual(len(task.message_ids), messages)

    def test_one_task_per_invoice_enforced_by_database(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        with (
            self.assertRaisesRegex(Exception, "spm_collection_task_move_uniq"),
            mute_logger("odoo.sql_db"),
            self.cr.savepoint(),
        ):
            self.Task.create({"move_id": move.id})
        # The creation path used by the scheduler skips invoices that have a task.
        self.assertFalse(self.Task._create_for_moves(move))

    def test_replanned_when_the_day_changes(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        with freeze_time("2026-03-11 00:30:00"):  # 08:30 in Shanghai
            result = self.Task._cron_refresh_tasks()
        self.assertEqual(result["refreshed"], 1)
        self.assertEqual(task.planned_date, datetime(2026, 3, 11, 1))

    # Accounting closes the task ---------------------------------------------------------
    def test_partial_payment_keeps_task_open_with_new_residual(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        self._pay(move, 400.0)
        self.assertEqual(task.state, "open")
        self.assertEqual(task.amount_residual, 600.0)

    def test_full_payment_collects_task(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        self._pay(move, 400.0)
        self._pay(move, 600.0)
        self.assertEqual(task.state, "collected")
        self.assertEqual(task.amount_residual, 0.0)
        self.env.cr.precommit.run()  # tracking is written at commit
        self.assertIn("Collected", task.message_ids.tracking_value_ids.mapped("new_value_char"))

    def test_credit_note_closes_task(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        self._credit_note(move)
        self.assertEqual(move.payment_state, "reversed")
        self.assertEqual(task.state, "collected")

    def test_paid_invoice_gets_no_task(self):
        move = self._invoice(1000.0, "2026-02-01")
        self._pay(move, 1000.0)
        self.Task._cron_refresh_tasks()
        self.assertFalse(self._task(move))

    # Promises ---------------------------------------------------------------------------
    def test_promises_defer_then_escalate_to_manager(self):
        move = self._invoice(1000.0, "2026-03-14")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        first = self._promise(task, "2026-03-12")
        self.assertEqual((task.state, task.deferral_count), ("promised", 0))
        self.assertFalse(first.is_deferral, "before the due date: no deferral")
        self.assertEqual(first.user_id, self.rep)
        self.assertEqual(task.planned_date, datetime(2026, 3, 12, 1))
        second = self._promise(task, "2026-03-16")
        self.assertTrue(second.is_deferral)
        self.assertEqual((task.state, task.deferral_count), ("promised", 1))
        self._promise(task, "2026-03-20")
        self.assertEqual((task.state, task.deferral_count), ("escalated", 2))
        activity = task.activity_ids.filtered(lambda act: act.user_id == self.manager)
        self.assertEqual(len(activity), 1)
        self.assertIn("more than the 1 deferrals", task.message_ids[0].body)
        self.assertIn("the customer's orders are held", task.message_ids[0].body)

    def test_promise_in_the_past_or_not_positive_refused(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        with self.assertRaisesRegex(ValidationError, "cannot be dated in the past"):
            self._promise(task, "2026-03-09")
        with self.assertRaisesRegex(ValidationError, "must be positive"):
            self._promise(task, "2026-03-12", amount=0.0)

    def test_promise_beyond_horizon_is_refused(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        with (
            self.assertRaisesRegex(
                ValidationError,
                r"dated 12/31/9999 is too far ahead: collection rule Everyone accepts "
                r"promises up to 60 days ahead, until 05/09/2026",
            ),
            self.cr.savepoint(),
        ):
            self._promise(task, "9999-12-31")
        with self.assertRaisesRegex(ValidationError, "is too far ahead"), self.cr.savepoint():
            self._promise(task, "2026-05-10", user=self.manager)
        self.assertFalse(task.promise_ids)
        self.assertEqual(task.state, "open")

    def test_promise_on_the_last_day_of_the_horizon_is_accepted(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        self._promise(task, "2026-05-09")
        self.assertEqual(task.state, "promised")

    def test_promise_horizon_follows_the_rule(self):
        self.rule.max_promise_days = 10
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        with self.assertRaisesRegex(ValidationError, "up to 10 days ahead, until 03/20/2026"):
            self._promise(task, "2026-03-21")
        self._promise(task, "2026-03-20")

    def test_promise_horizon_cannot_be_negative(self):
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.rule.max_promise_days = -1

    # Deferrals: promises dated after the invoice's due date --------------------------------
    def test_promise_before_the_due_date_is_no_deferral(self):
        move = self._invoice(1000.0, "2026-03-15")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        for day in ("2026-03-12", "2026-03-13", "2026-03-15"):
            self._promise(task, day)
        self.assertEqual((task.state, task.deferral_count), ("promised", 0))

    def test_second_deferral_escalates_with_the_default_maximum(self):
        move = self._invoice(1000.0, "2026-02-01")  # already due: every promise defers
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        first = self._promise(task, "2026-03-12")
        self.assertTrue(first.is_deferral)
        self.assertEqual((task.state, task.deferral_count), ("promised", 1))
        self._promise(task, "2026-03-16")
        self.assertEqual((task.state, task.deferral_count), ("escalated", 2))

    def test_third_deferral_escalates_with_two_allowed(self):
        self.rule.max_deferrals = 2
        move = self._invoice(1000.0, "2026-03-11")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        self._promise(task, "2026-03-11")  # on the due date: no deferral
        self._promise(task, "2026-03-12")
        self._promise(task, "2026-03-16")
        self.assertEqual((task.state, task.deferral_count), ("promised", 2))
        self._promise(task, "2026-03-20")
        self.assertEqual((task.state, task.deferral_count), ("escalated", 3))
        self.assertIn("more than the 2 deferrals", task.message_ids[0].body)

    # Protected fields of a task ------------------------------------------------------------
    def test_manager_may_correct_task_fields(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        task.with_user(self.manager).write({"user_id": self.rep_colleague.id})
        self.assertEqual(task.user_id, self.rep_colleague)

    def test_rep_cannot_link_a_visit_or_write_the_rule(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            task.with_user(self.rep).write({"rule_id": False})
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            task.with_user(self.rep).write({"refreshed_on": "2026-03-01"})

    def test_promise_on_collected_task_refused(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        self._pay(move, 1000.0)
        with self.assertRaisesRegex(UserError, "is closed: promises are recorded on open tasks"):
            self._promise(task, "2026-03-12")

    def test_broken_promise_marked_after_grace_days(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        promise = self._promise(task, "2026-03-12")
        with freeze_time("2026-03-15 02:00:00"):
            self.Task._cron_refresh_tasks()
        self.assertEqual(promise.state, "pending", "still within the 3 grace days")
        with freeze_time("2026-03-16 02:00:00"):
            self.Task._cron_refresh_tasks()
        self.assertEqual(promise.state, "broken")
        self.assertEqual(task.state, "open")
        self.assertIn("was broken", task.message_ids[0].body)

    def test_kept_promise_when_paid(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        promise = self._promise(task, "2026-03-12")
        self._pay(move, 1000.0)
        self.Task._cron_refresh_tasks()
        self.assertEqual(promise.state, "kept")

    # Access -----------------------------------------------------------------------------
    def test_rep_cannot_edit_or_delete_promises(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        promise = self._promise(self._task(move), "2026-03-12")
        with self.assertRaisesRegex(AccessError, "audit trail: they cannot be changed"):
            promise.with_user(self.rep).write({"promised_date": "2026-04-30"})
        with self.assertRaisesRegex(AccessError, "audit trail: they cannot be changed"):
            promise.with_user(self.manager).write({"amount": 1.0})
        with self.assertRaisesRegex(AccessError, "audit trail: they cannot be changed"):
            promise.sudo().write({"state": "kept"})  # the superuser neither
        with self.assertRaisesRegex(AccessError, "audit trail: they cannot be deleted"):
            promise.sudo().unlink()
        with self.assertRaises(AccessError):
            promise.with_user(self.rep).unlink()
        with self.assertRaises(AccessError):
            promise.with_user(self.manager).unlink()

    def test_rep_sees_own_tasks_only_and_cannot_write_off(self):
        mine = self._invoice(1000.0, "2026-02-01")
        theirs = self._invoice(800.0, "2026-02-01", user=self.rep_colleague)
        self.Task._cron_refresh_tasks()
        visible = self.Task.with_user(self.rep).search([])
        self.assertEqual(visible, self._task(mine))
        with self.assertRaises(AccessError):
            self._task(theirs).with_user(self.rep).read(["state"])
        with self.assertRaisesRegex(UserError, "Only a sales manager may write off"):
            self._task(mine).with_user(self.rep).action_write_off()
        self._task(mine).with_user(self.manager).action_write_off()
        self.assertEqual(self._task(mine).state, "written_off")

    def test_plan_collection_visit_plans_a_visit_for_the_rep(self):
        move = self._invoice(1000.0, "2026-03-14")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        action = task.with_user(self.rep).action_plan_collection_visit()
        visit = task.visit_id
        self.assertEqual(action["res_id"], visit.id)
        self.assertEqual(visit.purpose, "collection")
        self.assertEqual(visit.user_id, self.rep)
        self.assertEqual(visit.partner_id, self.customer)
        self.assertEqual(visit.planned_start, task.planned_date)
        self.assertIn(move.name, visit.objective)
        again = task.with_user(self.rep).action_plan_collection_visit()
        self.assertEqual(again["res_id"], visit.id, "the planned visit is reopened, not doubled")

    def test_plan_collection_visit_refused_on_a_closed_task(self):
        move = self._invoice(1000.0, "2026-03-14")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        task.with_user(self.manager).action_write_off()
        with self.assertRaisesRegex(UserError, "is closed: there is nothing left to collect"):
            task.with_user(self.rep).action_plan_collection_visit()

    def test_user_outside_sales_reads_customer_collection_fields(self):
        clerk = new_test_user(
            self.env,
            login="spm_coll_clerk",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[self.company.id],
        )
        self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        [values] = self.customer.with_user(clerk).read(
            ["spm_collection_rule_id", "spm_collection_task_count"]
        )
        self.assertEqual(values["spm_collection_rule_id"][0], self.rule.id)
        self.assertEqual(values["spm_collection_task_count"], 0)
        self.assertEqual(self.customer.with_user(self.rep).spm_collection_task_count, 1)
