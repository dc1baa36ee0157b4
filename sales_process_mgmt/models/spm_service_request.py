"""After-sales service requests (售后工单): "doing service is doing sales".

A request of a customer (a complaint, a repair, a maintenance, a return, a question) is
followed by the customer's rep and team: new → in progress → resolved → closed, or
cancelled. Its SLA (``spm.service.sla``, by priority and type) sets two deadlines on the
company's working calendar: the first response (the first message to the customer, or
work started) and the resolution. Both are stored with the moments they were met;
a deadline passed (flagged by the scheduled action, or met late) leaves the request
breached for good: resolving it late does not erase the breach.

The deadlines count from the creation: a change of priority or type of an open request
moves them on the new SLA from that same moment; those of a resolved, closed or cancelled
request stay as they were.

The rep and the team default to the customer's. The order is one of the customer's
confirmed orders, the product one of that order (or, without an order, of the
customer's confirmed orders).

The state moves by the buttons or by a plain write (the kanban's drag and drop); every
path goes through ``_spm_check_transition``: a request is resolved or closed only with a
resolution (which then cannot be erased), a closed one is reopened only with a reason
(the Reopen button), which the chatter keeps, and a request is created New. The
deadlines, moments and flags are the addon's to write (protected fields).
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import html2plaintext, is_html_empty

from .spm_manager import is_sales_manager
from .spm_protected_mixin import MANAGER, NOBODY
from .spm_service_sla import (
    SERVICE_PRIORITIES,
    SERVICE_TYPES,
    add_working_hours,
    working_hours_between,
    working_hours_from,
)

SERVICE_STATES = [
    ("new", "New"),
    ("in_progress", "Processing"),
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
SLA_STATUSES = [
    ("on_time", "On Time"),
    ("due_soon", "Due Soon"),
    ("breached", "Breached"),
    ("met", "Met"),
]
# An open request is due soon within this many working hours of its next deadline.
DUE_SOON_HOURS = 4
# Set by action_reopen only, never by a client (a context from JSON holds no objects).
_REOPEN = object()


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
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        compute="_compute_hours_left",
        help="On time, due within four working hours, breached, or met (resolved in time).",
    )
    resolution_hours = fields.Float(
        string="Resolution Time (working hours)",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Working hours from the request to its resolution.",
    )
    # Satisfaction (1-5): Odoo's rating on closing, or the rep's record at the follow-up
    satisfaction = fields.Integer(
        readonly=True,
        copy=False,
        aggregator="avg",
        tracking=True,
        help="The customer's satisfaction, from 1 (very unhappy) to 5 (very happy).",
    )
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
        """The customer's rep; without one, whoever opens the request (an employee, not
        the mail gateway). A saved request keeps its rep: reassigning is a write of
        ``user_id``, checked by ``_spm_check_reassign``."""
        user = self.env.user  # whoever opens it, even as this compute runs as superuser
        opener = user if user._is_internal() and not user._is_superuser() else None
        for request in self:
            if request._origin.id and request.user_id:
                continue
            customer = request.partner_id.commercial_partner_id
            rep = customer.user_id or request.partner_id.user_id
            if rep:
                request.user_id = rep
            elif not request.user_id and opener:
                request.user_id = opener

    @api.depends("user_id")
    def _compute_team_id(self):
        """The team of the rep (the customer's rep, by default): a team the rep is in
        already stays."""
        for request in self:
            user = request.user_id
            if user and request.team_id not in user.sale_team_id | user.crm_team_ids:
                request.team_id = user.sale_team_id or request.team_id

    @api.depends("partner_id", "order_id")
    def _compute_allowed_product_ids(self):
        """The products of the order, else of the customer's confirmed orders: one read
        of the order lines for all the customers (whoever sold them)."""
        customers = self.filtered(lambda request: not request.order_id).partner_id
        customers = customers.commercial_partner_id
        products_of = {}
        if customers:
            groups = (
                self.env["sale.order.line"]
                .sudo()
                ._read_group(
                    [
                        ("order_id.partner_id.commercial_partner_id", "in", customers.ids),
                        ("order_id.state", "=", "sale"),
                        ("product_id", "!=", False),
                    ],
                    ["order_partner_id"],
                    ["product_id:array_agg"],
                )
            )
            for partner, product_ids in groups:
                customer = partner.commercial_partner_id.id
                products_of[customer] = products_of.get(customer, set()) | set(product_ids)
        Product = self.env["product.product"]
        for request in self:
            if request.order_id:
                request.allowed_product_ids = request.order_id.sudo().order_line.product_id.ids
            else:
                customer = request.partner_id.commercial_partner_id.id
                request.allowed_product_ids = Product.browse(sorted(products_of.get(customer, ())))

    @api.depends("company_id", "priority", "request_type")
    def _compute_sla_id(self):
        sla_of = self.env["spm.service.sla"]._spm_slas_by_scope(self.company_id)
        for request in self:
            if request._spm_sla_settled():
                request.sla_id = request._origin.sla_id
                continue
            request.sla_id = sla_of(request.priority, request.request_type, request.company_id)

    @api.depends("sla_id", "create_date")
    def _compute_deadlines(self):
        """Both deadlines count from the creation (the transaction's moment, which is the
        creation date of a request being created)."""
        for request in self:
            if request._spm_sla_settled():
                request.response_deadline = request._origin.response_deadline
                request.resolution_deadline = request._origin.resolution_deadline
                continue
            sla = request.sla_id
            start = request.create_date or self.env.cr.now()
            request.response_deadline = sla and add_working_hours(
                request.company_id, start, sla.response_hours
            )
            request.resolution_deadline = sla and add_working_hours(
                request.company_id, start, sla.resolution_hours
            )

    def _spm_sla_settled(self):
        """Whether this saved request is over (resolved, closed or cancelled): its SLA and
        deadlines are those it was handled under."""
        self.ensure_one()
        return bool(self._origin.id) and self._origin.state not in OPEN_STATES

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
        """One read of each company's calendar for all the requests shown."""
        now = fields.Datetime.now()
        self.hours_left = 0.0
        for request in self:
            if request.sla_breached:
                request.sla_status = "breached"
            elif not request.sla_id:
                request.sla_status = False
            else:
                request.sla_status = "on_time" if request.state in OPEN_STATES else "met"
        by_company = {}
        for request in self:
            deadline = request._spm_next_deadline()
            if deadline:
                by_company.setdefault(request.company_id, []).append((request, deadline))
        for company, pairs in by_company.items():
            hours = working_hours_from(company, now, [deadline for _request, deadline in pairs])
            for (request, deadline), left in zip(pairs, hours, strict=True):
                request.hours_left = left
                if request.sla_status == "on_time" and deadline < now:
                    request.sla_status = "breached"
                elif request.sla_status == "on_time" and left < DUE_SOON_HOURS:
                    request.sla_status = "due_soon"

    def _search_hours_left(self, operator, value):
        """Open requests whose next deadline is within (``<``) or beyond (``>``) ``value``
        working hours from now: the deadline compared with the moment ``value`` working
        hours away on each company's calendar."""
        if (
            operator not in ("<", "<=", ">", ">=")
            or isinstance(value, bool)
            or not isinstance(value, (int, float))
        ):
            raise UserError(
                self.env._(
                    "Search the working hours left with <, <=, > or >= and a number of hours."
                )
            )
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

    # -- constraints --------------------------------------------------------------

    @api.constrains("satisfaction")
    def _check_satisfaction(self):
        for request in self:
            if request.satisfaction and not 1 <= request.satisfaction <= 5:
                raise ValidationError(
                    self.env._(
                        "Request %(request)s: the satisfaction is from 1 (very unhappy) to 5 "
                        "(very happy), not %(value)s.",
                        request=request.name,
                        value=request.satisfaction,
                    )
                )

    @api.constrains("partner_id", "order_id", "contact_id")
    def _check_customer_documents(self):
        for request in self:
            customer = request.partner_id.commercial_partner_id
            order_customer = request.order_id.partner_id.commercial_partner_id
            if request.order_id and order_customer != customer:
                raise ValidationError(
                    self.env._(
                        "Request %(request)s: order %(order)s is %(owner)s's, not the "
                        "customer's: pick one of the customer's orders.",
                        request=request.name,
                        order=request.order_id.name,
                        owner=order_customer.display_name,
                    )
                )
            contact_customer = request.contact_id.commercial_partner_id
            if request.contact_id and contact_customer != customer:
                raise ValidationError(
                    self.env._(
                        "Request %(request)s: %(contact)s is not a contact of the customer: "
                        "pick one of the customer's contacts.",
                        request=request.name,
                        contact=request.contact_id.display_name,
                    )
                )

    # -- create / write -----------------------------------------------------------

    def _spm_protected_fields(self):
        return {
            "sla_id": NOBODY,
            "response_deadline": NOBODY,
            "resolution_deadline": NOBODY,
            "sla_breached": NOBODY,
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
        default_state = self.env.context.get("default_state", "new")
        for vals in vals_list:
            if vals.get("state", default_state) != "new":
                raise UserError(
                    self.env._("A service request starts as New: move it on with its buttons.")
                )
            if vals.get("name", "New") == "New":
                vals["name"] = self.env["ir.sequence"].next_by_code("spm.service.request") or "New"
        return super().create(vals_list)

    def write(self, vals):
        if "user_id" in vals:
            self._spm_check_reassign(vals["user_id"])
        if "resolution" in vals and not self._spm_has_text(vals["resolution"]):
            self._spm_check_resolution_kept(vals.get("state"))
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
        if is_sales_manager(self.env):
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

    def _spm_check_resolution_kept(self, target):
        """A resolved or closed request keeps its resolution (unless it goes back to
        work in the same write)."""
        if target in (*OPEN_STATES, "cancelled"):
            return
        done = self.filtered(lambda request: request.state in ("resolved", "closed"))
        if done:
            raise UserError(
                self.env._(
                    "Request %(request)s is %(state)s: its resolution cannot be erased. Send "
                    "it back to work first to change what was done.",
                    request=done[0].name,
                    state=done[0]._spm_state_label(),
                )
            )

    def _spm_state_label(self, state=None):
        return dict(self._fields["state"]._description_selection(self.env))[state or self.state]

    def _spm_check_transition(self, target, vals):
        self.ensure_one()
        reopening = (
            self.state == "closed"
            and target == "in_progress"
            and self.env.context.get("spm_service_reopen") is _REOPEN
        )
        if target not in TRANSITIONS[self.state] and not reopening:
            if self.state == "closed":
                raise UserError(
                    self.env._(
                        "Request %(request)s is closed: reopen it with the Reopen button and "
                        "say why.",
                        request=self.name,
                    )
                )
            else:
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
        """Ask the customers of these closed requests for their rating: Odoo's rating
        e-mail, queued, to the contact who reported the request, else the customer."""
        template = self.env.ref("sales_process_mgmt.mail_template_spm_service_rating")
        for request in self:
            if request._rating_get_partner().email:
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
        self.with_context(spm_service_reopen=_REOPEN).write({"state": "in_progress"})
        for request in self:
            request.message_post(
                body=self.env._("Reopened: %(reason)s", reason=reason.strip()),
                subtype_xmlid="mail.mt_note",
            )

    def _spm_write_history(self, vals):
        """Record the SLA history of requests opened before (an import from an older
        system, the demo data): deadlines, moments and flags as they were. Code run as
        the superuser only."""
        if not self.env.su:
            raise AccessError(self.env._("Only the system records the history of a request."))
        return self._spm_protected().write(vals)

    # -- messages -----------------------------------------------------------------

    def _message_post_after_hook(self, message, msg_vals):
        """The first message an employee sends the customer (a message, not a note; from
        the chatter or by e-mail) is the first response, whoever the employee is: a
        colleague who may only read the request answers the customer too."""
        res = super()._message_post_after_hook(message, msg_vals)
        waiting = self.filtered(
            lambda request: not request.first_response_date and request.state != "cancelled"
        )
        if waiting and self._spm_is_employee_reply(message):
            now = fields.Datetime.now()
            for request in waiting.sudo():
                request._spm_protected().write(request._spm_response_vals(now))
        return res

    @api.model
    def _spm_is_employee_reply(self, message):
        message = message.sudo()
        return (
            message.message_type in ("comment", "email")
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and any(user._is_internal() for user in message.author_id.user_ids)
        )

    # -- portal and rating --------------------------------------------------------

    def _compute_access_url(self):
        res = super()._compute_access_url()
        for request in self:
            request.access_url = f"/my/service-requests/{request.id}"
        return res

    def _rating_get_partner(self):
        return self.contact_id or self.partner_id or super()._rating_get_partner()

    def _rating_get_operator(self):
        return self.user_id.partner_id or super()._rating_get_operator()
