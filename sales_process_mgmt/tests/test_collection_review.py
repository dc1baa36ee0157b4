from datetime import date, datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common_collection import SpmCollectionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestCollectionReview(SpmCollectionCommon):
    """Review findings on collection tasks and promises, one behaviour per test."""

    def _promise(self, task, promised_date, amount=100.0, user=None, reason="Boss away"):
        return (
            self.env["spm.payment.promise"]
            .with_user(user or self.rep)
            .create(
                {
                    "task_id": task.id,
                    "promised_date": promised_date,
                    "amount": amount,
                    "reason": reason,
                }
            )
        )

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
            AccessError, "a salesperson may change only the planned date and the note"
        ):
            task.with_user(self.rep).write({"deferral_count": 0})
        self.assertEqual(task.deferral_count, 1)

    def test_rep_cannot_write_state(self):
        _move, task = self._open_task()
        with self.assertRaisesRegex(AccessError, "not State.*ask a sales manager"):
            task.with_user(self.rep).write({"state": "written_off"})
        self.assertEqual(task.state, "open")

    def test_rep_cannot_move_task_to_another_customer(self):
        _move, task = self._open_task()
        other = self.env["res.partner"].create({"name": "Other Co", "is_company": True})
        with self.assertRaisesRegex(AccessError, "not Customer"):
            task.with_user(self.rep).write({"partner_id": other.id})

    def test_rep_cannot_rewrite_invoice_figures(self):
        _move, task = self._open_task()
        with self.assertRaisesRegex(AccessError, "not Amount Due"):
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
