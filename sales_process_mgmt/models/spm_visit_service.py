"""After-sales on the visit (售后服务 / 回访): requests opened at the customer, and the
follow-up of requests.

At a checked-in visit the rep opens a service request for the visit's customer (the
Service Request button): the request keeps the visit it was opened from
(``source_visit_id``). A visit planned as the follow-up of requests (``visit_id`` of the
request, see ``spm_service_request_rating.py``) lists them; once checked in, its rep (or
a sales manager) records there the customer's 1-5 answer to "how satisfied are you with
the service?", one tap per request.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .spm_service_request_rating import CHECKED_IN_STATES


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    service_request_ids = fields.One2many(
        "spm.service.request",
        "source_visit_id",
        string="Requests Opened",
        readonly=True,
        help="After-sales requests opened at this visit.",
    )
    follow_up_request_ids = fields.One2many(
        "spm.service.request",
        "visit_id",
        string="Requests Followed Up",
        readonly=True,
        help="After-sales requests this visit follows up: record the customer's "
        "satisfaction with each once checked in.",
    )
    service_request_count = fields.Integer(
        string="Service Requests", compute="_compute_service_request_count"
    )

    @api.depends("service_request_ids", "follow_up_request_ids")
    def _compute_service_request_count(self):
        visits = self._origin
        requests = self.env["spm.service.request"].search_fetch(
            ["|", ("source_visit_id", "in", visits.ids), ("visit_id", "in", visits.ids)],
            ["source_visit_id", "visit_id"],
        )
        counts = dict.fromkeys(visits.ids, 0)
        for request in requests:
            for visit_id in {request.source_visit_id.id, request.visit_id.id}:
                if visit_id in counts:
                    counts[visit_id] += 1
        for visit in self:
            visit.service_request_count = counts.get(visit._origin.id, 0)

    def _spm_service_requests_domain(self):
        return ["|", ("source_visit_id", "in", self.ids), ("visit_id", "in", self.ids)]

    def action_new_service_request(self):
        """A new service request for the visit's customer, opened from this visit."""
        action = self.env._("Service Request")
        self._spm_ensure_one(action)
        self._spm_check_request_source(action)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("New Service Request"),
            "res_model": "spm.service.request",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_contact_id": self.contact_id.id,
                "default_company_id": self.company_id.id,
                "default_user_id": self.user_id.id,
                "spm_from_visit_id": self.id,
            },
        }

    def _spm_check_request_source(self, action):
        self.check_access("read")
        if self.state not in CHECKED_IN_STATES:
            raise UserError(
                self.env._(
                    "Visit %(visit)s is %(state)s: a request is opened from a visit once "
                    "checked in at the customer. Otherwise open it from After-Sales ‣ "
                    "Service Requests.",
                    visit=self.display_name,
                    state=self._spm_state_label(),
                )
            )
        self._spm_check_visit_rep(action)

    def action_view_service_requests(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_service_request_action"
        )
        action.update(
            {
                "domain": self._spm_service_requests_domain(),
                "context": {"create": False},
                "view_mode": "list,kanban,form",
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        )
        return action

    def action_spm_record_satisfaction(self, request_id=None, score=None, feedback=None):
        """Record the customer's satisfaction (``score``, 1 to 5) with the service of
        one request this visit follows up (``request_id``); an optional ``feedback``
        text. See ``spm.service.request._spm_record_visit_satisfaction``."""
        self._spm_ensure_one(self.env._("Record Satisfaction"))
        if not _is_id(request_id):
            raise ValidationError(
                self.env._(
                    "Record Satisfaction on visit %(visit)s: say which request the "
                    "customer's answer is about (its id), not %(value)s.",
                    visit=self.display_name,
                    value=repr(request_id),
                )
            )
        request = self.env["spm.service.request"].browse(request_id).exists()
        if not request:
            raise ValidationError(
                self.env._(
                    "Record Satisfaction on visit %(visit)s: request %(value)s does not exist.",
                    visit=self.display_name,
                    value=request_id,
                )
            )
        return request._spm_record_visit_satisfaction(self, score, feedback)


class SpmServiceRequest(models.Model):
    """A request opened from a visit, and the satisfaction buttons of the request's
    card on its follow-up visit."""

    _inherit = "spm.service.request"

    @api.model_create_multi
    def create(self, vals_list):
        visit = self._spm_context_visit()
        if not visit:
            return super().create(vals_list)
        customer = visit.partner_id
        partners = self.env["res.partner"].browse(
            [vals["partner_id"] for vals in vals_list if _is_id(vals.get("partner_id"))]
        )
        for vals in vals_list:
            if not vals.get("partner_id"):
                vals["partner_id"] = customer.id
            partner = partners.browse(vals["partner_id"]) if _is_id(vals["partner_id"]) else None
            if partner is None or partner.commercial_partner_id != customer:
                raise UserError(
                    self.env._(
                        "A request opened from visit %(visit)s is for its customer "
                        "%(customer)s: open a request for another customer from "
                        "After-Sales ‣ Service Requests.",
                        visit=visit.display_name,
                        customer=customer.display_name,
                    )
                )
        requests = super().create(vals_list)
        requests._spm_protected().write({"source_visit_id": visit.id})
        return requests

    def _spm_context_visit(self):
        """The visit a request is being opened from (``spm_from_visit_id`` in the
        context of the visit's Service Request button), checked: readable, checked
        in, and the user is its rep or a sales manager."""
        visit_id = self.env.context.get("spm_from_visit_id")
        if visit_id in (None, False):
            return self.env["spm.visit"]
        visit = self.env["spm.visit"]
        if _is_id(visit_id):
            visit = visit.browse(visit_id).exists()
        if not visit:
            raise ValidationError(
                self.env._(
                    "The visit this request is opened from (%(value)s) does not exist: "
                    "open the request again from the visit.",
                    value=repr(visit_id),
                )
            )
        visit._spm_check_request_source(self.env._("Service Request"))
        return visit

    def action_spm_satisfaction_on_visit(self):
        """The 1-5 buttons of the request's card on its follow-up visit: the visit and
        the score come in the button's context (``spm_visit_id``,
        ``spm_satisfaction``)."""
        context = self.env.context
        visit_id = context.get("spm_visit_id")
        visit = self.env["spm.visit"]
        if _is_id(visit_id):
            visit = visit.browse(visit_id).exists()
        if not visit or len(self) != 1:
            raise ValidationError(
                self.env._(
                    "The customer's satisfaction is recorded at the follow-up visit: open "
                    "the visit and tap the score on the request's card there."
                )
            )
        return visit.action_spm_record_satisfaction(
            request_id=self.id, score=context.get("spm_satisfaction")
        )
