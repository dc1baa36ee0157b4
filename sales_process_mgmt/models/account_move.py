from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.sql import create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        res = super().init()
        # Open customer invoices of one customer by due date: what the credit hold
        # reads on every order confirmation, and what the collection scheduler scans.
        create_index(
            self.env.cr,
            "spm_account_move_open_invoice_idx",
            self._table,
            ["commercial_partner_id", "invoice_date_due"],
            where="move_type = 'out_invoice' AND state = 'posted' "
            "AND payment_state IN ('not_paid', 'partial')",
        )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_spm_promises(self):
        """Deleting an invoice would delete its collection task; promises to pay are
        an audit trail, so an invoice whose task holds promises stays."""
        tasks = (
            self.env["spm.collection.task"]
            .sudo()
            .search([("move_id", "in", self.ids), ("promise_count", ">", 0)])
        )
        for task in tasks:
            raise UserError(
                self.env._(
                    "Invoice %(invoice)s cannot be deleted: its collection task holds "
                    "%(count)s promises to pay, an audit trail that is kept. Cancel the "
                    "invoice instead.",
                    invoice=task.move_id.display_name,
                    count=task.promise_count,
                )
            )
