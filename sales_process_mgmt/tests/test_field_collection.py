from contextlib import contextmanager

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common_field_collection import SLIP_PHOTO, SpmFieldCollectionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestFieldCollection(SpmFieldCollectionCommon):
    @contextmanager
    def _refused(self, exception, message):
        with self.assertRaisesRegex(exception, message), self.cr.savepoint():
            yield

    # Recorded by the rep: a draft payment ------------------------------------------------
    def test_money_received_becomes_a_draft_payment(self):
        move, task = self._open_task(1000.0)
        receipt = self._receive(
            task, 400.0, method="wechat", reference="WX-4200017", slip_photo=SLIP_PHOTO
        )
        payment = receipt.payment_id
        self.assertRecordValues(
            payment.sudo(),
            [
                {
                    "state": "draft",
                    "payment_type": "inbound",
                    "partner_type": "customer",
                    "partner_id": self.customer.id,
                    "amount": 400.0,
                    "journal_id": self.company_data["default_journal_bank"].id,
                }
            ],
        )
        self.assertIn(move.name, payment.sudo().memo)
        self.assertIn("WX-4200017", payment.sudo().memo)
        self.assertEqual(payment.sudo().invoice_ids, move)
        self.assertFalse(payment.sudo().move_id, "a draft payment has no journal entry yet")
        slip = self.env["ir.attachment"].search(
            [("res_model", "=", "account.payment"), ("res_id", "=", payment.id)]
        )
        self.assertEqual(slip.mimetype, "image/png")
        self.assertTrue(receipt.name.startswith("RCPT/"))
        self.assertRecordValues(receipt, [{"state": "awaiting", "user_id": self.rep.id}])
        # The invoice is unpaid until finance confirms: the task stays open
        self.assertEqual(move.amount_residual, 1000.0)
        self.assertRecordValues(
            task, [{"state": "open", "amount_awaiting": 400.0, "awaiting_confirmation": True}]
        )
        self.assertEqual(self.Task.search([("awaiting_confirmation", "=", True)]), task)
        self.assertFalse(
            self.Task.search([("id", "=", task.id), ("awaiting_confirmation", "=", False)])
        )
        self.assertIn("awaiting finance", task.message_ids[0].body)

    def test_cash_goes_to_the_cash_journal(self):
        _move, task = self._open_task(1000.0)
        receipt = self._receive(task, 1000.0)
        self.assertEqual(
            receipt.payment_id.sudo().journal_id, self.company_data["default_journal_cash"]
        )

    def test_record_from_the_task_and_from_the_visit(self):
        _move, task = self._open_task(1000.0)
        self._receive(task, 300.0)
        action = task.with_user(self.rep).action_record_receipt()
        self.assertEqual(action["context"]["default_amount"], 700.0)
        task.with_user(self.rep).action_plan_collection_visit()
        visit = task.visit_id
        with self._refused(UserError, "money is recorded at a checked-in visit"):
            visit.with_user(self.rep).action_record_receipt()
        visit.with_user(self.rep).action_check_in()
        action = visit.with_user(self.rep).action_record_receipt()
        self.assertEqual(action["context"]["default_visit_id"], visit.id)
        view_id = action["views"][0][0]
        with Form(
            self.Receipt.with_user(self.rep).with_context(**action["context"]), view=view_id
        ) as form:
            form.method = "alipay"
            form.reference = "ALI-88"
            form.slip_photo = SLIP_PHOTO
        receipt = form.record
        self.assertRecordValues(
            receipt, [{"visit_id": visit.id, "amount": 700.0, "method": "alipay"}]
        )

    # Finance confirms --------------------------------------------------------------------
    def test_finance_confirms_the_task_is_collected(self):
        move, task = self._open_task(1000.0)
        self._promise(task, "2026-03-12", amount=1000.0)
        receipt = self._receive(task, 1000.0)
        receipt.payment_id.with_user(self.finance).action_post()
        self.assertEqual(receipt.state, "confirmed")
        self.assertEqual(move.payment_state, "paid")
        self.assertRecordValues(task, [{"state": "collected", "awaiting_confirmation": False}])
        self.assertTrue(
            any("confirmed the" in message.body for message in task.message_ids),
        )

    def test_partial_money_confirmed_from_the_receipt_leaves_the_rest_to_collect(self):
        move, task = self._open_task(1000.0)
        receipt = self._receive(task, 400.0, method="bank_transfer")
        receipt.with_user(self.finance).action_confirm()
        self.assertEqual(receipt.payment_id.sudo().state, "in_process")
        self.assertEqual(move.amount_residual, 600.0)
        self.assertRecordValues(task, [{"state": "open", "amount_awaiting": 0.0}])
        # reset to draft by finance: the money awaits confirmation again
        receipt.payment_id.with_user(self.finance).action_draft()
        self.assertEqual(receipt.state, "awaiting")
        self.assertEqual(move.amount_residual, 1000.0)

    def _register_wizard(self, move):
        action = move.with_user(self.finance).action_register_payment()
        return Form(
            self.env["account.payment.register"]
            .with_user(self.finance)
            .with_context(**action["context"])
        )

    def test_register_payment_leaves_room_for_the_money_awaiting(self):
        move, task = self._open_task(1000.0)
        receipt = self._receive(task, 400.0)
        with self._register_wizard(move) as form:
            self.assertEqual(form.spm_receipt_ids[:], receipt)
            self.assertEqual(form.amount, 1000.0)
        message = r"400\.00 a rep received in the field on these invoices awaits your "
        with self._refused(UserError, message + f".*{receipt.name}"):
            form.record.action_create_payments()
        # written off, the difference closes the invoice: refused as well
        with self._register_wizard(move) as form:
            form.amount = 600.0
            form.payment_difference_handling = "reconcile"
            form.writeoff_account_id = self.company_data["default_account_revenue"]
        with self._refused(UserError, message):
            form.record.action_create_payments()
        # what is due beyond the money awaiting is registered; the receipt is confirmed after
        with self._register_wizard(move) as form:
            form.amount = 600.0
        form.record.action_create_payments()
        self.assertEqual(move.amount_residual, 400.0)
        receipt.payment_id.with_user(self.finance).action_post()
        self.assertRecordValues(move, [{"payment_state": "paid"}])
        self.assertEqual(receipt.state, "confirmed")
        # refused money leaves the whole amount to register
        _move2, task2 = self._open_task(500.0)
        receipt2 = self._receive(task2, 500.0)
        receipt2.with_user(self.finance)._refuse("not received")
        with self._register_wizard(task2.move_id) as form:
            self.assertFalse(form.spm_receipt_ids[:])
        form.record.action_create_payments()
        self.assertEqual(task2.move_id.payment_state, "paid")

    def _outstanding_credit(self, amount):
        """The receivable line of a posted credit note of ``amount``, matched with nothing."""
        refund = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": self.customer.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Returned", "price_unit": amount, "tax_ids": [Command.clear()]}
                    )
                ],
            }
        )
        refund.action_post()
        return refund.line_ids.filtered(lambda line: line.account_type == "asset_receivable")

    def test_an_outstanding_credit_applied_from_the_invoice_leaves_room_for_the_money_awaiting(
        self,
    ):
        move, task = self._open_task(1000.0)
        receipt = self._receive(task, 400.0)
        too_much = self._outstanding_credit(700.0)
        with self._refused(UserError, rf"400\.00 a rep received.*{receipt.name}"):
            move.with_user(self.finance).js_assign_outstanding_line(too_much.id)
        self.assertEqual(move.amount_residual, 1000.0)
        move.with_user(self.finance).js_assign_outstanding_line(self._outstanding_credit(600.0).id)
        self.assertEqual(move.amount_residual, 400.0)
        receipt.payment_id.with_user(self.finance).action_post()
        self.assertRecordValues(move, [{"payment_state": "paid"}])

    def test_a_reconciliation_called_directly_leaves_room_for_the_money_awaiting(self):
        """The check is on the matching itself, whatever calls it: here the reconcile of
        Odoo's journal items over RPC, as an accounting user."""
        move, task = self._open_task(1000.0)
        receipt = self._receive(task, 400.0)
        invoice_line = move.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
        Line = self.env["account.move.line"].with_user(self.finance)
        with self._refused(UserError, rf"400\.00 a rep received.*{receipt.name}"):
            Line.browse((invoice_line | self._outstanding_credit(700.0)).ids).reconcile()
        self.assertEqual(move.amount_residual, 1000.0)
        Line.browse((invoice_line | self._outstanding_credit(600.0)).ids).reconcile()
        self.assertEqual(move.amount_residual, 400.0)
        receipt.payment_id.with_user(self.finance).action_post()
        self.assertRecordValues(move, [{"payment_state": "paid"}])

    def test_receipts_confirmed_at_once_are_each_matched_with_their_invoice(self):
        move1, task1 = self._open_task(1000.0)
        move2, task2 = self._open_task(300.0)
        receipts = self._receive(task1, 1000.0) | self._receive(task2, 120.0)
        receipts.with_user(self.finance).action_confirm()
        self.assertEqual(receipts.mapped("state"), ["confirmed", "confirmed"])
        self.assertRecordValues(
            move1 | move2,
            [
                {"payment_state": "paid", "amount_residual": 0.0},
                {"payment_state": "partial", "amount_residual": 180.0},
            ],
        )

    def test_register_payment_of_several_invoices_at_once_with_money_awaiting(self):
        move1, task1 = self._open_task(1000.0)
        move2, _task2 = self._open_task(300.0)
        self._receive(task1, 100.0)
        moves = move1 | move2
        action = moves.with_user(self.finance).action_register_payment()
        wizard = (
            self.env["account.payment.register"]
            .with_user(self.finance)
            .with_context(**action["context"])
            .create({"group_payment": False})
        )
        with self._refused(UserError, "awaits your confirmation"):
            wizard.action_create_payments()
        self.assertEqual(moves.mapped("payment_state"), ["not_paid", "not_paid"])

    def test_whoever_received_the_money_cannot_confirm_it(self):
        self.customer.user_id = self.rep_accountant
        move = self._invoice(1000.0, "2026-02-01", user=self.rep_accountant)
        self.Task._cron_refresh_tasks()
        task = self._task(move)
        receipt = self._receive(task, 1000.0, user=self.rep_accountant)
        message = "You received the money of receipt .* yourself: another person of finance"
        with self._refused(UserError, message):
            receipt.payment_id.with_user(self.rep_accountant).action_post()
        with self._refused(UserError, message):
            receipt.with_user(self.rep_accountant).action_confirm()
        self.assertEqual(receipt.state, "awaiting")

    def test_every_way_of_posting_is_refused_to_whoever_received_the_money(self):
        self.customer.user_id = self.rep_accountant
        move = self._invoice(1000.0, "2026-02-01", user=self.rep_accountant)
        self.Task._cron_refresh_tasks()
        receipt = self._receive(self._task(move), 1000.0, user=self.rep_accountant)
        payment = receipt.payment_id.with_user(self.rep_accountant)
        for post in (payment.action_validate, lambda: payment.write({"state": "in_process"})):
            with self._refused(UserError, "You received the money of receipt .* yourself"):
                post()
        self.assertEqual(receipt.state, "awaiting")
        self.assertEqual(payment.sudo().state, "draft")

    def test_validated_by_finance_the_money_is_confirmed(self):
        move, task = self._open_task(1000.0)
        receipt = self._receive(task, 1000.0)
        receipt.payment_id.with_user(self.finance).action_validate()
        self.assertEqual(receipt.state, "confirmed")
        self.assertEqual(move.amount_residual, 0.0)
        self.assertEqual(task.state, "collected")

    def test_money_recorded_at_a_visit_not_checked_in_is_refused(self):
        _move, task = self._open_task(1000.0)
        task.with_user(self.rep).action_plan_collection_visit()
        with self._refused(UserError, "money is recorded at a checked-in visit"):
            self._receive(task, 100.0, visit_id=task.visit_id.id)
        self.assertFalse(task.receipt_ids)

    # Finance refuses ---------------------------------------------------------------------
    def test_finance_refuses_the_task_is_reopened_with_the_reason(self):
        _move, task = self._open_task(1000.0)
        receipt = self._receive(task, 1000.0, reference="CHQ-1")
        payment = receipt.payment_id
        with self._refused(UserError, "refuse it with the Refuse button"):
            payment.with_user(self.finance).action_cancel()
        action = payment.with_user(self.finance).action_spm_refuse_receipt()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.finance)
            .with_context(**action["context"])
            .create({"reason": "No such transfer on the bank statement"})
        )
        wizard.action_confirm()
        self.assertEqual(payment.sudo().state, "canceled")
        self.assertRecordValues(
            receipt,
            [{"state": "refused", "refusal_reason": "No such transfer on the bank statement"}],
        )
        self.assertRecordValues(task, [{"state": "open", "awaiting_confirmation": False}])
        message = task.message_ids[0]
        self.assertIn("No such transfer on the bank statement", message.body)
        self.assertIn(self.rep.partner_id, message.partner_ids)
        # the whole amount can be recorded again
        self.assertEqual(self._receive(task, 1000.0).state, "awaiting")

    def test_money_awaiting_is_neither_cancelled_nor_rewritten_past_the_refuse_button(self):
        _move, task = self._open_task(1000.0)
        receipt = self._receive(task, 1000.0)
        payment = receipt.payment_id.with_user(self.finance)
        for change in (
            lambda: payment.with_context(spm_receipt_refusal=True).action_cancel(),
            lambda: payment.write({"state": "canceled"}),
            payment.action_reject,
            lambda: payment.write({"amount": 5000.0}),
            lambda: payment.write({"partner_id": self.finance.partner_id.id}),
        ):
            with self._refused(UserError, "refuse it with the Refuse button"):
                change()
        self.assertRecordValues(receipt.payment_id.sudo(), [{"state": "draft", "amount": 1000.0}])
        self.assertEqual(receipt.state, "awaiting")

    def test_only_finance_refuses_and_only_money_awaiting(self):
        _move, task = self._open_task(1000.0)
        receipt = self._receive(task, 500.0)
        with self._refused(UserError, "Only an accounting user may refuse money"):
            receipt.with_user(self.rep)._refuse("Wrong")
        with self._refused(UserError, "Say why the money is refused"):
            receipt.with_user(self.finance)._refuse("  ")
        receipt.with_user(self.finance).action_confirm()
        with self._refused(UserError, "only money awaiting confirmation can be refused"):
            receipt.with_user(self.finance)._refuse("Late")

    # Refusals ----------------------------------------------------------------------------
    def test_refused_amounts(self):
        _move, task = self._open_task(1000.0)
        for amount in (0.0, -50.0):
            with self._refused(ValidationError, "The amount received must be positive"):
                self._receive(task, amount)
        with self._refused(
            ValidationError, r"is more than the .*1,000\.00.* left to collect on invoice"
        ):
            self._receive(task, 1000.01)
        self._receive(task, 600.0)
        with self._refused(ValidationError, r"more than the .*400\.00.* left to collect"):
            self._receive(task, 500.0)
        advance = self._receive(task, 5000.0, is_advance=True)
        self.assertEqual(advance.payment_id.sudo().amount, 5000.0)
        self.assertFalse(self.Receipt.search([("amount", "in", (0.0, -50.0, 1000.01, 500.0))]))

    def test_refused_wrong_input(self):
        _move, task = self._open_task(1000.0)
        with self._refused(
            ValidationError, r"Method of Collection Receipt must be one of cash \(Cash\)"
        ):
            self._receive(task, 100.0, method="bitcoin")
        with self._refused(ValidationError, "Amount of Collection Receipt must be a finite number"):
            self._receive(task, "100")
        with self._refused(ValidationError, "Advance of Collection Receipt must be true or false"):
            self._receive(task, 100.0, is_advance="yes")
        with self._refused(ValidationError, "Slip Photo of Collection Receipt must be a file"):
            self._receive(task, 100.0, slip_photo=42)
        with self._refused(ValidationError, "cannot be dated in the future"):
            self._receive(task, 100.0, date="2026-03-11")
        # 20:00 in Shanghai, already the 11th in Kiritimati: the rep's day decides, not
        # the timezone a client sends
        with freeze_time("2026-03-10 12:00:00"):
            Receipt = self.Receipt.with_user(self.rep).with_context(tz="Pacific/Kiritimati")
            with self._refused(ValidationError, "cannot be dated in the future"):
                Receipt.create(
                    {"task_id": task.id, "amount": 100.0, "method": "cash", "date": "2026-03-11"}
                )

    def test_refused_on_a_colleagues_task_or_a_closed_one(self):
        move, task = self._open_task(1000.0)
        with self._refused(
            UserError,
            "You may record money only on your own collection tasks: task .* is spm_rep.*'s",
        ):
            self._receive(task, 100.0, user=self.rep_colleague)
        with self._refused(UserError, "Received By"):
            self._receive(task, 100.0, user_id=self.rep_colleague.id)
        other_visit = self.env["spm.visit"].create(
            {"partner_id": self.dealer.id, "user_id": self.rep.id}
        )
        with self._refused(ValidationError, "is at Huatong Electronics, not at Hengda Telecom"):
            self._receive(task, 100.0, visit_id=other_visit.id)
        self._pay(move)
        with self._refused(UserError, "is closed: there is nothing left to collect"):
            self._receive(task, 100.0)

    def test_a_receipt_is_not_edited(self):
        _move, task = self._open_task(1000.0)
        receipt = self._receive(task, 400.0)
        with self._refused(AccessError, "A receipt is a record of money received"):
            receipt.with_user(self.rep).write({"amount": 300.0})
        with self._refused(AccessError, "cannot be written directly"):
            receipt.with_user(self.manager).write({"state": "confirmed"})
        receipt.with_user(self.finance).action_confirm()
        with self._refused(UserError, "is confirmed: its payment is posted"):
            receipt.with_user(self.rep).write({"reference": "changed"})
        with self._refused(UserError, "they cannot be deleted"):
            receipt.sudo().unlink()

    # Access ------------------------------------------------------------------------------
    def test_access_rep_colleague_manager_other_company(self):
        _move, task = self._open_task(1000.0)
        receipt = self._receive(task, 400.0)
        self.assertEqual(self.Receipt.with_user(self.rep).search([]), receipt)
        self.assertFalse(self.Receipt.with_user(self.rep_colleague).search([]))
        with self.assertRaises(AccessError):
            receipt.with_user(self.rep_colleague).read(["amount"])
        self.assertEqual(self.Receipt.with_user(self.manager).search([]), receipt)
        self.assertEqual(self.Receipt.with_user(self.finance).search([]), receipt)
        self.assertFalse(self.Receipt.with_user(self.other_rep).search([]))
        with self.assertRaises(AccessError):
            receipt.payment_id.with_user(self.rep).read(["amount"])
        # a manager records for his rep
        receipt = self._receive(task, 100.0, user=self.manager, user_id=self.rep.id)
        self.assertEqual(receipt.user_id, self.rep)

    # Cost --------------------------------------------------------------------------------
    def test_recording_costs_a_constant_number_of_queries(self):
        _move, task = self._open_task(1000.0)
        self._receive(task, 100.0)
        self.env.invalidate_all()
        with self.assertQueryCount(70):
            self._receive(task, 100.0, slip_photo=SLIP_PHOTO)
