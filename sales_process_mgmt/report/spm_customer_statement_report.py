"""客户对账单: the monthly statement of account of a customer, in company currency.

One call computes the statements of all the customers printed at once, with three
queries whatever the number of invoices: the opening balances, the month's entries and
the open items at the month end.

- Opening balance: the posted receivable lines of the customer dated before the month.
- The month's entries: invoices, credit notes, payments and other entries (exchange
  differences, write-offs, opening entries) dated in the month, each with its running
  balance; closing = opening + invoices - credit notes - payments + other entries.
- Overdue by age at the month end: each receivable line dated up to the month end with
  what was left of it on that day, i.e. its amount less the reconciliations dated up to
  the month end (a payment made after the month end does not reduce it, even if it has
  been matched since); aged by its due date (its date when it has none). Unmatched
  payments and credit notes lower the bucket of their own date, as on Odoo's aged
  receivable, so that the buckets add up to the closing balance.
- Amounts are in the company currency: an invoice in another currency counts for its
  amount converted on its date, as booked; the exchange difference of its payment is an
  other entry.
"""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..models.spm_manager import is_sales_manager
from .spm_ageing import AGEING_BUCKETS, age_bucket

INVOICE_TYPES = ("out_invoice", "out_receipt")


def _entry_kind(move_type, is_payment):
    if move_type in INVOICE_TYPES:
        return "invoice"
    if move_type == "out_refund":
        return "refund"
    return "payment" if is_payment else "other"


