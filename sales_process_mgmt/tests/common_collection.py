from odoo import Command

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import SpmCommon


class SpmCollectionCommon(SpmCommon, AccountTestInvoicingCommon):
    """Real accounting (a company of its own with a chart of accounts, set up by
    Odoo's invoicing test base), the reps and the manager in Shanghai time, the rep's
    team led by the manager, a customer in Jiangsu and one collection rule for all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        (cls.rep | cls.rep_colleague | cls.manager).tz = "Asia/Shanghai"
        cls.team = cls.env["crm.team"].create(
            {
                "name": "East Team",
                "company_id": cls.company.id,
                "user_id": cls.manager.id,
                "crm_team_member_ids": [Command.create({"user_id": cls.rep.id})],
            }
        )
        cls.region_js = cls.env["spm.region"].create(
            {"name": "Jiangsu", "code": "E-JS", "parent_id": cls.region_east.id}
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

    def _other_company(self):
        """A company created by the test, with the collection rule a new company gets."""
        return self.env["res.company"].create({"name": "Other Trading Co"})

    def _task(self, move):
        return self.Task.search([("move_id", "=", move.id)])

    def _open_task(self, amount=1000.0, due="2026-02-01"):
        """An invoice (overdue since February 1st by default) and the task the scheduler
        opens for it."""
        move = self._invoice(amount, due)
        self.Task._cron_refresh_tasks()
        return move, self._task(move)

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
