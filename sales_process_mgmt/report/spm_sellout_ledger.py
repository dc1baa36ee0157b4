"""The purchase/sales ledger 客户进销记录簿 per customer, product and period, in SQL.

For each customer (commercial partner), product and period:

- bought: what the customer bought from us in the period: quantities delivered by done
  stock moves to a customer location, minus the moves that came back from one
  (returns), on the day of the move in the company's timezone; order lines confirmed
  but delivered by no stock move count with their ordered quantity, on the order's day;
- sold: the quantities sold reported by sell-out reports dated in the period;
- the stock at a day is the stock counted by the last report on or before it, plus what
  was bought after that report's day (a delivery on the day of a count is counted in
  it); without any report, everything bought so far;
- opening stock: the stock the day before the period; closing stock: the stock on its
  last day;
- days of stock: the closing stock divided by the rate of sale, what was sold per day of
  the period (up to today for the running period); a stock-out risk when it is below
  the company's setting (and something was sold).

One query builds it for any list of consecutive periods: months in the analysis view, a
chosen period (after everything before it) in a customer's ledger and its PDF.
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

BEGINNING = fields.Date.to_date("1900-01-01")
# A row's id follows from what it is (customer, product, company and month), not from
# its place among the others: the same row keeps its id whatever reports come, and
# opened from a customer or from the whole ledger. 52 bits of a hash of them: within
# the integers a browser reads exactly, with a chance of two rows sharing an id of
# about 1 in 9,000 for a million rows.
LEDGER_ROW_ID = SQL(
    "('x' || LEFT(MD5(CONCAT_WS('/', ledger.partner_id, ledger.product_id, "
    "ledger.company_id, ledger.date_from)), 13))::BIT(52)::BIGINT"
)


def _bought_sql(partner_filter):
    """Rows (partner_id, product_id, company_id, day, qty) bought from us."""
    return SQL(
        """
        SELECT customer.commercial_partner_id AS partner_id, move.product_id,
               move.company_id,
               (move.date AT TIME ZONE 'UTC'
                   AT TIME ZONE COALESCE(company_partner.tz, 'UTC'))::date AS day,
               CASE WHEN dest.usage = 'customer' THEN 1 ELSE -1 END
                   * move.quantity / move_uom.factor * product_uom.factor AS qty
          FROM stock_move move
          JOIN stock_location src ON src.id = move.location_id
          JOIN stock_location dest ON dest.id = move.location_dest_id
          JOIN stock_picking picking ON picking.id = move.picking_id
          JOIN res_partner customer ON customer.id = picking.partner_id
          JOIN uom_uom move_uom ON move_uom.id = move.product_uom
          JOIN product_product product ON product.id = move.product_id
          JOIN product_template template ON template.id = product.product_tmpl_id
          JOIN uom_uom product_uom ON product_uom.id = template.uom_id
          JOIN res_company company ON company.id = move.company_id
          JOIN res_partner company_partner ON company_partner.id = company.partner_id
         WHERE move.state = 'done'
           AND (dest.usage = 'customer') <> (src.usage = 'customer')
           AND %(partner_filter)s
        UNION ALL
        SELECT customer.commercial_partner_id, line.product_id, line.company_id,
               (sale.date_order AT TIME ZONE 'UTC'
                   AT TIME ZONE COALESCE(company_partner.tz, 'UTC'))::date,
               line.product_uom_qty / line_uom.factor * product_uom.factor
          FROM sale_order_line line
          JOIN sale_order sale ON sale.id = line.order_id
          JOIN res_partner customer ON customer.id = sale.partner_id
          JOIN uom_uom line_uom ON line_uom.id = line.product_uom
          JOIN product_product product ON product.id = line.product_id
          JOIN product_template template ON template.id = product.product_tmpl_id
          JOIN uom_uom product_uom ON product_uom.id = template.uom_id
          JOIN res_company company ON company.id = line.company_id
          JOIN res_partner company_partner ON company_partner.id = company.partner_id
         WHERE sale.state = 'sale'
           AND line.display_type IS NULL
           AND NOT COALESCE(line.is_downpayment, FALSE)
           AND template.type = 'consu'
           AND NOT EXISTS (SELECT 1 FROM stock_move sm WHERE sm.sale_line_id = line.id)
           AND %(partner_filter)s
        """,
        partner_filter=partner_filter,
    )


def ledger_sql(periods, partner_ids=None, today=None):
    """The ledger rows of every customer (or of ``partner_ids``) and product, for each
    of ``periods``, an SQL giving consecutive (date_from, date_to) rows, both included;
    ``periods`` may use the CTEs ``bought`` and ``reports`` (e.g. to start at the first
    activity)."""
    if partner_ids is None:
        customer_filter = report_filter = SQL("TRUE")
    else:
        ids = tuple(partner_ids) or (0,)
        customer_filter = SQL("customer.commercial_partner_id IN %s", ids)
        report_filter = SQL("report.partner_id IN %s", ids)
    return SQL(
        """
        WITH bought AS MATERIALIZED (%(bought)s),
        reports AS MATERIALIZED (
            SELECT report.id, report.partner_id, report.product_id, report.company_id,
                   report.date AS day, report.qty_sold, report.stock_on_hand
              FROM spm_sellout_report report
             WHERE %(report_filter)s
        ),
        periods (date_from, date_to) AS (%(periods)s),
        keys AS (
            SELECT partner_id, product_id, company_id FROM bought
            UNION SELECT partner_id, product_id, company_id FROM reports
        ),
        reported AS (
            SELECT r.partner_id, r.product_id, r.company_id, p.date_from,
                   SUM(r.qty_sold) AS sold, MAX(r.day) AS last_day,
                   (ARRAY_AGG(r.stock_on_hand ORDER BY r.day DESC, r.id DESC))[1] AS last_stock,
                   COUNT(*) AS report_count
              FROM reports r
              JOIN periods p ON r.day BETWEEN p.date_from AND p.date_to
             GROUP BY r.partner_id, r.product_id, r.company_id, p.date_from
        ),
        purchased AS (
            SELECT b.partner_id, b.product_id, b.company_id, p.date_from,
                   SUM(b.qty) AS bought,
                   SUM(b.qty) FILTER (WHERE b.day > rp.last_day) AS bought_after
              FROM bought b
              JOIN periods p ON b.day BETWEEN p.date_from AND p.date_to
              LEFT JOIN reported rp ON rp.partner_id = b.partner_id
                   AND rp.product_id = b.product_id AND rp.company_id = b.company_id
                   AND rp.date_from = p.date_from
             GROUP BY b.partner_id, b.product_id, b.company_id, p.date_from
        ),
        grid AS (
            SELECT k.partner_id, k.product_id, k.company_id, p.date_from, p.date_to,
                   COALESCE(pu.bought, 0) AS bought, COALESCE(rp.sold, 0) AS sold,
                   COALESCE(rp.report_count, 0) AS report_count,
                   rp.last_stock + COALESCE(pu.bought_after, 0) AS counted,
                   SUM(COALESCE(pu.bought, 0)) OVER key_periods AS cum_bought,
                   COUNT(rp.last_stock) OVER key_periods AS count_group
              FROM keys k
             CROSS JOIN periods p
              LEFT JOIN reported rp ON rp.partner_id = k.partner_id
                   AND rp.product_id = k.product_id AND rp.company_id = k.company_id
                   AND rp.date_from = p.date_from
              LEFT JOIN purchased pu ON pu.partner_id = k.partner_id
                   AND pu.product_id = k.product_id AND pu.company_id = k.company_id
                   AND pu.date_from = p.date_from
            WINDOW key_periods AS (PARTITION BY k.partner_id, k.product_id, k.company_id
                                   ORDER BY p.date_from)
        ),
        closing AS (
            SELECT g.*,
                   CASE WHEN g.count_group = 0 THEN g.cum_bought
                        ELSE FIRST_VALUE(g.counted - g.cum_bought) OVER (
                                 PARTITION BY g.partner_id, g.product_id, g.company_id,
                                              g.count_group
                                 ORDER BY g.date_from) + g.cum_bought
                   END AS closing_stock
              FROM grid g
        ),
        ledger AS (
            SELECT c.*,
                   COALESCE(LAG(c.closing_stock) OVER (
                       PARTITION BY c.partner_id, c.product_id, c.company_id
                       ORDER BY c.date_from), 0) AS opening_stock,
                   -- a period still to come (or begun today by the UTC clock) counts one day
                   c.sold / GREATEST(LEAST(c.date_to, %(today)s) - c.date_from + 1, 1)
                       AS sold_per_day
              FROM closing c
        )
        SELECT l.partner_id, l.product_id, l.company_id, l.date_from, l.date_to,
               l.opening_stock, l.bought, l.sold, l.closing_stock, l.report_count,
               l.sold_per_day,
               CASE WHEN l.sold_per_day > 0 THEN l.closing_stock / l.sold_per_day END
                   AS days_of_stock,
               COALESCE(l.sold_per_day > 0
                        AND l.closing_stock / l.sold_per_day < company.spm_sellout_stockout_days,
                        FALSE) AS stockout_risk
          FROM ledger l
          JOIN res_company company ON company.id = l.company_id
        """,
        bought=_bought_sql(customer_filter),
        report_filter=report_filter,
        periods=periods,
        today=today or fields.Date.today(),
    )


class SpmSelloutLedger(models.Model):
    """The ledger by month: one row per customer, product and month from the first
    purchase or report to the current month."""

    _name = "spm.sellout.ledger"
    _inherit = ["spm.ratio.report.mixin"]
    _description = "Purchase/Sales Ledger"
    _auto = False
    _rec_name = "product_id"
    _order = "date desc, partner_id, product_id"
    # the customer book: exported by sales managers only (spm_export_guard.py)
    _spm_export_guard = True

    date = fields.Date(string="Month", readonly=True)
    date_to = fields.Date(string="Month End", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Salesperson", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    opening_stock = fields.Float(digits="Product Unit of Measure", readonly=True)
    bought_qty = fields.Float(
        string="Bought From Us",
        digits="Product Unit of Measure",
        readonly=True,
        help="Delivered minus returned; ordered quantities of lines delivered by no stock move.",
    )
    sold_qty = fields.Float(string="Sold", digits="Product Unit of Measure", readonly=True)
    closing_stock = fields.Float(digits="Product Unit of Measure", readonly=True)
    sold_per_day = fields.Float(digits=(16, 3), readonly=True)
    report_count = fields.Integer(string="Reports", readonly=True)
    days_of_stock = fields.Float(
        digits=(16, 1),
        aggregator="avg",
        readonly=True,
        help="Closing stock divided by what was sold per day in the month (up to today "
        "for the current month).",
    )
    stockout_risk = fields.Boolean(
        string="Stock-out Risk",
        readonly=True,
        help="Days of stock below the company's stock-out setting.",
    )

    @api.model
    def _spm_ratios(self):
        return {
            "days_of_stock": (
                ("closing_stock", "sold_per_day"),
                lambda row: (
                    (row.get("closing_stock") or 0.0) / row["sold_per_day"]
                    if row.get("sold_per_day")
                    else 0.0
                ),
            ),
        }

    @property
    def _table_query(self):
        """Every customer's ledger by month; opened from a customer, only that
        customer's (``spm_ledger_partner_ids`` in the context: the months of the other
        customers are not computed, a filter on the view's rows would compute them all)."""
        partner_ids = self.env.context.get("spm_ledger_partner_ids")
        if partner_ids is not None:
            # a context key from any client: ids only, and the view's rules still apply
            ids = partner_ids if isinstance(partner_ids, (list, tuple)) else [partner_ids]
            partner_ids = [i for i in ids if isinstance(i, int) and not isinstance(i, bool)]
        # Months counted one by one, not by generate_series(): PostgreSQL guesses a
        # thousand rows for that, costs the ledger of one customer as if it were years of
        # every customer's and spends seconds compiling it (JIT) for milliseconds of work.
        months = SQL(
            """
            WITH RECURSIVE month (date_from) AS (
                SELECT date_trunc('month', MIN(day))::date
                  FROM (SELECT day FROM bought UNION ALL SELECT day FROM reports) d
                UNION ALL
                SELECT (date_from + INTERVAL '1 month')::date FROM month
                 WHERE date_from < date_trunc('month', %(today)s::date)
            )
            SELECT date_from, (date_from + INTERVAL '1 month' - INTERVAL '1 day')::date
              FROM month
            """,
            today=fields.Date.today(),
        )
        return SQL(
            """
            SELECT %(row_id)s AS id,
                   ledger.date_from AS date, ledger.date_to, ledger.partner_id,
                   partner.user_id, ledger.product_id, ledger.company_id,
                   ledger.opening_stock, ledger.bought AS bought_qty, ledger.sold AS sold_qty,
                   ledger.closing_stock, ledger.sold_per_day, ledger.report_count,
                   ledger.days_of_stock, ledger.stockout_risk
              FROM (%(ledger)s) ledger
              JOIN res_partner partner ON partner.id = ledger.partner_id
             WHERE ledger.bought <> 0 OR ledger.report_count > 0
                OR ledger.opening_stock <> 0 OR ledger.closing_stock <> 0
            """,
            ledger=ledger_sql(months, partner_ids),
            row_id=LEDGER_ROW_ID,
        )

    @api.model
    def _spm_ledger(self, partners, date_from, date_to):
        """The ledger of ``partners`` (commercial partners) over one period: a list of
        dicts (partner, product, company, opening_stock, bought, sold, closing_stock,
        days_of_stock, stockout_risk), by customer and product name."""
        date_from, date_to = fields.Date.to_date(date_from), fields.Date.to_date(date_to)
        periods = SQL(
            "VALUES (%(beginning)s::date, %(before)s::date), (%(start)s::date, %(end)s::date)",
            beginning=BEGINNING,
            before=date_from - timedelta(days=1),
            start=date_from,
            end=date_to,
        )
        # raw SQL: the ledger's access rights and its companies checked here
        self.check_access("read")
        query = SQL(
            "SELECT * FROM (%s) ledger WHERE ledger.date_from = %s AND ledger.company_id IN %s",
            ledger_sql(periods, partners.ids),
            date_from,
            tuple(self.env.companies.ids),
        )
        self.env.flush_all()
        self.env.cr.execute(query)
        rows = self.env.cr.dictfetchall()
        # records iterated from one recordset share its prefetch: one query per model
        products = {
            product.id: product
            for product in self.env["product.product"].browse({row["product_id"] for row in rows})
        }
        customers = {
            customer.id: customer
            for customer in self.env["res.partner"].browse({row["partner_id"] for row in rows})
        }
        companies = {
            company.id: company
            for company in self.env["res.company"].browse({row["company_id"] for row in rows})
        }
        result = []
        for row in rows:
            if not (
                row["bought"] or row["report_count"] or row["opening_stock"] or row["closing_stock"]
            ):
                continue
            result.append(
                {
                    **row,
                    "partner": customers[row["partner_id"]],
                    "product": products[row["product_id"]],
                    "company": companies[row["company_id"]],
                }
            )
        return sorted(
            result,
            key=lambda row: (row["partner"].display_name, row["product"].display_name),
        )

    @api.model
    def _spm_expected_stock(self, reports):
        """``{report id: stock expected before its own sales}``: the stock counted by
        the previous report of the same customer and product plus what was bought
        after it, up to the report's day; absent when there is no previous report."""
        reports = reports.filtered(lambda report: isinstance(report.id, int))
        if not reports:
            return {}
        values = SQL(", ").join(
            SQL(
                "(%s, %s, %s, %s, %s::date)",
                r.id,
                r.partner_id.id,
                r.product_id.id,
                r.company_id.id,
                r.date,
            )
            for r in reports
        )
        query = SQL(
            """
            WITH bought AS MATERIALIZED (%(bought)s),
            current (id, partner_id, product_id, company_id, day) AS (VALUES %(values)s)
            SELECT cur.id,
                   previous.stock_on_hand + COALESCE((
                       SELECT SUM(b.qty) FROM bought b
                        WHERE b.partner_id = cur.partner_id AND b.product_id = cur.product_id
                          AND b.company_id = cur.company_id
                          AND b.day > previous.date AND b.day <= cur.day), 0)
              FROM current cur
              JOIN LATERAL (
                  SELECT report.stock_on_hand, report.date
                    FROM spm_sellout_report report
                   WHERE report.partner_id = cur.partner_id
                     AND report.product_id = cur.product_id
                     AND report.company_id = cur.company_id
                     AND (report.date, report.id) < (cur.day, cur.id)
                   ORDER BY report.date DESC, report.id DESC
                   LIMIT 1
              ) previous ON TRUE
            """,
            bought=_bought_sql(
                SQL("customer.commercial_partner_id IN %s", tuple(reports.partner_id.ids))
            ),
            values=values,
        )
        self.env.cr.execute(query)
        return dict(self.env.cr.fetchall())
