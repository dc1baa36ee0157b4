from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..models.spm_time import spm_today


class ReportSpmSelloutLedger(models.AbstractModel):
    """The ledger PDF of each customer over a period: ``data`` may give ``date_from``
    and ``date_to``; by default the last three months up to today."""

    _name = "report.sales_process_mgmt.report_spm_sellout_ledger"
    _description = "Purchase/Sales Ledger PDF"

    @api.model
    def _spm_period(self, data):
        data = data or {}
        today = spm_today(self.env.user, self.env.company)
        try:
            date_to = fields.Date.to_date(data.get("date_to")) or today
            date_from = fields.Date.to_date(data.get("date_from")) or (
                date_to.replace(day=1) - relativedelta(months=2)
            )
        except (TypeError, ValueError) as error:
            raise ValidationError(
                self.env._("The ledger's period must be two dates (YYYY-MM-DD).")
            ) from error
        if date_from > date_to:
            raise ValidationError(
                self.env._(
                    "The ledger's period starts on %(start)s, after its end %(end)s.",
                    start=date_from,
                    end=date_to,
                )
            )
        return date_from, date_to

    @api.model
    def _get_report_values(self, docids, data=None):
        customers = self.env["res.partner"].browse(docids).commercial_partner_id
        date_from, date_to = self._spm_period(data)
        rows = self.env["spm.sellout.ledger"]._spm_ledger(customers, date_from, date_to)
        lines = {customer: [] for customer in customers}
        for row in rows:
            lines.setdefault(row["partner"], []).append(row)
        return {
            "doc_ids": customers.ids,
            "doc_model": "res.partner",
            "docs": customers,
            "date_from": date_from,
            "date_to": date_to,
            "days": (date_to - date_from + timedelta(days=1)).days,
            "lines": lines,
        }
