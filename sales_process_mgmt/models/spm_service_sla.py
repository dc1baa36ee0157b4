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

from pytz import timezone, utc

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression
from odoo.tools import SQL

SCOPE_FIELDS = ("company_id", "priority", "request_type", "active")
# The service levels a company starts with: (priority, hours to first response, hours
# to resolution), in working hours.
DEFAULT_LEVELS = [("3", 2, 8), ("2", 4, 16), ("1", 8, 40), ("0", 16, 80)]

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
    ("return", "Product Return"),
    ("consultation", "Consultation"),
]


def working_calendar(company):
    """The calendar the service hours of ``company`` are counted on, in its own timezone
    (never the one a caller puts in the context)."""
    calendar = company.resource_calendar_id or company.env.ref("resource.resource_calendar_std")
    return calendar.with_context(employee_timezone=timezone(calendar.tz or "UTC"))


def _aware(moment):
    return moment if moment.tzinfo else moment.replace(tzinfo=utc)


def add_working_hours(company, start, hours):
    """Naive UTC datetime ``hours`` working hours of ``company`` after ``start`` (naive
    UTC), leaves of its calendar skipped (before ``start`` when ``hours`` is negative);
    False when the calendar has no working time in the next four years."""
    return working_calendar(company).plan_hours(hours, start, compute_leaves=True)


def working_hours_between(company, start, end):
    """Working hours of ``company`` from ``start`` to ``end`` (naive UTC), leaves
    skipped; negative when ``end`` comes first."""
    return working_hours_from(company, start, [end])[0]


def working_hours_from(company, start, ends):
    """The working hours of ``company`` from ``start`` to each of ``ends`` (naive UTC),
    leaves skipped, negative for an end before ``start``: the calendar's working
    intervals are read once for all of them."""
    if not ends:
        return []
    start = _aware(start)
    ends = [_aware(end) for end in ends]
    low, high = min(start, *ends), max(start, *ends)
    calendar = working_calendar(company)
    intervals = calendar._work_intervals_batch(low, high, compute_leaves=True)[False]
    spans = [(begin, stop) for begin, stop, _meta in intervals]

    def hours(begin, stop):
        return (
            sum(
                max((min(stop, span_stop) - max(begin, span_start)).total_seconds(), 0.0)
                for span_start, span_stop in spans
            )
            / 3600
        )

    return [hours(start, end) if end >= start else -hours(end, start) for end in ends]


class SpmServiceSla(models.Model):
    _name = "spm.service.sla"
    _inherit = ["spm.input.mixin"]
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
        for sla in self:
            sla.name = self._spm_scope_name(sla.priority, sla.request_type)

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

    @api.model_create_multi
    def create(self, vals_list):
        defaults = self.default_get(list(SCOPE_FIELDS))
        self.browse()._spm_check_scopes_free(
            [self._spm_scope({**defaults, **vals}) for vals in vals_list]
        )
        return super().create(vals_list)

    def write(self, vals):
        if any(fname in vals for fname in SCOPE_FIELDS):
            self._spm_check_scopes_free(
                [self._spm_scope({**sla._spm_scope_vals(), **vals}) for sla in self]
            )
        return super().write(vals)

    def _spm_scope_vals(self):
        self.ensure_one()
        return {
            "company_id": self.company_id.id,
            "priority": self.priority,
            "request_type": self.request_type,
            "active": self.active,
        }

    @api.model
    def _spm_scope(self, vals):
        """(company id, priority, type) of the SLA ``vals`` describe, None if archived."""
        if not vals.get("active", True):
            return None
        return (
            vals.get("company_id") or self.env.company.id,
            vals.get("priority") or "1",
            vals.get("request_type") or False,
        )

    def _spm_check_scopes_free(self, scopes):
        """One active SLA per company, priority and type: checked before the database's
        index (which holds against concurrent transactions) so the user reads why."""
        scopes = [scope for scope in scopes if scope]
        if not scopes:
            return
        duplicate = len(set(scopes)) < len(scopes)
        clash = self.browse()
        if not duplicate:
            domain = expression.OR(
                [
                    [
                        ("company_id", "=", company_id),
                        ("priority", "=", priority),
                        ("request_type", "=", request_type),
                    ]
                    for company_id, priority, request_type in scopes
                ]
            )
            clash = self.sudo().search(
                expression.AND([domain, [("id", "not in", self.ids)]]), limit=1
            )
        if duplicate or clash:
            if clash:
                company_id, priority, request_type = (
                    clash.company_id.id,
                    clash.priority,
                    clash.request_type,
                )
            else:
                company_id, priority, request_type = next(
                    scope for scope in scopes if scopes.count(scope) > 1
                )
            raise ValidationError(
                self.env._(
                    "There is already an SLA %(sla)s in %(company)s: change that one.",
                    sla=self._spm_scope_name(priority, request_type),
                    company=self.env["res.company"].sudo().browse(company_id).name,
                )
            )

    @api.model
    def _spm_scope_name(self, priority, request_type):
        priorities = dict(self._fields["priority"]._description_selection(self.env))
        types = dict(self._fields["request_type"]._description_selection(self.env))
        return " - ".join(
            (priorities.get(priority, ""), types.get(request_type) or self.env._("All Types"))
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
    def _spm_create_default_levels(self, companies=None):
        """The default service levels (``DEFAULT_LEVELS``) for each of ``companies`` (all
        by default) that has none yet, archived ones included: at install, for a new
        company and, by the migration, for the companies of an upgraded database."""
        SLA = self.sudo().with_context(active_test=False)
        Company = self.env["res.company"].sudo()
        configured = Company.union(*(company for [company] in SLA._read_group([], ["company_id"])))
        if companies is None:
            companies = Company.search([("id", "not in", configured.ids)])
        SLA.create(
            [
                {
                    "company_id": company.id,
                    "priority": priority,
                    "response_hours": response,
                    "resolution_hours": resolution,
                }
                for company in companies - configured
                for priority, response, resolution in DEFAULT_LEVELS
            ]
        )

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
