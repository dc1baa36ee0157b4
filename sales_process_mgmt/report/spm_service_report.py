from odoo import api, fields, models
from odoo.tools import SQL

from ..models.spm_service_request import SERVICE_STATES
from ..models.spm_service_sla import SERVICE_PRIORITIES, SERVICE_TYPES


def _ratio(row, numerator, denominator, scale=1.0):
    base = row.get(denominator) or 0.0
    return scale * (row.get(numerator) or 0.0) / base if base else 0.0


class SpmServiceReport(models.Model):
    """After-sales analysis (售后服务): one row per service request (cancelled ones left
    out), by the month it was opened, rep, team, type, priority and customer, with the
    figures the scorecard sums: requests, SLA breaches, resolved requests and their
    working hours, rated requests and their satisfaction. Grouped, the ratios are
    computed again from those sums (``spm.ratio.report.mixin``): breach % = breached /
    requests, average resolution time = working hours / resolved requests, average
    satisfaction = satisfaction / rated requests."""

    _name = "spm.service.report"
    _inherit = ["spm.ratio.report.mixin"]
    _description = "After-sales Analysis"
    _auto = False
    _rec_name = "request_id"
    _order = "date desc, request_id desc"
    _depends = {
        "spm.service.request": [
            "company_id",
            "partner_id",
            "user_id",
            "team_id",
            "request_type",
            "priority",
            "state",
            "sla_breached",
            "resolved_date",
            "resolution_hours",
            "satisfaction",
        ],
    }

    request_id = fields.Many2one("spm.service.request", string="Service Request", readonly=True)
    date = fields.Datetime(string="Opened On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    user_id = fields.Many2one("res.users", string="Sales Rep", readonly=True)
    team_id = fields.Many2one("crm.team", string="Sales Team", readonly=True)
    request_type = fields.Selection(SERVICE_TYPES, string="Type", readonly=True)
    priority = fields.Selection(SERVICE_PRIORITIES, readonly=True)
    state = fields.Selection(SERVICE_STATES, string="Status", readonly=True)
    request_count = fields.Integer(string="Requests", readonly=True)
    breached_count = fields.Integer(string="SLA Breached", readonly=True)
    resolved_count = fields.Integer(string="Resolved", readonly=True)
    resolution_hours = fields.Float(
        string="Resolution Time (working hours)",
        readonly=True,
        help="Working hours from the request to its resolution, of the resolved requests.",
    )
    rated_count = fields.Integer(string="Rated", readonly=True)
    satisfaction_total = fields.Integer(
        string="Satisfaction Points",
        readonly=True,
        help="Sum of the satisfaction (1-5) of the rated requests.",
    )
    # Ratios: read_group recomputes them from the summed figures.
    breach_percent = fields.Float(string="SLA Breach (%)", readonly=True, aggregator="avg")
    avg_resolution_hours = fields.Float(
        string="Avg. Resolution Time (working hours)", readonly=True, aggregator="avg"
    )
    avg_satisfaction = fields.Float(
        string="Avg. Satisfaction",
        readonly=True,
        aggregator="avg",
        help="Average satisfaction (1-5) of the rated requests.",
    )

    @api.model
    def _spm_ratios(self):
        return {
            "breach_percent": (
                ("breached_count", "request_count"),
                lambda row: _ratio(row, "breached_count", "request_count", 100.0),
            ),
            "avg_resolution_hours": (
                ("resolution_hours", "resolved_count"),
                lambda row: _ratio(row, "resolution_hours", "resolved_count"),
            ),
            "avg_satisfaction": (
                ("satisfaction_total", "rated_count"),
                lambda row: _ratio(row, "satisfaction_total", "rated_count"),
            ),
        }

    @property
    def _table_query(self):
        return SQL("%s %s %s", self._select(), self._from(), self._where())

    def _select(self):
        return SQL(
            """
            SELECT request.id,
                   request.id AS request_id,
                   request.create_date AS date,
                   request.company_id,
                   request.partner_id,
                   request.user_id,
                   request.team_id,
                   request.request_type,
                   request.priority,
                   request.state,
                   1 AS request_count,
                   %(breached)s AS breached_count,
                   %(resolved)s AS resolved_count,
                   %(hours)s AS resolution_hours,
                   %(rated)s AS rated_count,
                   %(rated)s * request.satisfaction AS satisfaction_total,
                   100.0 * %(breached)s AS breach_percent,
                   %(hours)s AS avg_resolution_hours,
                   %(rated)s * request.satisfaction AS avg_satisfaction
            """,
            breached=SQL("CASE WHEN request.sla_breached THEN 1 ELSE 0 END"),
            resolved=SQL("CASE WHEN request.resolved_date IS NOT NULL THEN 1 ELSE 0 END"),
            hours=SQL(
                "CASE WHEN request.resolved_date IS NOT NULL "
                "THEN COALESCE(request.resolution_hours, 0) ELSE 0 END"
            ),
            rated=SQL("CASE WHEN request.satisfaction BETWEEN 1 AND 5 THEN 1 ELSE 0 END"),
        )

    def _from(self):
        return SQL("FROM spm_service_request request")

    def _where(self):
        return SQL("WHERE request.state != 'cancelled'")
