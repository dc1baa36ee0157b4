from odoo import api, fields, models
from odoo.tools import SQL


def _ratio(row, numerator, denominator, scale=1.0):
    base = row.get(denominator) or 0.0
    return scale * (row.get(numerator) or 0.0) / base if base else 0.0


class SpmCollectionReport(models.Model):
    """Collection figures per rep, sales team and month of invoicing: DSO 回款期
    (amount-weighted days from invoice to payment, until today while unpaid) and
    collection rate 回款率 (collected / invoiced net of credit notes), in company
    currency. Only payments count as collected: a credit note settles an invoice
    without money coming in, so its amount leaves the invoiced base instead."""

    _name = "spm.collection.report"
    _inherit = ["spm.ratio.report.mixin"]
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
    credited_amount = fields.Monetary(
        string="Credited",
        readonly=True,
        help="Settled without a payment: credit notes and other non-cash reconciliations.",
    )
    net_invoiced_amount = fields.Monetary(
        string="Invoiced Net of Credits", readonly=True, help="Collected plus still open."
    )
    collected_amount = fields.Monetary(
        string="Collected", readonly=True, help="Reconciled with payments (bank, cash)."
    )
    open_amount = fields.Monetary(string="Still Open", readonly=True)
    overdue_amount = fields.Monetary(string="Overdue", readonly=True)
    dso_weighted_amount = fields.Float(
        string="Amount-Days",
        readonly=True,
        help="Sum of net amount times days outstanding: DSO = this / invoiced net.",
    )
    # Ratios: read_group recomputes them from the summed numerators and denominators,
    # so pivot and graph totals are weighted, never plain averages of ratios.
    collection_rate = fields.Float(string="Collection Rate (%)", readonly=True, aggregator="avg")
    dso_days = fields.Float(string="DSO (days)", readonly=True, aggregator="avg")

    @property
    def _table_query(self):
        return SQL("%s %s %s %s", self._select(), self._from(), self._where(), self._group_by())

    def _today(self):
        return fields.Date.context_today(self)

    @api.model
    def _spm_ratios(self):
        return {
            "collection_rate": (
                ("collected_amount", "net_invoiced_amount"),
                lambda row: _ratio(row, "collected_amount", "net_invoiced_amount", 100.0),
            ),
            "dso_days": (
                ("dso_weighted_amount", "net_invoiced_amount"),
                lambda row: _ratio(row, "dso_weighted_amount", "net_invoiced_amount"),
            ),
        }

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
                   SUM(move.amount_total_signed - move.amount_residual_signed
                       - COALESCE(paid.amount, 0)) AS credited_amount,
                   SUM(move.amount_residual_signed + COALESCE(paid.amount, 0))
                       AS net_invoiced_amount,
                   SUM(COALESCE(paid.amount, 0)) AS collected_amount,
                   SUM(move.amount_residual_signed) AS open_amount,
                   SUM(CASE WHEN move.invoice_date_due < %(today)s
                            THEN move.amount_residual_signed ELSE 0 END) AS overdue_amount,
                   SUM(%(weighted)s) AS dso_weighted_amount,
                   CASE WHEN SUM(move.amount_residual_signed + COALESCE(paid.amount, 0)) = 0
                        THEN 0
                        ELSE 100.0 * SUM(COALESCE(paid.amount, 0))
                             / SUM(move.amount_residual_signed + COALESCE(paid.amount, 0))
                   END AS collection_rate,
                   CASE WHEN SUM(move.amount_residual_signed + COALESCE(paid.amount, 0)) = 0
                        THEN 0
                        ELSE SUM(%(weighted)s)
                             / SUM(move.amount_residual_signed + COALESCE(paid.amount, 0))
                   END AS dso_days
            """,
            today=self._today(),
            weighted=SQL(
                """(move.amount_residual_signed + COALESCE(paid.amount, 0)) * (
                       CASE WHEN move.amount_residual_signed = 0
                            THEN COALESCE(paid.paid_date, move.invoice_date)
                            ELSE %(today)s END - move.invoice_date)""",
                today=self._today(),
            ),
        )

    def _from(self):
        # What payments (entries of a payment, or of a bank or cash journal) settled.
        return SQL(
            """
            FROM account_move move
            JOIN res_company company ON company.id = move.company_id
            LEFT JOIN LATERAL (
                SELECT SUM(partial.amount) AS amount,
                       MAX(partial.max_date) AS paid_date
                  FROM account_move_line line
                  JOIN account_partial_reconcile partial ON partial.debit_move_id = line.id
                  JOIN account_move_line counterpart ON counterpart.id = partial.credit_move_id
                  JOIN account_move counter_move ON counter_move.id = counterpart.move_id
                  JOIN account_journal journal ON journal.id = counter_move.journal_id
                 WHERE line.move_id = move.id
                   AND (counter_move.origin_payment_id IS NOT NULL
                        OR journal.type IN ('bank', 'cash'))
            ) paid ON TRUE
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
