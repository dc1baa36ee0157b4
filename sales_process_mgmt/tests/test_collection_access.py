from datetime import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common_collection import SpmCollectionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestCollectionAccess(SpmCollectionCommon):
    """What a rep and a manager may write on a task, and who sees and changes
    tasks and promises."""

    # What a rep and a manager may write on a task ---------------------------------------
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

    def test_rep_cannot_link_a_visit_or_write_the_rule(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            task.with_user(self.rep).write({"rule_id": False})
        with self.assertRaisesRegex(AccessError, "cannot be written directly"):
            task.with_user(self.rep).write({"refreshed_on": "2026-03-01"})

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

    def test_manager_may_correct_task_fields(self):
        move = self._invoice(1000.0, "2026-02-01")
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        task.with_user(self.manager).write({"user_id": self.rep_colleague.id})
        self.assertEqual(task.user_id, self.rep_colleague)

    def test_manager_may_write_task_fields(self):
        _move, task = self._open_task()
        task.with_user(self.manager).write({"user_id": self.rep_colleague.id})
        self.assertEqual(task.user_id, self.rep_colleague)

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

    # Who sees and changes tasks and promises --------------------------------------------
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
