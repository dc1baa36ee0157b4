"""Base class for the end-to-end tests.

Odoo tags test classes only inside ``odoo.addons.*``; these live outside any
addon, so they carry the attributes Odoo's test case expects themselves."""

from datetime import timedelta

from odoo import Command
from odoo.tests import TransactionCase


class EndToEndCase(TransactionCase):
    test_tags = {"standard", "post_install", "e2e"}
    test_module = "sales_process_mgmt_e2e"
    test_class = "EndToEndCase"
    test_sequence = 0

    def _posted_invoice(self, customer, rep, amount, *, today, overdue_days, term_days=30):
        """A posted customer invoice of ``amount``, ``overdue_days`` past its due date,
        with its collection task created by the scheduler."""
        invoice = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": customer.id,
                "invoice_user_id": rep.id,
                "invoice_date": today - timedelta(days=overdue_days + term_days),
                "invoice_date_due": today - timedelta(days=overdue_days),
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create({"name": "Handsets", "price_unit": amount, "tax_ids": []})
                ],
            }
        )
        invoice.action_post()
        self.env["spm.collection.task"]._cron_refresh_tasks()
        return invoice
