from odoo import models
from odoo.tools import SQL

from ..models.spm_rep_target import LOWER_IS_BETTER, SPLIT_DUTIES


class SpmRepScorecard(models.Model):
    """The rep's seven duties: per rep, period and duty, the target, the actual, the
    attainment (0-100) and its weighted share of the score.

    Actuals follow each document's own user (the order's salesperson, the invoice's,
    the opportunity's, the service request's), so handing customers over later never
    moves past results; days are the rep's (the rep's timezone, else the company's).
    The collection period and rate are the collection report's own figures. Attainment
    is actual / target (capped at 100), target / actual for the collection period; a
    duty without any actual (nothing invoiced, nothing sold) attains 0. A frozen
    target's rows are those stored when its period was frozen."""

    _name = "spm.rep.scorecard"
    _inherit = ["spm.rep.scorecard.row"]
    _description = "Rep Scorecard"
    _auto = False
    _rec_name = "duty"
    _order = "date_from desc, user_id, duty"

    @property
    def _table_query(self):
        return SQL("(%s) UNION ALL (%s)", self._live_query(), self._frozen_query())

    def _frozen_query(self):
        """The rows of the frozen targets, as stored when they were frozen."""
        return SQL(
            """
            SELECT line_id::bigint * 1000000 + user_id AS id, line_id, target_id, user_id,
                   team_id, company_id,
                   currency_id, period, date_from, date_to, duty, target, weight, actual,
                   attainment, weighted_score
              FROM spm_rep_scorecard_snapshot
            """
        )

    def _live_query(self):
        """The rows of the targets not frozen, computed from the documents."""
        return SQL(
            "WITH %s SELECT %s FROM target %s",
            SQL(", ").join(
                SQL("%s AS (%s)", SQL.identifier(name), query) for name, query in self._with_parts()
            ),
            self._select(),
            self._join_actuals(),
        )

    # -- targets -----------------------------------------------------------------------

    def _with_parts(self):
        return [
            ("target", self._targets()),
            ("period", self._periods()),
            ("clock", self._clocks()),
            ("orders", self._orders()),
            ("collection", self._collection()),
            ("won", self._won()),
            ("first_order", self._first_orders()),
            ("new_customers", self._new_customers()),
            ("satisfaction", self._satisfaction()),
        ]

    def _targets(self):
        """One row per rep, period and duty: the rep's own target, else the target of
        one of the rep's teams (amounts split among its active members)."""
        return SQL(
            """
            SELECT DISTINCT ON (candidate.user_id, candidate.company_id, candidate.period,
                                candidate.date_from, candidate.duty) candidate.*
              FROM (
                SELECT t.id AS target_id, line.id AS line_id, t.user_id,
                       COALESCE(users.sale_team_id, 0) AS team_id, t.company_id, t.period,
                       t.date_from, t.date_to, line.duty, line.target, line.weight, 0 AS rank
                  FROM spm_rep_target t
                  JOIN spm_rep_target_line line ON line.target_id = t.id
                  JOIN res_users users ON users.id = t.user_id
                 WHERE t.user_id IS NOT NULL AND NOT COALESCE(t.frozen, FALSE)
                UNION ALL
                SELECT t.id, line.id, member.user_id, t.team_id, t.company_id, t.period,
                       t.date_from, t.date_to, line.duty,
                       CASE WHEN line.duty IN %(split)s
                            THEN line.target / COUNT(*) OVER (PARTITION BY line.id)
                            ELSE line.target END,
                       line.weight, t.id
                  FROM spm_rep_target t
                  JOIN spm_rep_target_line line ON line.target_id = t.id
                  JOIN crm_team_member member ON member.crm_team_id = t.team_id
                       AND member.active
                 WHERE t.team_id IS NOT NULL AND NOT COALESCE(t.frozen, FALSE)
              ) candidate
             WHERE NOT EXISTS (
                   SELECT 1 FROM spm_rep_target own
                    WHERE candidate.rank > 0 AND own.user_id = candidate.user_id
                      AND own.company_id = candidate.company_id
                      AND own.period = candidate.period
                      AND own.date_from = candidate.date_from)
             ORDER BY candidate.user_id, candidate.company_id, candidate.period,
                      candidate.date_from, candidate.duty, candidate.rank
            """,
            split=SPLIT_DUTIES,
        )

    def _periods(self):
        """Each rep's periods, with the rep's clock (rep's, else company's timezone)."""
        return SQL(
            """
            SELECT DISTINCT target.user_id, target.company_id, target.date_from,
                   target.date_to,
                   COALESCE(NULLIF(rep_partner.tz, ''), NULLIF(company_partner.tz, ''),
                            'UTC') AS tz
              FROM target
              JOIN res_users rep ON rep.id = target.user_id
              JOIN res_partner rep_partner ON rep_partner.id = rep.partner_id
              JOIN res_company company ON company.id = target.company_id
              JOIN res_partner company_partner ON company_partner.id = company.partner_id
            """
        )

    def _clocks(self):
        """Each rep's clock and the days all of the rep's periods cover."""
        return SQL(
            """
            SELECT user_id, company_id, MIN(tz) AS tz, MIN(date_from) AS first_day,
                   MAX(date_to) AS last_day
              FROM period
             GROUP BY user_id, company_id
            """
        )

    @staticmethod
    def _local_month(column):
        """The month (on the rep's clock) of ``column``, a UTC timestamp."""
        return SQL("date_trunc('month', %s AT TIME ZONE 'UTC' AT TIME ZONE clock.tz)::date", column)

    @staticmethod
    def _in_clock(month):
        """``month`` is one of the months the rep's periods cover."""
        return SQL("%(month)s BETWEEN clock.first_day AND clock.last_day", month=month)

    @staticmethod
    def _per_period(monthly, figures):
        """The sums of ``figures`` over each period, from ``monthly`` rows (user_id,
        company_id, month and the figures): periods are whole months."""
        return SQL(
            """
            SELECT period.user_id, period.company_id, period.date_from, period.date_to,
                   %(sums)s
              FROM period
              JOIN (%(monthly)s) monthly ON monthly.user_id = period.user_id
                   AND monthly.company_id = period.company_id
                   AND monthly.month BETWEEN period.date_from AND period.date_to
             GROUP BY period.user_id, period.company_id, period.date_from, period.date_to
            """,
            sums=SQL(", ").join(
                SQL("SUM(monthly.%s) AS %s", SQL.identifier(figure), SQL.identifier(figure))
                for figure in figures
            ),
            monthly=monthly,
        )

    # -- actuals, one part per source --------------------------------------------------

    def _orders(self):
        """Confirmed orders of the rep: amount untaxed and margin, company currency."""
        month = self._local_month(SQL("sale.date_order"))
        return self._per_period(
            SQL(
                """
                SELECT sale.user_id, sale.company_id, %(month)s AS month,
                       SUM(sale.amount_untaxed / COALESCE(NULLIF(sale.currency_rate, 0), 1))
                           AS amount,
                       SUM(sale.margin / COALESCE(NULLIF(sale.currency_rate, 0), 1)) AS margin
                  FROM clock
                  JOIN sale_order sale ON sale.user_id = clock.user_id
                       AND sale.company_id = clock.company_id AND sale.state = 'sale'
                 WHERE %(in_clock)s
                 GROUP BY sale.user_id, sale.company_id, %(month)s
                """,
                month=month,
                in_clock=self._in_clock(month),
            ),
            ["amount", "margin"],
        )

    def _collection(self):
        """The collection report's months of invoicing within the period."""
        return self._per_period(
            SQL(
                """
                SELECT report.user_id, report.company_id, report.date AS month,
                       report.net_invoiced_amount AS net_invoiced,
                       report.collected_amount AS collected,
                       report.dso_weighted_amount AS dso_weighted
                  FROM (%s) report
                 WHERE report.date >= (SELECT MIN(first_day) FROM clock)
                   AND report.date <= (SELECT MAX(last_day) FROM clock)
                """,
                self.env["spm.collection.report"]._table_query,
            ),
            ["net_invoiced", "collected", "dso_weighted"],
        )

    def _won(self):
        """Opportunities the rep won in the period: their expected revenue."""
        month = self._local_month(SQL("lead.date_closed"))
        return self._per_period(
            SQL(
                """
                SELECT lead.user_id, clock.company_id, %(month)s AS month,
                       SUM(lead.expected_revenue) AS revenue
                  FROM clock
                  JOIN crm_lead lead ON lead.user_id = clock.user_id AND lead.active
                       AND lead.type = 'opportunity'
                       AND COALESCE(lead.company_id, clock.company_id) = clock.company_id
                  JOIN crm_stage stage ON stage.id = lead.stage_id AND stage.is_won
                 WHERE %(in_clock)s
                 GROUP BY lead.user_id, clock.company_id, %(month)s
                """,
                month=month,
                in_clock=self._in_clock(month),
            ),
            ["revenue"],
        )

    def _first_orders(self):
        """Each customer's first confirmed order in each company."""
        return SQL(
            """
            SELECT DISTINCT ON (sale.company_id, customer.commercial_partner_id)
                   sale.company_id, sale.user_id, sale.date_order,
                   customer.commercial_partner_id AS partner_id
              FROM sale_order sale
              JOIN res_partner customer ON customer.id = sale.partner_id
             WHERE sale.state = 'sale'
             ORDER BY sale.company_id, customer.commercial_partner_id, sale.date_order,
                      sale.id
            """
        )

    def _new_customers(self):
        """Customers whose first confirmed order the rep took in the period."""
        month = self._local_month(SQL("first_order.date_order"))
        return self._per_period(
            SQL(
                """
                SELECT first_order.user_id, first_order.company_id, %(month)s AS month,
                       COUNT(*) AS customers
                  FROM clock
                  JOIN first_order ON first_order.user_id = clock.user_id
                       AND first_order.company_id = clock.company_id
                 WHERE %(in_clock)s
                 GROUP BY first_order.user_id, first_order.company_id, %(month)s
                """,
                month=month,
                in_clock=self._in_clock(month),
            ),
            ["customers"],
        )

    def _satisfaction(self):
        """Satisfaction (1-5) the rep's customers gave: on the rep's visits of the
        period and to the rep's service requests opened in the period (as the service
        report counts them), one answer each."""
        request_month = self._local_month(SQL("request.create_date"))
        visit_month = SQL("date_trunc('month', visit.visit_date)::date")
        return self._per_period(
            SQL(
                """
                SELECT request.user_id, request.company_id, %(request_month)s AS month,
                       SUM(request.satisfaction) AS satisfaction_total, COUNT(*) AS rated
                  FROM clock
                  JOIN spm_service_request request ON request.user_id = clock.user_id
                       AND request.company_id = clock.company_id
                       AND request.satisfaction BETWEEN 1 AND 5
                 WHERE %(request_in_clock)s
                 GROUP BY request.user_id, request.company_id, %(request_month)s
                UNION ALL
                SELECT visit.user_id, visit.company_id, %(visit_month)s,
                       SUM(visit.satisfaction_score), COUNT(*)
                  FROM clock
                  JOIN spm_visit visit ON visit.user_id = clock.user_id
                       AND visit.company_id = clock.company_id
                       AND visit.satisfaction_score BETWEEN 1 AND 5
                 WHERE %(visit_in_clock)s
                 GROUP BY visit.user_id, visit.company_id, %(visit_month)s
                """,
                request_month=request_month,
                request_in_clock=self._in_clock(request_month),
                visit_month=visit_month,
                visit_in_clock=self._in_clock(visit_month),
            ),
            ["satisfaction_total", "rated"],
        )

    # -- the scorecard -----------------------------------------------------------------

    def _actual(self):
        return SQL(
            """CASE target.duty
                 WHEN 'sales' THEN COALESCE(orders.amount, 0)
                 WHEN 'margin' THEN 100.0 * orders.margin / NULLIF(orders.amount, 0)
                 WHEN 'dso' THEN collection.dso_weighted / NULLIF(collection.net_invoiced, 0)
                 WHEN 'collection_rate'
                      THEN 100.0 * collection.collected / NULLIF(collection.net_invoiced, 0)
                 WHEN 'funnel' THEN COALESCE(won.revenue, 0)
                 WHEN 'new_customers' THEN COALESCE(new_customers.customers, 0)
                 WHEN 'satisfaction'
                      THEN satisfaction.satisfaction_total::float / NULLIF(satisfaction.rated, 0)
               END"""
        )

    def _attainment(self):
        return SQL(
            """CASE WHEN %(actual)s IS NULL THEN 0
                    WHEN target.duty IN %(lower)s
                         THEN CASE WHEN %(actual)s <= target.target THEN 100.0
                                   ELSE 100.0 * target.target / %(actual)s END
                    WHEN target.target = 0 THEN 100.0
                    ELSE LEAST(100.0, 100.0 * %(actual)s / target.target)
               END""",
            actual=self._actual(),
            lower=LOWER_IS_BETTER,
        )

    def _select(self):
        return SQL(
            """
            target.line_id::bigint * 1000000 + target.user_id AS id,
            target.line_id, target.target_id, target.user_id, NULLIF(target.team_id, 0) AS team_id,
            target.company_id, company.currency_id, target.period, target.date_from,
            target.date_to, target.duty, target.target, target.weight,
            %(actual)s AS actual,
            %(attainment)s AS attainment,
            %(attainment)s * target.weight / 100.0 AS weighted_score
            """,
            actual=self._actual(),
            attainment=self._attainment(),
        )

    def _join_actuals(self):
        key = "USING (user_id, company_id, date_from, date_to)"
        return SQL(
            "JOIN res_company company ON company.id = target.company_id %s",
            SQL(" ").join(
                SQL("LEFT JOIN %s " + key, SQL.identifier(name))
                for name in ("orders", "collection", "won", "new_customers", "satisfaction")
            ),
        )
