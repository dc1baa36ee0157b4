from odoo import api, fields, models
from odoo.tools import SQL

from ..models.spm_pop_deployment_campaign import pop_cost_counted
from ..models.spm_promotion_campaign import CAMPAIGN_STATES

# Bits of a row id left to the source row's id (Odoo ids are 32-bit integers).
ROW_ID_BITS = 32


class SpmPromotionReport(models.Model):
    """Campaign tracking (跟踪和评估), in SQL: the sales of each campaign's products to
    its outlets during its period against the period of the same length just before,
    in company currency, with their margin (``sale_margin``), the campaign's actual
    costs and the ROI = (uplift margin - cost) / cost. The costs are the actual amounts
    of the cost lines and the cost of the POP put up for the campaign (see
    ``spm_pop_deployment_campaign``), at the outlet of the line or of the POP.

    One row per campaign and sale (a line of a confirmed order, by ``date_order``), one
    per cost line and one per POP deployment counted; pivot and graph sum them per
    campaign, region, outlet and product, and ``read_group`` computes the ratios from
    the sums, never as averages of ratios. The sales come from ``_sales_sources()``:
    each source yields rows of the same columns, so another record of sales to the
    outlets joins as one more source."""

    _name = "spm.promotion.report"
    _inherit = ["spm.ratio.report.mixin"]
    _description = "Campaign Tracking"
    _auto = False
    _rec_name = "campaign_id"
    _order = "campaign_id desc, date"
    _depends = {
        "spm.promotion.campaign": [
            "company_id",
            "state",
            "user_id",
            "date_start",
            "period_start_at",
            "period_end_at",
            "baseline_start_at",
            "partner_ids",
            "product_ids",
        ],
        "spm.promotion.cost": ["campaign_id", "partner_id", "actual_amount"],
        "spm.pop.deployment": ["campaign_id", "partner_id", "state", "installed_on", "cost"],
        "sale.order": ["state", "date_order", "company_id", "partner_id", "currency_rate"],
        "sale.order.line": [
            "order_id",
            "product_id",
            "price_subtotal",
            "margin",
            "product_uom_qty",
            "product_uom",
        ],
        "res.partner": ["commercial_partner_id", "spm_region_id"],
    }

    campaign_id = fields.Many2one("spm.promotion.campaign", readonly=True)
    campaign_state = fields.Selection(CAMPAIGN_STATES, string="Campaign Status", readonly=True)
    campaign_start = fields.Date(readonly=True)
    user_id = fields.Many2one("res.users", string="Responsible", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    region_id = fields.Many2one("spm.region", string="Sales Region", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Outlet", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    date = fields.Datetime(string="Order Date", readonly=True)
    amount = fields.Monetary(string="Sales", readonly=True)
    baseline_amount = fields.Monetary(
        string="Sales Before", readonly=True, help="In the same number of days before the period."
    )
    uplift_amount = fields.Monetary(string="Uplift", readonly=True)
    quantity = fields.Float(digits="Product Unit of Measure", readonly=True)
    baseline_quantity = fields.Float(
        string="Quantity Before", digits="Product Unit of Measure", readonly=True
    )
    uplift_quantity = fields.Float(
        string="Quantity Uplift", digits="Product Unit of Measure", readonly=True
    )
    margin = fields.Monetary(readonly=True)
    baseline_margin = fields.Monetary(string="Margin Before", readonly=True)
    uplift_margin = fields.Monetary(readonly=True)
    cost = fields.Monetary(
        readonly=True,
        help="Actual amounts of the cost lines and the cost of the POP put up for the campaign.",
    )
    pop_cost = fields.Monetary(
        string="POP Cost",
        readonly=True,
        help="Cost of the POP put up for the campaign (included in the cost).",
    )
    # Ratios: read_group recomputes them from the summed figures (see read_group).
    uplift_percent = fields.Float(string="Uplift (%)", readonly=True, aggregator="avg")
    roi = fields.Float(
        string="ROI (%)",
        readonly=True,
        aggregator="avg",
        help="(Uplift margin - cost) / cost.",
    )

    @api.model
    def _spm_uplift_percent(self, row):
        """Uplift in % of the sales before, from summed figures (0 without sales before)."""
        base = row.get("baseline_amount") or 0.0
        return 100.0 * ((row.get("amount") or 0.0) - base) / base if base else 0.0

    @api.model
    def _spm_roi(self, row):
        """ROI in %, from summed figures: (uplift margin - cost) / cost (0 without cost)."""
        cost = row.get("cost") or 0.0
        return 100.0 * ((row.get("uplift_margin") or 0.0) - cost) / cost if cost else 0.0

    @api.model
    def _spm_ratios(self):
        return {
            "uplift_percent": (("amount", "baseline_amount"), self._spm_uplift_percent),
            "roi": (("uplift_margin", "cost"), self._spm_roi),
        }

    @property
    def _table_query(self):
        return SQL("%s %s", self._select(), self._from())

    def _select(self):
        return SQL(
            """
            SELECT figures.id,
                   figures.campaign_id,
                   campaign.state AS campaign_state,
                   campaign.date_start AS campaign_start,
                   campaign.user_id,
                   campaign.company_id,
                   company.currency_id,
                   outlet.spm_region_id AS region_id,
                   figures.partner_id,
                   figures.product_id,
                   figures.date,
                   figures.amount,
                   figures.baseline_amount,
                   figures.amount - figures.baseline_amount AS uplift_amount,
                   figures.quantity,
                   figures.baseline_quantity,
                   figures.quantity - figures.baseline_quantity AS uplift_quantity,
                   figures.margin,
                   figures.baseline_margin,
                   figures.margin - figures.baseline_margin AS uplift_margin,
                   figures.cost,
                   figures.pop_cost,
                   CASE WHEN figures.baseline_amount = 0 THEN 0
                        ELSE 100.0 * (figures.amount - figures.baseline_amount)
                             / figures.baseline_amount
                   END AS uplift_percent,
                   CASE WHEN figures.cost = 0 THEN 0
                        ELSE 100.0 * (figures.margin - figures.baseline_margin - figures.cost)
                             / figures.cost
                   END AS roi
            """
        )

    def _from(self):
        return SQL(
            """
            FROM (%(sales)s UNION ALL %(costs)s UNION ALL %(pop)s) figures
            JOIN spm_promotion_campaign campaign ON campaign.id = figures.campaign_id
            JOIN res_company company ON company.id = campaign.company_id
            LEFT JOIN res_partner outlet ON outlet.id = figures.partner_id
            """,
            sales=self._sales(),
            costs=self._costs(),
            pop=self._pop_costs(),
        )

    def _sales(self):
        """The rows of every sales source, split between the period and the period
        before. A row's id joins its campaign's id and the source row's id (unique
        among the rows of all sources)."""
        return SQL(
            """
            SELECT (sales.campaign_id::bigint << %(bits)s) + sales.row_id AS id,
                   sales.campaign_id,
                   sales.partner_id,
                   sales.product_id,
                   sales.date,
                   CASE WHEN sales.in_period THEN sales.amount ELSE 0 END AS amount,
                   CASE WHEN sales.in_period THEN 0 ELSE sales.amount END AS baseline_amount,
                   CASE WHEN sales.in_period THEN sales.quantity ELSE 0 END AS quantity,
                   CASE WHEN sales.in_period THEN 0 ELSE sales.quantity END AS baseline_quantity,
                   CASE WHEN sales.in_period THEN sales.margin ELSE 0 END AS margin,
                   CASE WHEN sales.in_period THEN 0 ELSE sales.margin END AS baseline_margin,
                   0.0 AS cost,
                   0.0 AS pop_cost
              FROM (%(sources)s) sales
            """,
            bits=ROW_ID_BITS,
            sources=SQL(" UNION ALL ").join(self._sales_sources()),
        )

    def _sales_sources(self):
        """Queries of sales rows: ``campaign_id``, ``partner_id`` (the outlet),
        ``product_id``, ``row_id``, ``date``, ``in_period`` (else in the period
        before), ``amount`` and ``margin`` (company currency), ``quantity`` (the
        product's unit)."""
        return [self._sale_order_lines()]

    def _sale_order_lines(self):
        """Lines of confirmed orders of the campaign's outlets (the order's customer or
        one of its contacts) for the campaign's products, from the start of the period
        before to the end of the period."""
        return SQL(
            """
            SELECT campaign.id AS campaign_id,
                   campaign_outlet.partner_id,
                   line.product_id,
                   line.id AS row_id,
                   sale.date_order AS date,
                   sale.date_order >= campaign.period_start_at AS in_period,
                   line.price_subtotal / COALESCE(NULLIF(sale.currency_rate, 0), 1.0) AS amount,
                   line.product_uom_qty / line_uom.factor * product_uom.factor AS quantity,
                   COALESCE(line.margin, 0) / COALESCE(NULLIF(sale.currency_rate, 0), 1.0)
                       AS margin
              FROM spm_promotion_campaign campaign
              JOIN spm_promotion_campaign_partner_rel campaign_outlet
                ON campaign_outlet.campaign_id = campaign.id
              JOIN spm_promotion_campaign_product_rel campaign_product
                ON campaign_product.campaign_id = campaign.id
              JOIN sale_order_line line ON line.product_id = campaign_product.product_id
              JOIN sale_order sale ON sale.id = line.order_id
              JOIN res_partner customer ON customer.id = sale.partner_id
              JOIN product_product product ON product.id = line.product_id
              JOIN product_template template ON template.id = product.product_tmpl_id
              JOIN uom_uom line_uom ON line_uom.id = line.product_uom
              JOIN uom_uom product_uom ON product_uom.id = template.uom_id
             WHERE sale.state = 'sale'
               AND sale.company_id = campaign.company_id
               AND customer.commercial_partner_id = campaign_outlet.partner_id
               AND sale.date_order >= campaign.baseline_start_at
               AND sale.date_order < campaign.period_end_at
            """
        )

    def _costs(self):
        """One row per cost line: its actual amount, at its outlet if it has one."""
        return SQL(
            """
            SELECT -cost.id::bigint AS id,
                   cost.campaign_id,
                   cost.partner_id,
                   NULL::integer AS product_id,
                   NULL::timestamp AS date,
                   0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                   COALESCE(cost.actual_amount, 0) AS cost,
                   0.0 AS pop_cost
              FROM spm_promotion_cost cost
            """
        )

    def _pop_costs(self):
        """One row per deployment counted as its campaign's cost, at its outlet: its
        stored cost (company currency). Ids below those of the cost lines."""
        return SQL(
            """
            SELECT -((1::bigint << %(bits)s) + deployment.id) AS id,
                   deployment.campaign_id,
                   deployment.partner_id,
                   NULL::integer AS product_id,
                   NULL::timestamp AS date,
                   0.0, 0.0, 0.0, 0.0, 0.0, 0.0,
                   COALESCE(deployment.cost, 0) AS cost,
                   COALESCE(deployment.cost, 0) AS pop_cost
              FROM spm_pop_deployment deployment
             WHERE deployment.campaign_id IS NOT NULL
               AND %(counted)s
            """,
            bits=ROW_ID_BITS,
            counted=pop_cost_counted("deployment"),
        )
