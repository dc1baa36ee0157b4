"""Money received at a collection visit: the tasks the visit serves, and the button
that records the money on one of them."""

from odoo import fields, models
from odoo.exceptions import UserError

from .spm_collection_task import ACTIVE_STATES


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    collection_task_ids = fields.One2many(
        "spm.collection.task", "visit_id", string="Collection Tasks", readonly=True
    )

    def _spm_check_money_at_visit(self):
        """Money is recorded at the visit by its rep (or a sales manager), checked in."""
        self._spm_check_visit_rep(self.env._("Record Payment Received"))
        if self.state != "in_progress":
            raise UserError(
                self.env._(
                    "Visit %(visit)s is %(state)s: money is recorded at a checked-in visit.",
                    visit=self.name,
                    state=self._spm_state_label(),
                )
            )

    def action_record_receipt(self):
        """Record money received on the open task this visit serves."""
        self._spm_ensure_one(self.env._("Record Payment Received"))
        self._spm_check_money_at_visit()
        tasks = self.collection_task_ids.filtered(lambda task: task.state in ACTIVE_STATES)
        if not tasks:
            raise UserError(
                self.env._("Visit %(visit)s serves no open collection task.", visit=self.name)
            )
        return tasks[:1]._record_receipt_action(self)
