"""Sell-out recorded on a visit (the visit form's Sell-out page).

At the customer, the rep taps Record Sell-out: one line per product the customer bought
from us in the last 90 days (confirmed orders) and not yet counted on this visit, its
stock prefilled with what the customer should hold (the last report's stock plus what
it bought since); the rep corrects the stock counted and the quantity sold, and saves.
"""

from datetime import timedelta

from odoo import fields, models
from odoo.exceptions import UserError

PREFILL_DAYS = 90


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    sellout_report_ids = fields.One2many("spm.sellout.report", "visit_id", string="Sell-out")

    def _spm_sellout_products(self):
        """Goods the visit's customer bought from us in the last 90 days, by name."""
        since = fields.Datetime.now() - timedelta(days=PREFILL_DAYS)
        rows = (
            self.env["sale.order.line"]
            .sudo()
            ._read_group(
                [
                    ("order_id.state", "=", "sale"),
                    ("order_id.partner_id", "child_of", self.partner_id.commercial_partner_id.id),
                    ("order_id.date_order", ">=", since),
                    ("company_id", "=", self.company_id.id),
                    ("display_type", "=", False),
                    ("product_id.type", "=", "consu"),
                ],
                ["product_id"],
            )
        )
        return (
            self.env["product.product"]
            .union(*(product for (product,) in rows))
            .sorted("display_name")
        )

    def action_spm_record_sellout(self):
        """Prefill one sell-out line per product bought in the last 90 days."""
        self._spm_ensure_one(self.env._("Record Sell-out"))
        self.check_access("write")
        if self.state != "in_progress":
            raise UserError(
                self.env._(
                    "Visit %(visit)s is %(state)s: check in at the customer to record sell-out.",
                    visit=self.display_name,
                    state=self._spm_state_label(),
                )
            )
        customer = self.partner_id.commercial_partner_id
        products = self._spm_sellout_products() - self.sellout_report_ids.product_id
        if not products:
            raise UserError(
                self.env._(
                    "%(customer)s bought no goods from us in the last %(days)s days that "
                    "this visit has not counted yet.",
                    customer=customer.display_name,
                    days=PREFILL_DAYS,
                )
            )
        Ledger = self.env["spm.sellout.ledger"]
        today = self.visit_date
        expected = {
            row["product_id"]: row["closing_stock"]
            for row in Ledger._spm_ledger(customer, today, today)
        }
        return self.env["spm.sellout.report"].create(
            [
                {
                    "visit_id": self.id,
                    "product_id": product.id,
                    "stock_on_hand": max(expected.get(product.id, 0.0), 0.0),
                }
                for product in products
            ]
        )
