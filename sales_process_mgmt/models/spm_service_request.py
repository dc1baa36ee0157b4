"""After-sales service requests (售后工单): "doing service is doing sales".

A request of a customer (a complaint, a repair, a maintenance, a return, a question) is
followed by the customer's rep and team: new → in progress → resolved → closed, or
cancelled. Its SLA (``spm.service.sla``, by priority and type) sets two deadlines on the
company's working calendar: the first response (the first message to the customer, or
work started) and the resolution. Both are stored with the moments they were met;
a deadline passed (flagged by the scheduled action, or met late) leaves the request
breached for good: resolving it late does not erase the breach.

The state moves by the buttons or by a plain write (the kanban's drag and drop); every
path goes through ``_spm_check_transition``: a request is resolved only with a
resolution, and a closed one is reopened only with a reason (the Reopen button), which
the chatter keeps. The moments and flags are the addon's to write (protected fields).
"""

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression
from odoo.tools import html2plaintext, is_html_empty

from .spm_protected_mixin import MANAGER, NOBODY
from .spm_service_sla import (
    SERVICE_PRIORITIES,
    SERVICE_TYPES,
    add_working_hours,
    working_hours_between,
)

SERVICE_STATES = [
    ("new", "New"),
    ("in_progress", "In Progress"),
    ("resolved", "Resolved"),
    ("closed", "Closed"),
    ("cancelled", "Cancelled"),
]
OPEN_STATES = ("new", "in_progress")
# state -> the states a request may move to from it (reopening a closed request goes
# through action_reopen, which asks for a reason).
TRANSITIONS = {
    "new": {"in_progress", "resolved", "cancelled"},
    "in_progress": {"new", "resolved", "cancelled"},
    "resolved": {"in_progress", "closed", "cancelled"},
    "closed": set(),
    "cancelled": {"new"},
}


