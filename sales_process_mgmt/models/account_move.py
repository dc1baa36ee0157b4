from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL


class AccountMove(models.Model):
    _inherit = "account.move"

    def init(self):
        """Open customer invoices of one customer by due date: what the credit hold
        reads on every order confirmation, and what the collection scheduler scans."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS spm_account_move_open_invoice_idx "
                "ON account_move (commercial_partner_id, invoice_date_due) "
                "WHERE move_type = 'out_invoice' AND state = 'posted' "
                "AND payment_state IN ('not_paid', 'partial')"
            )
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
