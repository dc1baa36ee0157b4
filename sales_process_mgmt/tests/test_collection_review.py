from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_collection import SpmCollectionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestCollectionReview(SpmCollectionCommon):
    """Review findings on collection tasks and promises, one behaviour per test."""

    def _open_task(self, amount=1000.0, due="2026-02-01"):
        move = self._invoice(amount, due)
        self.Task._cron_refresh_tasks()
        return move, self._task(move)

    # 1. A rep's raw writes ---------------------------------------------------------------
    def test_rep_cannot_reset_deferral_count(self):
        _move, task = self._open_task()
        self._promise(task, "2026-03-12")
        self._promise(task, "2026-03-20")
        with self.assertRaisesRegex(
            AccessError, "A salesperson may change only the planned date and the note"
        ):
            task.with_user(self.rep).write({"deferral_count": 0})
        self.assertEqual(task.deferral_count, 2)

    def test_rep_cannot_write_state(self):
        _move, task = self._open_task()
        with self.assertRaisesRegex(
            AccessError, "State cannot be written directly.*ask a sales manager"
        ):
            task.with_user(self.rep).write({"state": "written_off"})
        self.assertEqual(task.state, "open")

    def test_rep_cannot_move_task_to_another_customer(self):
        _move, task = self._open_task()
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        with self.assertRaisesRegex(AccessError, "Customer cannot be written directly"):
            task.with_user(self.rep).write({"partner_id": other.id})

    def test_rep_cannot_rewrite_invoice_figures(self):
        _move, task = self._open_task()
        with self.assertRaisesRegex(AccessError, "Amount Due cannot be written directly"):
            task.with_user(self.rep).write({"amount_residual": 1.0})

    def test_rep_may_replan_and_note(self):
        _move, task = self._open_task()
        task.with_user(self.rep).write(
            {"planned_date": datetime(2026, 3, 11, 6), "note": "<p>Call first</p>"}
        )
        self.assertEqual(task.planned_date, datetime(2026, 3, 11, 6))

    def test_rep_promise_still_moves_task_state(self):
        _move, task = self._open_task()
        self._promise(task, "2026-03-12")
        self.assertEqual(task.state, "promised")

    def test_manager_may_write_task_fields(self):
        _move, task = self._open_task()
        task.with_user(self.manager).write({"user_id": self.rep_colleague.id})
        self.assertEqual(task.user_id, self.rep_colleague)

    # 8. Promises survive ------------------------------------------------------------------
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

    # 7. Cancelled invoices --------------------------------------------------------------
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

    def test_promise_refused_on_cancelled_task(self):
        move, task = self._open_task()
        move.button_draft()
        move.button_cancel()
        with self.assertRaisesRegex(UserError, "is closed: promises are recorded on open tasks"):
            self._promise(task, "2026-03-12")

    # 5. Promised dates are the customer's word -----------------------------------------
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

    # 24. Collection visits are never planned in the past ---------------------------------
    def test_plan_visit_from_stale_planned_date_plans_now(self):
        _move, task = self._open_task()
        task.planned_date = datetime(2026, 3, 9, 1)  # yesterday: the cron has not run yet
        task.with_user(self.rep).action_plan_collection_visit()
        self.assertEqual(task.visit_id.planned_start, datetime(2026, 3, 10, 2))

    # 18. Batches of promises, one escalation activity ---------------------------------------
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

    # 17. Company consistency ----------------------------------------------------------------
    def _other_company(self):
        return self.env["res.company"].create({"name": "Other Trading Co"})

    def test_rule_refuses_region_of_another_company(self):
        other = self._other_company()
        region = self.env["spm.region"].create(
            {"name": "North", "code": "OC-N", "company_id": other.id}
        )
        with self.assertRaisesRegex(UserError, "belongs to another company"):
            self.rule.region_ids = region

    def test_rule_refuses_customer_of_another_company(self):
        other = self._other_company()
        partner = self.env["res.partner"].create({"name": "Far Co", "company_id": other.id})
        with self.assertRaisesRegex(UserError, "belongs to another company"):
            self.rule.partner_ids = partner

    def test_task_refuses_salesperson_of_another_company(self):
        other = self._other_company()
        outsider = self.env["res.users"].create(
            {
                "name": "Outsider",
                "login": "spm_coll_outsider",
                "company_id": other.id,
                "company_ids": [(6, 0, other.ids)],
            }
        )
        _move, task = self._open_task()
        with self.assertRaisesRegex(UserError, "belongs to another company"):
            task.with_user(self.manager).write({"user_id": outsider.id})

    # 12. Defaults in one place, for every company ---------------------------------------
    def test_new_company_gets_default_rule(self):
        other = self._other_company()
        rule = self.env["spm.collection.rule"].search([("company_id", "=", other.id)])
        self.assertRecordValues(
            rule,
            [
                {
                    "scope_level": "global",
                    "max_deferrals": 1,
                    "grace_days": 3,
                    "block_orders_after_days": 30,
                    "max_promise_days": 60,
                    "hold_overdue": False,
                    "hold_deferrals": False,
                    "hold_credit_limit": False,
                }
            ],
        )

    def test_promise_without_rule_keeps_default_grace_days(self):
        self.env["spm.collection.rule"].search(
            [("company_id", "=", self.company.id)]
        ).active = False
        _move, task = self._open_task()
        self.assertFalse(task.rule_id)
        promise = self._promise(task, "2026-03-11")
        with freeze_time("2026-03-13 02:00:00"):
            self.Task._cron_refresh_tasks()
        self.assertEqual(promise.state, "pending", "3 grace days, as a new rule has")

    # 13. The customer's today and now ----------------------------------------------------
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

    # 14. A rule always leaves a moment to collect ------------------------------------------
    def test_rule_blacking_out_every_hour_refused(self):
        with self.assertRaisesRegex(
            ValidationError, "cover every collection hour \\(09:00 to 18:00\\) of every day"
        ):
            self.rule.window_ids = [
                (0, 0, {"hour_from": 0, "hour_to": 12}),
                (0, 0, {"hour_from": 12, "hour_to": 24}),
            ]

    def test_window_added_directly_blacking_out_every_hour_refused(self):
        self.env["spm.collection.window"].create(
            {"rule_id": self.rule.id, "hour_from": 0, "hour_to": 12}
        )
        with self.assertRaisesRegex(ValidationError, "Shorten a window"):
            self.env["spm.collection.window"].create(
                {"rule_id": self.rule.id, "hour_from": 11, "hour_to": 20}
            )

    # 19-22. Payday and blackout together ---------------------------------------------------
    def test_payday_shift_then_blackout_window(self):
        self.customer.spm_payday = "15"
        self.rule.window_ids = [
            (0, 0, {"weekday": "0", "hour_from": 0, "hour_to": 24, "reason": "Monday market"}),
            (0, 0, {"hour_from": 0, "hour_to": 13, "reason": "Mornings"}),
        ]
        move = self._invoice(1000.0, "2026-03-12")
        self.Task._cron_refresh_tasks()
        # Payday Sunday 15th + 1 day = Monday 16th, blacked out: Tuesday 17th 13:00
        # in Shanghai (05:00 UTC).
        self.assertEqual(self._task(move).planned_date, datetime(2026, 3, 17, 5))