class SpmServiceRequest(models.Model):
    _name = "spm.service.request"
    _description = "After-sales Service Request"
    _inherit = [
        "portal.mixin",
        "mail.thread.cc",
        "mail.activity.mixin",
        "rating.mixin",
        "spm.protected.mixin",
        "spm.input.mixin",
    ]
    _order = "priority desc, resolution_deadline, id desc"
    _check_company_auto = True
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="New", index=True
    )
    subject = fields.Char(required=True, tracking=True)
    description = fields.Html()
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', False)]",
        help="Empty on a request by e-mail from an unknown sender: it waits for a manager.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="Who reported it, at the customer.",
    )
    order_id = fields.Many2one(
        "sale.order",
        string="Sales Order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id), ('state', '=', 'sale')]",
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        domain="[('id', 'in', allowed_product_ids)]",
    )
    allowed_product_ids = fields.Many2many(
        "product.product", compute="_compute_allowed_product_ids"
    )
    lot_serial = fields.Char(string="Lot/Serial Number")
    request_type = fields.Selection(
        SERVICE_TYPES, string="Type", required=True, default="repair", tracking=True
    )
    priority = fields.Selection(
        SERVICE_PRIORITIES, required=True, default="1", tracking=True, index=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Sales Rep",
        compute="_compute_user_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        tracking=True,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
    team_id = fields.Many2one(
        "crm.team",
        string="Sales Team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        precompute=True,
        index=True,
        check_company=True,
    )
    state = fields.Selection(
        SERVICE_STATES,
        string="Status",
        required=True,
        default="new",
        copy=False,
        index=True,
        tracking=True,
        group_expand=True,
    )
    resolution = fields.Html(copy=False)
    # SLA
    sla_id = fields.Many2one(
        "spm.service.sla",
        string="SLA",
        compute="_compute_sla_id",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    response_deadline = fields.Datetime(
        string="Respond By",
        compute="_compute_deadlines",
        store=True,
        precompute=True,
        copy=False,
    )
    resolution_deadline = fields.Datetime(
        string="Resolve By",
        compute="_compute_deadlines",
        store=True,
        precompute=True,
        copy=False,
    )
    first_response_date = fields.Datetime(string="First Response", readonly=True, copy=False)
    resolved_date = fields.Datetime(string="Resolved On", readonly=True, copy=False)
    closed_date = fields.Datetime(string="Closed On", readonly=True, copy=False)
    response_breached = fields.Boolean(
        string="Response Late", readonly=True, copy=False, index=True
    )
    resolution_breached = fields.Boolean(
        string="Resolution Late", readonly=True, copy=False, index=True
    )
    sla_breached = fields.Boolean(
        string="SLA Breached",
        compute="_compute_sla_breached",
        store=True,
        index=True,
        help="The first response or the resolution came, or is still due, after its deadline.",
    )
    escalated = fields.Boolean(readonly=True, copy=False)
    hours_left = fields.Float(
        string="Working Hours Left",
        compute="_compute_hours_left",
        search="_search_hours_left",
        help="Working hours until the next deadline (first response, else resolution) of an "
        "open request; negative once passed.",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (working hours)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from the request to its resolution.",
    )
    # Satisfaction (1-5): Odoo's rating on closing, or the rep's record at the follow-up
    satisfaction = fields.Integer(readonly=True, copy=False, aggregator="avg", tracking=True)
    # Visits
    source_visit_id = fields.Many2one(
        "spm.visit", string="From Visit", index="btree_not_null", copy=False, readonly=True
    )
    visit_id = fields.Many2one(
        "spm.visit",
        string="Follow-up Visit",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )

    # -- computes -------------------------------------------------------------------

    @api.depends("partner_id")
    def _compute_user_id(self):
        for request in self:
            if request.partner_id.user_id and not request.user_id:
                request.user_id = request.partner_id.user_id

    @api.depends("user_id")
    def _compute_team_id(self):
        for request in self:
            teams = request.user_id.sale_team_id | request.user_id.crm_team_ids
            if request.team_id not in teams:
                request.team_id = teams[:1] or request.team_id

    @api.depends("partner_id", "order_id")
    def _compute_allowed_product_ids(self):
        for request in self:
            orders = request.order_id or self.env["sale.order"].search(
                [
                    ("partner_id", "child_of", request.partner_id.commercial_partner_id.ids),
                    ("state", "=", "sale"),
                ]
            )
            request.allowed_product_ids = orders.order_line.product_id

    @api.depends("company_id", "priority", "request_type")
    def _compute_sla_id(self):
        sla_of = self.env["spm.service.sla"]._spm_slas_by_scope(self.company_id)
        for request in self:
            request.sla_id = sla_of(request.priority, request.request_type, request.company_id)

    @api.depends("sla_id", "create_date")
    def _compute_deadlines(self):
        now = fields.Datetime.now()
        for request in self:
            sla = request.sla_id
            start = request.create_date or now
            request.response_deadline = sla and add_working_hours(
                request.company_id, start, sla.response_hours
            )
            request.resolution_deadline = sla and add_working_hours(
                request.company_id, start, sla.resolution_hours
            )

    @api.depends("response_breached", "resolution_breached")
    def _compute_sla_breached(self):
        for request in self:
            request.sla_breached = request.response_breached or request.resolution_breached

    def _spm_next_deadline(self):
        self.ensure_one()
        if self.state not in OPEN_STATES:
            return False
        if not self.first_response_date and self.response_deadline:
            return self.response_deadline
        return self.resolution_deadline

    def _compute_hours_left(self):
        now = fields.Datetime.now()
        for request in self:
            deadline = request._spm_next_deadline()
            request.hours_left = (
                working_hours_between(request.company_id, now, deadline) if deadline else 0.0
            )

    def _search_hours_left(self, operator, value):
        """Open requests whose next deadline is within (``<``) or beyond (``>``) ``value``
        working hours from now: the deadline compared with the moment ``value`` working
        hours away on each company's calendar."""
        if operator not in ("<", "<=", ">", ">=") or isinstance(value, bool):
            raise UserError(self.env._("Search the working hours left with <, <=, > or >=."))
        now = fields.Datetime.now()
        domains = []
        for company in self.env.companies:
            moment = add_working_hours(company, now, value)
            domains.append(
                [
                    ("company_id", "=", company.id),
                    ("state", "in", OPEN_STATES),
                    "|",
                    "&",
                    ("first_response_date", "=", False),
                    ("response_deadline", operator, moment),
                    "&",
                    ("first_response_date", "!=", False),
                    ("resolution_deadline", operator, moment),
                ]
            )
        return expression.OR(domains) if domains else expression.FALSE_DOMAIN

    # -- create / write -----------------------------------------------------------

    def _spm_protected_fields(self):
        return {
            "first_response_date": NOBODY,
            "resolved_date": NOBODY,
            "closed_date": NOBODY,
            "response_breached": NOBODY,
            "resolution_breached": NOBODY,
            "escalated": NOBODY,
            "resolution_hours": NOBODY,
            "satisfaction": NOBODY,
            "source_visit_id": NOBODY,
            "visit_id": MANAGER,
        }

    def _spm_protected_hint(self):
        return self.env._(
            "The response, resolution and closing times, the SLA flags and the satisfaction "
            "are recorded by the request's buttons, messages, ratings and follow-up visits."
        )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state", "new") != "new":
                raise UserError(
                    self.env._("A service request starts as New: move it on with its buttons.")
                )
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("spm.service.request") or "New"
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals:
            self._spm_check_reassign(vals["user_id"])
        if "state" not in vals:
            return super().write(vals)
        target = vals["state"]
        moving = self.filtered(lambda request: request.state != target)
        for request in moving:
            request._spm_check_transition(target, vals)
        res = super().write(vals)
        moving._spm_on_state(target)
        return res

    def _spm_check_reassign(self, user_id):
        """A rep takes or hands on only his own (or unassigned) requests."""
        if self.env.su or self.env.user.has_group("sales_team.group_sale_manager"):
            return
        others = self.filtered(
            lambda request: (
                request.user_id
                and request.user_id != self.env.user
                and request.user_id.id != user_id
            )
        )
        if others:
            raise UserError(
                self.env._(
                    "Request %(request)s is %(rep)s's: only a sales manager can reassign a "
                    "colleague's request.",
                    request=others[0].name,
                    rep=others[0].user_id.name,
                )
            )

    def _spm_state_label(self, state=None):
        return dict(self._fields["state"]._description_selection(self.env))[state or self.state]

    def _spm_check_transition(self, target, vals):
        self.ensure_one()
        if target not in TRANSITIONS[self.state]:
            if self.state == "closed" and not self.env.context.get("spm_reopen_reason"):
                raise UserError(
                    self.env._(
                        "Request %(request)s is closed: reopen it with the Reopen button and "
                        "say why.",
                        request=self.name,
                    )
                )
            if self.state != "closed":
                raise UserError(
                    self.env._(
                        "Request %(request)s cannot go from %(from)s to %(to)s.",
                        request=self.name,
                        **{"from": self._spm_state_label(), "to": self._spm_state_label(target)},
                    )
                )
        if target == "in_progress" and not (vals.get("partner_id") or self.partner_id):
            raise UserError(
                self.env._(
                    "Request %(request)s has no customer yet: set the customer before starting "
                    "the work.",
                    request=self.name,
                )
            )
        if target in ("resolved", "closed") and not self._spm_has_text(
            vals.get("resolution", self.resolution)
        ):
            raise UserError(
                self.env._(
                    "Request %(request)s has no resolution: say what was done before "
                    "resolving or closing it.",
                    request=self.name,
                )
            )

    @staticmethod
    def _spm_has_text(html):
        return bool(html) and not is_html_empty(html) and bool(html2plaintext(html).strip())

    def _spm_on_state(self, target):
        """What moving to ``target`` records: the first response (work started), the
        resolution moment and time, a breach met late, the closing and its rating
        request."""
        now = fields.Datetime.now()
        for request in self:
            vals = {}
            if target in ("in_progress", "resolved", "closed") and not request.first_response_date:
                vals.update(request._spm_response_vals(now))
            if target in ("resolved", "closed") and not request.resolved_date:
                vals["resolved_date"] = now
                vals["resolution_hours"] = max(
                    working_hours_between(request.company_id, request.create_date, now), 0.0
                )
                if request.resolution_deadline and now > request.resolution_deadline:
                    vals["resolution_breached"] = True
            if target == "closed":
                vals["closed_date"] = now
            if target in OPEN_STATES:
                vals.update(resolved_date=False, closed_date=False)
            if vals:
                request._spm_protected().write(vals)
        if target == "closed":
            self._spm_send_rating_request()

    def _spm_response_vals(self, now):
        vals = {"first_response_date": now}
        if self.response_deadline and now > self.response_deadline:
            vals["response_breached"] = True
        return vals

    def _spm_send_rating_request(self):
        """Ask the customers of these closed requests for their rating (Odoo's rating
        e-mail)."""
        template = self.env.ref(
            "sales_process_mgmt.mail_template_spm_service_rating", raise_if_not_found=False
        )
        if not template:
            return
        for request in self.filtered(lambda request: request.partner_id.email):
            request.rating_send_request(template, force_send=False)

    # -- actions ------------------------------------------------------------------

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_resolve(self):
        self.write({"state": "resolved"})

    def action_close(self):
        self.write({"state": "closed"})

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reset(self):
        self.write({"state": "new"})

    def action_reopen(self, reason):
        """Reopen these closed requests (the Reopen wizard's button), ``reason`` logged."""
        if not isinstance(reason, str) or not reason.strip():
            raise UserError(self.env._("Say why the request is reopened."))
        for request in self:
            if request.state != "closed":
                raise UserError(
                    self.env._("Request %(request)s is not closed.", request=request.name)
                )
        self.with_context(spm_reopen_reason=reason).write({"state": "in_progress"})
        for request in self:
            request.message_post(
                body=self.env._("Reopened: %(reason)s", reason=reason.strip()),
                subtype_xmlid="mail.mt_note",
            )

    # -- messages -----------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_vals):
        """The first message an employee sends the customer is the first response."""
        res = super()._message_post_after_hook(message, msg_vals)
        author = message.author_id.user_ids[:1]
        if (
            message.message_type == "comment"
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and author
            and not author.share
        ):
            now = fields.Datetime.now()
            for request in self.filtered(lambda request: not request.first_response_date):
                request._spm_protected().write(request._spm_response_vals(now))
        return res

    # -- portal and rating --------------------------------------------------------

    def _compute_access_url(self):
        super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/service-requests/{request.id}"

    def _rating_get_partner(self):
        return self.contact_id or self.partner_id or super()._rating_get_partner()

    def _rating_get_operator(self):
        return self.user_id.partner_id or super()._rating_get_operator()
