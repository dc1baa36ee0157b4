from odoo import fields, models
from odoo.tools import SQL


class SpmCollectionReport(models.Model):
    """Collection figures per rep, sales team and month of invoicing: DSO 回款期
    (amount-weighted days from invoice to payment, until today while unpaid) and
    collection rate 回款率 (collected / invoiced), in company currency."""

    _name = "spm.collection.report"
    _description = "Collection Analysis"
    _auto = False
    _rec_name = "date"
    _order = "date desc"

    date = fields.Date(string="Period", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    invoice_count = fields.Integer(string="Invoices", readonly=True)
    invoiced_amount = fields.Monetary(string="Invoiced", readonly=True)
    collected_amount = fields.Monetary(string="Collected", readonly=True)
    open_amount = fields.Monetary(string="Still Open", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    collection_rate = fields.Float(string="Collection Rate (%)", readonly=True, aggregator="avg")
    dso_days = fields.Float(string="DSO (days)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL("%s %s %s %s", self._select(), self._from(), self._where(), self._group_by())

    def _today(self):
        return fields.Date.context_today(self)

    def _select(self):
        return SQL(
            """
            SELECT MIN(move.id) AS id,
                   date_trunc('month', move.invoice_date)::date AS date,
                   move.company_id,
                   company.currency_id,
                   move.invoice_user_id AS user_id,
                   move.team_id,
                   COUNT(*) AS invoice_count,
                   SUM(move.amount_total_signed) AS invoiced_amount,
                   SUM(move.amount_total_signed - move.amount_residual_signed) AS collected_amount,
                   SUM(move.amount_residual_signed) AS open_amount,
                   SUM(CASE WHEN move.invoice_date_due < %(today)s
                            THEN move.amount_residual_signed ELSE 0 END) AS overdue_amount,
                   CASE WHEN SUM(move.amount_total_signed) = 0 THEN 0
                        ELSE 100.0 * SUM(move.amount_total_signed - move.amount_residual_signed)
                             / SUM(move.amount_total_signed) END AS collection_rate,
                   CASE WHEN SUM(move.amount_total_signed) = 0 THEN 0
                        ELSE SUM(move.amount_total_signed * (
                                CASE WHEN move.payment_state IN ('paid', 'in_payment', 'reversed')
                                     THEN COALESCE(paid.paid_date, move.invoice_date)
                                     ELSE %(today)s END - move.invoice_date))
                             / SUM(move.amount_total_signed) END AS dso_days
            """,
            today=self._today(),
        )

    def _from(self):
        return SQL(
            """
            FROM account_move move
            JOIN res_company company ON company.id = move.company_id
            LEFT JOIN LATERAL (
                SELECT MAX(partial.max_date) AS paid_date
                  FROM account_move_line line
                  JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
                 WHERE line.move_id = move.id
            ) paid ON move.payment_state IN ('paid', 'in_payment', 'reversed')
            """
        )

    def _where(self):
        return SQL(
            """
            WHERE move.move_type = 'out_invoice'
              AND move.state = 'posted'
              AND move.invoice_date IS NOT NULL
            """
        )

    def _group_by(self):
        return SQL(
            """
            GROUP BY date_trunc('month', move.invoice_date), move.company_id,
                     company.currency_id, move.invoice_user_id, move.team_id
            """
        )
