from odoo import models
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