class SpmCustomerStatementReport(models.AbstractModel):
    _name = "report.sales_process_mgmt.report_customer_statement"
    _description = "Customer Statement"

    @api.model
    def _month_start(self, month):
        """The first day of ``month``: a date, or a string such as ``2026-03`` or
        ``2026-03-15``; last month when empty."""
        if not month:
            return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)
        if isinstance(month, (date, datetime)) and not isinstance(month, bool):
            return fields.Date.to_date(month).replace(day=1)
        if isinstance(month, str):
            text = month.strip()
            for pattern in ("%Y-%m", "%Y-%m-%d"):
                try:
                    return datetime.strptime(text, pattern).date().replace(day=1)
                except ValueError:
                    continue
        raise UserError(
            self.env._("Month: expected a month such as 2026-03, not %(value)s.", value=repr(month))
        )

    @api.model
    def _check_own_customers(self, customers):
        """The statement reads receivables in SQL: a rep who sees only his own documents
        prints the statements of his own customers (and of those nobody is salesperson
        of), not of a colleague's."""
        user = self.env.user
        if (
            is_sales_manager(self.env)
            or user.has_group("account.group_account_invoice")
            or user.has_group("sales_team.group_sale_salesman_all_leads")
        ):
            return
        others = customers.filtered(lambda customer: customer.user_id not in (user, user.browse()))
        if others:
            raise AccessError(
                self.env._(
                    "You may print the statements of your own customers only, not of "
                    "%(customers)s.",
                    customers=", ".join(others.mapped("display_name")),
                )
            )

    @api.model
    def _get_statements(self, partners, month):
        """The statements of the customers of ``partners`` (their commercial partners)
        for ``month`` in the current company, as a dict by customer id."""
        start = self._month_start(month)
        end = start + relativedelta(months=1, days=-1)
        customers = partners.with_env(self.env).commercial_partner_id
        customers.check_access("read")
        self._check_own_customers(customers)
        company = self.env.company
        for model, names in (
            (
                "account.move.line",
                [
                    "balance",
                    "debit",
                    "credit",
                    "date",
                    "date_maturity",
                    "partner_id",
                    "account_id",
                    "parent_state",
                    "company_id",
                    "move_id",
                ],
            ),
            ("account.account", ["account_type"]),
            (
                "account.move",
                [
                    "name",
                    "ref",
                    "payment_reference",
                    "move_type",
                    "origin_payment_id",
                    "statement_line_id",
                ],
            ),
            (
                "account.partial.reconcile",
                ["amount", "max_date", "debit_move_id", "credit_move_id"],
            ),
        ):
            self.env[model].flush_model(names)
        receivable = SQL(
            "l.account_id IN (SELECT id FROM account_account"
            " WHERE account_type = 'asset_receivable') AND l.parent_state = 'posted'"
            " AND l.company_id = %s AND l.partner_id = ANY(%s)",
            company.id,
            customers.ids,
        )
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT l.partner_id, SUM(l.balance) FROM account_move_line l"
                " WHERE %s AND l.date < %s GROUP BY l.partner_id",
                receivable,
                start,
            )
        )
        opening = dict(cr.fetchall())
        cr.execute(
            SQL(
                """SELECT l.partner_id, l.date, m.name, COALESCE(NULLIF(m.ref, ''),
                      NULLIF(NULLIF(m.payment_reference, ''), m.name)), m.move_type,
                      m.origin_payment_id IS NOT NULL OR m.statement_line_id IS NOT NULL,
                      l.debit, l.credit
                 FROM account_move_line l JOIN account_move m ON m.id = l.move_id
                WHERE %s AND l.date BETWEEN %s AND %s
             ORDER BY l.partner_id, l.date, m.name, l.id""",
                receivable,
                start,
                end,
            )
        )
        entries = cr.fetchall()
        cr.execute(
            SQL(
                """SELECT l.partner_id, %(end)s - COALESCE(l.date_maturity, l.date),
                      l.balance
                      - COALESCE((SELECT SUM(p.amount) FROM account_partial_reconcile p
                                   WHERE p.debit_move_id = l.id AND p.max_date <= %(end)s), 0)
                      + COALESCE((SELECT SUM(p.amount) FROM account_partial_reconcile p
                                   WHERE p.credit_move_id = l.id AND p.max_date <= %(end)s), 0)
                 FROM account_move_line l
                WHERE %(receivable)s AND l.date <= %(end)s""",
                end=end,
                receivable=receivable,
            )
        )
        open_items = cr.fetchall()

        currency = company.currency_id
        statements = {}
        for customer in customers:
            balance = currency.round(opening.get(customer.id, 0.0))
            statements[customer.id] = {
                "partner": customer,
                "date_from": start,
                "date_to": end,
                "currency": currency,
                "opening": balance,
                "lines": [],
                "totals": dict.fromkeys(("invoice", "refund", "payment", "other"), 0.0),
                "closing": balance,
                "ageing": dict.fromkeys(dict(AGEING_BUCKETS), 0.0),
            }
        for partner_id, day, number, ref, move_type, is_payment, debit, credit in entries:
            statement = statements[partner_id]
            kind = _entry_kind(move_type, is_payment)
            amount = debit - credit
            statement["totals"][kind] += amount if kind in ("invoice", "other") else -amount
            statement["closing"] = currency.round(statement["closing"] + amount)
            statement["lines"].append(
                {
                    "date": day,
                    "number": number,
                    "ref": ref or "",
                    "kind": kind,
                    "debit": debit,
                    "credit": credit,
                    "balance": statement["closing"],
                }
            )
        for partner_id, days, residual in open_items:
            statements[partner_id]["ageing"][age_bucket(days)] += residual
        for statement in statements.values():
            for values in (statement["totals"], statement["ageing"]):
                for key, value in values.items():
                    values[key] = currency.round(value)
        return statements

    @api.model
    def _get_report_values(self, docids, data=None):
        partners = self.env["res.partner"].browse(docids)
        statements = self._get_statements(partners, (data or {}).get("month"))
        return {
            "doc_ids": docids,
            "doc_model": "res.partner",
            "docs": partners.commercial_partner_id,
            "statements": statements,
            "ageing_buckets": self.env["spm.collection.ageing.report"]
            ._fields["bucket"]
            ._description_selection(self.env),
            "company": self.env.company,
        }
