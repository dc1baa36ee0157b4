from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class SpmCollectionCommon(AccountTestInvoicingCommon):
    """Real accounting (a company with a chart of accounts), a rep and a manager
    leading the rep's team, a customer in Jiangsu and one collection rule for all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        user_values = {"company_id": cls.company.id, "company_ids": [cls.company.id]}
        cls.rep = new_test_user(
            cls.env,
            login="spm_coll_rep",
            groups="sales_team.group_sale_salesman",
            tz="Asia/Shanghai",
            **user_values,
        )
        cls.rep_colleague = new_test_user(
            cls.env,
            login="spm_coll_rep2",
            groups="sales_team.group_sale_salesman",
            tz="Asia/Shanghai",
            **user_values,
        )
        cls.manager = new_test_user(
            cls.env,
            login="spm_coll_manager",
            groups="sales_team.group_sale_manager",
            tz="Asia/Shanghai",
            **user_values,
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "East Team",
                "company_id": cls.company.id,
                "user_id": cls.manager.id,
                "crm_team_member_ids": [Command.create({"user_id": cls.rep.id})],
            }
        )
        cls.region_east = cls.env["spm.region"].create({"name": "East", "code": "CE"})
        cls.region_js = cls.env["spm.region"].create(
            {"name": "Jiangsu", "code": "CE-JS", "parent_id": cls.region_east.id}
        )
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Hengda Telecom",
                "is_company": True,
                "user_id": cls.rep.id,
                "spm_region_id": cls.region_js.id,
                "tz": "Asia/Shanghai",
            }
        )
        cls.rule = cls.env["spm.collection.rule"].create(
            {
                "name": "Everyone",
                "company_id": cls.company.id,
                "after_payday_days": 1,
                "grace_days": 3,
                "max_deferrals": 1,
                "hold_overdue": True,
                "block_orders_after_days": 30,
                "hold_deferrals": True,
                "hold_credit_limit": True,
            }
        )
        cls.Task = cls.env["spm.collection.task"]

    @classmethod
    def _invoice(cls, amount, due, *, invoice_date=None, partner=None, post=True, user=None):
        move = cls.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": (partner or cls.customer).id,
                "invoice_user_id": (user or cls.rep).id,
                "team_id": cls.team.id,
                "invoice_date": invoice_date or fields.Date.to_date(due) - timedelta(days=30),
                "invoice_date_due": due,
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": "Handsets",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def _pay(self, move, amount, payment_date=None):
        wizard = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create({"amount": amount, "payment_date": payment_date or fields.Date.today()})
        )
        return wizard._create_payments()

    def _credit_note(self, move, date=None):
        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=move.ids)
            .create(
                {
                    "journal_id": move.journal_id.id,
                    "reason": "Returned goods",
                    "date": date or fields.Date.today(),
                }
            )
        )
        reversal.refund_moves()
        refund = reversal.new_move_ids
        refund.action_post()
        if not move.currency_id.is_zero(move.amount_residual):
            line = refund.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
            move.js_assign_outstanding_line(line.id)
        return refund

    def _task(self, move):
        return self.Task.search([("move_id", "=", move.id)])

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
