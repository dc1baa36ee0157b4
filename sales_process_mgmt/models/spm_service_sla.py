"""Service levels of after-sales requests (售后服务时限).

An SLA gives, for a priority (and, when set, a type of request), the working hours the
company has to answer the customer first and to resolve the request. Hours are counted
on the company's working calendar (``res.company.resource_calendar_id``, in the
calendar's timezone) with its leaves: a request opened on Friday at 17:00 with 4 working
hours on a Monday-to-Friday 8:00-17:00 calendar is due on Monday at 12:00, and a public
holiday entered as a leave of the calendar is skipped.

The SLA of a request is the one of its company and priority for its type, else the one
for all types; none, no deadline.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

SERVICE_PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]
SERVICE_TYPES = [
    ("complaint", "Complaint"),
    ("repair", "Repair"),
    ("maintenance", "Maintenance"),
    ("return", "Return"),
    ("consultation", "Consultation"),
]


def working_calendar(company):
    """The calendar the service hours of ``company`` are counted on."""
    return company.resource_calendar_id or company.env.ref("resource.resource_calendar_std")


def add_working_hours(company, start, hours):
    """Naive UTC datetime ``hours`` working hours of ``company`` after ``start`` (naive
    UTC), leaves of its calendar skipped; False when the calendar has no working time
    in the next four years."""
    return working_calendar(company).plan_hours(hours, start, compute_leaves=True)


def working_hours_between(company, start, end):
    """Working hours of ``company`` from ``start`` to ``end`` (naive UTC), leaves
    skipped; negative when ``end`` comes first."""
    if end < start:
        return -working_hours_between(company, end, start)
    return working_calendar(company).get_work_hours_count(start, end, compute_leaves=True)


class SpmServiceSla(models.Model):
    _name = "spm.service.sla"
    _description = "After-sales Service Level"
    _order = "company_id, priority desc, request_type, id"
    _check_company_auto = True

    name = fields.Char(
        compute="_compute_name", store=True, readonly=False, required=True, precompute=True
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    priority = fields.Selection(SERVICE_PRIORITIES, required=True, default="1")
    request_type = fields.Selection(
        SERVICE_TYPES, string="Type", help="Empty: the SLA of this priority for all types."
    )
    response_hours = fields.Float(
        string="First Response (working hours)",
        required=True,
        help="Working hours to answer the customer first (a message, or work started).",
    )
    resolution_hours = fields.Float(
        string="Resolution (working hours)",
        required=True,
        help="Working hours to resolve the request.",
    )

    @api.depends("priority", "request_type")
    def _compute_name(self):
        priorities = dict(self._fields["priority"]._description_selection(self.env))
        types = dict(self._fields["request_type"]._description_selection(self.env))
        for sla in self:
            sla.name = " - ".join(
                (
                    priorities.get(sla.priority, ""),
                    types.get(sla.request_type) or self.env._("All Types"),
                )
            )

    @api.constrains("response_hours", "resolution_hours")
    def _check_hours(self):
        for sla in self:
            if sla.response_hours <= 0 or sla.resolution_hours <= 0:
                raise ValidationError(
                    self.env._(
                        "SLA %(sla)s: the hours to first response and to resolution must "
                        "be more than zero.",
                        sla=sla.name,
                    )
                )
            if sla.resolution_hours < sla.response_hours:
                raise ValidationError(
                    self.env._(
                        "SLA %(sla)s: the hours to resolution cannot be fewer than the "
                        "hours to first response.",
                        sla=sla.name,
                    )
                )

    @api.constrains("company_id", "priority", "request_type", "active")
    def _check_unique(self):
        for sla in self.filtered("active"):
            if self.search_count(
                [
                    ("id", "!=", sla.id),
                    ("company_id", "=", sla.company_id.id),
                    ("priority", "=", sla.priority),
                    ("request_type", "=", sla.request_type),
                ],
                limit=1,
            ):
                raise ValidationError(
                    self.env._(
                        "There is already an SLA %(sla)s in %(company)s: change that one.",
                        sla=sla.name,
                        company=sla.company_id.name,
                    )
                )

    def init(self):
        """One active SLA per company, priority and type: the constraint above gives the
        readable message, the index holds against concurrent transactions too."""
        res = super().init()
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX IF NOT EXISTS spm_service_sla_one_per_scope_uniq "
                "ON spm_service_sla (company_id, priority, COALESCE(request_type, '')) "
                "WHERE active"
            )
        )
        return res

    @api.model
    def _spm_slas_by_scope(self, companies):
        """A function ``(priority, type, company=None) -> SLA`` over the active SLAs of
        ``companies``, read once."""
        slas = self.sudo().search([("company_id", "in", companies.ids)])
        by_scope = {(sla.company_id.id, sla.priority, sla.request_type): sla for sla in slas}
        default_company = companies[:1]

        def sla_of(priority, request_type, company=None):
            company_id = (company or default_company).id
            return (
                by_scope.get((company_id, priority, request_type or False))
                or by_scope.get((company_id, priority, False))
                or self.browse()
            ).with_env(self.env)

        return sla_of
