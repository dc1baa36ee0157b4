from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged
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

    def test_scheduler_in_utc_plans_on_customers_today(self):
        with freeze_time("2026-03-10 17:00:00"):  # 01:00 on the 11th in Shanghai
            move = self._invoice(1000.0, "2026-02-01")
            self.Task.with_context(tz="UTC")._cron_refresh_tasks()
        # 09:00 on the 11th in Shanghai, not 09:00 on the 10th (already past).
        self.assertEqual(self._task(move).planned_date, datetime(2026, 3, 11, 1))

    def test_overdue_task_not_planned_before_now(self):
        self.rule.window_ids = [(0, 0, {"hour_from": 14, "hour_to": 16, "reason": "Nap"})]
        with freeze_time("2026-03-10 06:30:00"):  # 14:30 in Shanghai
            move = self._invoice(1000.0, "2026-02-01")
            self.Task._cron_refresh_tasks()
        # The morning has passed and 14:00-16:00 is blacked out: 16:00 Shanghai.
        self.assertEqual(self._task(move).planned_date, datetime(2026, 3, 10, 8))

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

    def test_cancelled_invoice_cancels_task(self):
        move, task = self._open_task()
        move.button_draft()
        move.button_cancel()
        self.assertEqual(task.state, "cancelled")

    def test_invoice_reset_to_draft_leaves_ageing(self):
        move, task = self._open_task()
        move.button_draft()
        self.env.flush_all()
        rows = self.env["spm.collection.ageing.report"].search([("task_id", "=", task.id)])
        self.assertEqual((task.state, len(rows)), ("cancelled", 0))

    def test_reposted_invoice_reopens_task(self):
        move, task = self._open_task()
        move.button_draft()
        move.action_post()
        self.assertEqual(task.state, "open")

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

    def test_promise_on_collected_task_refused(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        self._pay(move, 1000.0)
        with self.assertRaisesRegex(UserError, "is closed: promises are recorded on open tasks"):
            self._promise(task, "2026-03-12")

    def test_promise_refused_on_cancelled_task(self):
        move, task = self._open_task()
        move.button_draft()
        move.button_cancel()
        with self.assertRaisesRegex(UserError, "is closed: promises are recorded on open tasks"):
            self._promise(task, "2026-03-12")

    def test_promise_date_not_shifted_to_payday(self):
        self.customer.spm_payday = "18"
        _move, task = self._open_task()
        self._promise(task, "2026-03-11")
        # 09:00 in Shanghai on the promised day, not the day after the 18th payday.
        self.assertEqual(task.planned_date, datetime(2026, 3, 11, 1))

    def test_daily_replan_keeps_promised_date_despite_payday(self):
        self.customer.spm_payday = "18"
        _move, task = self._open_task()
        self._promise(task, "2026-03-12")
        with freeze_time("2026-03-11 02:00:00"):
            self.Task._cron_refresh_tasks()
        self.assertEqual(task.planned_date, datetime(2026, 3, 12, 1))

    def test_newest_promise_anchors_even_when_earlier(self):
        _move, task = self._open_task()
        self._promise(task, "2026-03-20")
        self._promise(task, "2026-03-13")
        self.assertEqual(task.last_promise_date, date(2026, 3, 13))
        self.assertEqual(task.planned_date, datetime(2026, 3, 13, 1))

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

    # Deferrals: promises dated after the invoice's due date -----------------------------
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

    def test_batch_promises_count_those_after_the_due_date_as_deferrals(self):
        _move, task = self._open_task(due="2026-03-13")
        promises = (
            self.env["spm.payment.promise"]
            .with_user(self.rep)
            .create(
                [
                    {
                        "task_id": task.id,
                        "promised_date": day,
                        "amount": 100.0,
                        "reason": "Boss away",
                    }
                    for day in ("2026-03-12", "2026-03-14", "2026-03-13")
                ]
            )
        )
        self.assertEqual(promises.mapped("is_deferral"), [False, True, False])
        self.assertEqual(task.deferral_count, 1)

    def test_repeated_escalation_schedules_one_manager_activity(self):
        _move, task = self._open_task()
        for day in ("2026-03-12", "2026-03-13", "2026-03-14", "2026-03-15"):
            self._promise(task, day)
        activities = task.activity_ids.filtered(lambda act: act.user_id == self.manager)
        self.assertEqual((task.state, len(activities)), ("escalated", 1))

    # A task holding promises outlives its invoice's deletion ----------------------------
    def test_task_with_promises_cannot_be_deleted(self):
        _move, task = self._open_task()
        self._promise(task, "2026-03-12")
        with self.assertRaisesRegex(UserError, "cannot be deleted: it holds 1 promises to pay"):
            task.with_user(self.manager).unlink()
        self.assertTrue(task.exists())

    def test_task_without_promises_can_be_deleted(self):
        _move, task = self._open_task()
        task.with_user(self.manager).unlink()
        self.assertFalse(task.exists())

    def test_draft_invoice_with_promises_cannot_be_deleted(self):
        move, task = self._open_task()
        self._promise(task, "2026-03-12")
        move.button_draft()
        with self.assertRaisesRegex(UserError, "Cancel the invoice instead"):
            move.unlink()
        self.assertEqual(len(task.promise_ids), 1)

    # Collection visits ------------------------------------------------------------------
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

    def test_plan_visit_from_stale_planned_date_plans_now(self):
        _move, task = self._open_task()
        task.planned_date = datetime(2026, 3, 9, 1)  # yesterday: the cron has not run yet
        task.with_user(self.rep).action_plan_collection_visit()
        self.assertEqual(task.visit_id.planned_start, datetime(2026, 3, 10, 2))
