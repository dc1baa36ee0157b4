"""Money received in the field on a collection task: the task keeps its state (the
invoice is unpaid until finance confirms) and shows the amount awaiting confirmation."""

from odoo import api, fields, models
from odoo.exceptions import UserError


class SpmCollectionTask(models.Model):
    _inherit = "spm.collection.task"

    receipt_ids = fields.One2many(
        "spm.collection.receipt", "task_id", string="Money Received", readonly=True
    )
    amount_awaiting = fields.Monetary(
        string="Awaiting Confirmation",
        compute="_compute_amount_awaiting",
        help="Money the rep received that finance has not confirmed yet: the invoice "
        "counts it as unpaid until then.",
    )
    awaiting_confirmation = fields.Boolean(
        string="Collected, Awaiting Confirmation",
        compute="_compute_amount_awaiting",
        search="_search_awaiting_confirmation",
    )

    @api.depends("receipt_ids.state", "receipt_ids.amount")
    def _compute_amount_awaiting(self):
        groups = (
            self.env["spm.collection.receipt"]
            .sudo()
            ._read_group(
                [("task_id", "in", self._origin.ids), ("state", "=", "awaiting")],
                ["task_id"],
                ["amount:sum"],
            )
        )
        amounts = {task.id: amount for task, amount in groups}
        for task in self:
            task.amount_awaiting = amounts.get(task._origin.id, 0.0)
            task.awaiting_confirmation = bool(task.amount_awaiting)

    def _search_awaiting_confirmation(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search on money awaiting confirmation with = or !=."))
        awaiting = [("state", "=", "awaiting")]
        if (operator == "=") == value:
            return [("receipt_ids", "any", awaiting)]
        return [("receipt_ids", "not any", awaiting)]

    def action_record_receipt(self):
        """The form to record money received on this task, at its visit when checked in."""
        self.ensure_one()
        return self._record_receipt_action(
            self.visit_id.filtered(lambda visit: visit.state == "in_progress")
        )

    def _record_receipt_action(self, visit):
        self.ensure_one()
        self._check_active()
        left = max(self.amount_residual - self.amount_awaiting, 0.0)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Record Payment Received"),
            "res_model": "spm.collection.receipt",
            "view_mode": "form",
            "views": [
                (
                    self.env.ref("sales_process_mgmt.spm_collection_receipt_view_form_record").id,
                    "form",
                )
            ],
            "target": "new",
            "context": {
                "default_task_id": self.id,
                "default_visit_id": visit.id,
                "default_amount": left,
            },
        }
