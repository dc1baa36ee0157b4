"""After-sales follow-up (回访) and the customer's satisfaction (满意度) with a request.

Closing a request sends Odoo's rating request to the customer (the contact who reported
it, else the customer): an e-mail with three faces, which count as 1, 3 and 5. The rep
also asks the customer at the follow-up visit and records the 1-5 answer there. Both
answers are ratings of the request (``rating.rating``), and the request's
``satisfaction`` is the latest of them (see ``rating_rating_service.py``): averaged per
rep, team and month by the service analysis (``spm.service.report``).

The follow-up visit (purpose After-sales Service) is planned from the request, for its
customer and rep, the next day at 10:00 on the rep's clock; the request keeps it as its
``visit_id`` and the visit lists the requests it follows up. A request without a
customer, a cancelled one, or one whose follow-up visit is still open, gets no new one.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .rating_rating_service import SERVICE_MODEL, satisfaction_score
from .spm_time import spm_local_to_utc, spm_rep_today, spm_rep_tz
from .spm_visit import SATISFACTION_LEVELS

# Local hour of the follow-up visit planned for the next day; the rep moves it as needed.
FOLLOW_UP_HOUR = 10
OPEN_VISIT_STATES = ("planned", "in_progress")
CHECKED_IN_STATES = ("in_progress", "done")


class SpmServiceRequest(models.Model):
    _inherit = "spm.service.request"

    satisfaction_level = fields.Selection(
        SATISFACTION_LEVELS,
        string="Customer Satisfaction",
        compute="_compute_satisfaction_level",
        help="The customer's latest answer: the rating e-mail sent on closing (its three "
        "faces count as 1, 3 and 5) or the answer the rep recorded at the follow-up visit.",
    )
    visit_state = fields.Selection(related="visit_id.state", string="Follow-up Visit Status")

    @api.depends("satisfaction")
    def _compute_satisfaction_level(self):
        levels = {int(value) for value, __ in SATISFACTION_LEVELS}
        for request in self:
            score = request.satisfaction
            request.satisfaction_level = str(score) if score in levels else False

    # -- the satisfaction -------------------------------------------------------------

    def _spm_set_satisfaction(self, score):
        to_write = self.filtered(lambda request: request.satisfaction != score)
        if to_write:
            to_write.sudo()._spm_protected().write({"satisfaction": score})

    def _spm_refresh_satisfaction(self):
        """The satisfaction of the latest answer left (by date), else none."""
        if not self:
            return
        ratings = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", SERVICE_MODEL),
                    ("res_id", "in", self.ids),
                    ("consumed", "=", True),
                    ("rating", ">=", 1),
                ],
                order="write_date desc, id desc",
            )
        )
        for request in self:
            answer = next(
                (
                    rating
                    for rating in ratings
                    if rating.res_id == request.id and rating._spm_counts_for(request)
                ),
                None,
            )
            request._spm_set_satisfaction(satisfaction_score(answer.rating) if answer else 0)

    def _spm_record_visit_satisfaction(self, visit, score, feedback=None):
        """Record the customer's answer (``score``, 1 to 5) given to the rep at
        ``visit``, this request's follow-up visit, checked in; by the visit's rep or
        a sales manager. It becomes a rating of the request, which sets its
        satisfaction, and the chatter says who recorded it where."""
        self.ensure_one()
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            raise ValidationError(
                self.env._(
                    "The customer's satisfaction is a whole number from 1 (very "
                    "dissatisfied) to 5 (very satisfied), not %(value)s.",
                    value=repr(score),
                )
            )
        if feedback is not None and not isinstance(feedback, str):
            raise ValidationError(
                self.env._("The customer's comment is a text, not %(value)s.", value=repr(feedback))
            )
        self.check_access("read")
        visit.check_access("read")
        if self.state == "cancelled":
            raise UserError(
                self.env._(
                    "Request %(request)s is cancelled: there is no service to rate.",
                    request=self.name,
                )
            )
        if self.visit_id != visit:
            if not self.visit_id:
                message = self.env._(
                    "Request %(request)s has no follow-up visit: plan one from the request "
                    "(Plan Follow-up Visit) and record the customer's answer there.",
                    request=self.name,
                )
            else:
                message = self.env._(
                    "Visit %(visit)s is not the follow-up visit of request %(request)s: "
                    "record the customer's answer on %(follow_up)s.",
                    visit=visit.display_name,
                    request=self.name,
                    follow_up=self.visit_id.display_name,
                )
            raise UserError(message)
        if visit.partner_id != self.partner_id.commercial_partner_id:
            raise UserError(
                self.env._(
                    "Visit %(visit)s is at %(visit_customer)s, not at %(customer)s, the "
                    "customer of request %(request)s: plan a follow-up visit to %(customer)s.",
                    visit=visit.display_name,
                    visit_customer=visit.partner_id.display_name,
                    customer=self.partner_id.display_name,
                    request=self.name,
                )
            )
        if visit.state not in CHECKED_IN_STATES:
            raise UserError(
                self.env._(
                    "Visit %(visit)s is %(state)s: check in at the customer before "
                    "recording the customer's satisfaction.",
                    visit=visit.display_name,
                    state=visit._spm_state_label(),
                )
            )
        if visit.user_id != self.env.user and not visit._spm_is_manager():
            raise UserError(
                self.env._(
                    "Only %(rep)s, the rep of visit %(visit)s, or a sales manager records "
                    "the customer's answer on it.",
                    rep=visit.user_id.name,
                    visit=visit.display_name,
                )
            )
        partner = self._rating_get_partner()
        levels = dict(self._fields["satisfaction_level"]._description_selection(self.env))
        body = self.env._(
            "Satisfaction recorded by %(rep)s at follow-up visit %(visit)s: %(score)s/5 "
            "(%(level)s).",
            rep=self.env.user.name,
            visit=visit.display_name,
            score=score,
            level=levels[str(score)],
        )
        self.env["rating.rating"].sudo().create(
            {
                "res_model_id": self.env["ir.model"]._get_id(SERVICE_MODEL),
                "res_id": self.id,
                "partner_id": partner.id,
                "rated_partner_id": self._rating_get_operator().id,
                "rating": score,
                "feedback": (feedback or "").strip() or body,
                "consumed": True,
            }
        )
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        return True

    # -- the follow-up visit ----------------------------------------------------------

    def _spm_follow_up_start(self, rep):
        """Naive UTC moment of a follow-up visit planned now for ``rep``: the next day
        at ``FOLLOW_UP_HOUR`` on the rep's clock."""
        self.ensure_one()
        tz = spm_rep_tz(rep, self.company_id)
        day = spm_rep_today(rep, self.company_id)
        return spm_local_to_utc(tz, fields.Date.add(day, days=1), FOLLOW_UP_HOUR)

    def action_plan_follow_up(self):
        """Plan the follow-up visit (purpose After-sales Service) of this request for
        its customer and rep, link it as the request's follow-up visit and open it."""
        if len(self) != 1:
            raise UserError(
                self.env._(
                    "Plan Follow-up Visit works on one request at a time, not on %(count)s.",
                    count=len(self),
                )
            )
        self.check_access("write")
        if self.state == "cancelled":
            raise UserError(
                self.env._(
                    "Request %(request)s is cancelled: reset it to New before planning a "
                    "follow-up visit.",
                    request=self.name,
                )
            )
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "Request %(request)s has no customer yet: set the customer before "
                    "planning a follow-up visit.",
                    request=self.name,
                )
            )
        if self.visit_id.state in OPEN_VISIT_STATES:
            raise UserError(
                self.env._(
                    "Request %(request)s already has follow-up visit %(visit)s (%(state)s): "
                    "open it from the request, or cancel it to plan another one.",
                    request=self.name,
                    visit=self.visit_id.display_name,
                    state=self.visit_id._spm_state_label(),
                )
            )
        rep = self.user_id or self.env.user
        contact = self.contact_id if self.contact_id.parent_id == self.partner_id else False
        visit = self.env["spm.visit"].create(
            {
                "partner_id": self.partner_id.id,
                "contact_id": contact and contact.id,
                "user_id": rep.id,
                "company_id": self.company_id.id,
                "purpose": "after_sales",
                "planned_start": self._spm_follow_up_start(rep),
                "objective": self.env._(
                    "Follow up on service request %(request)s: %(subject)s. Ask the "
                    "customer how satisfied they are (1 to 5).",
                    request=self.name,
                    subject=self.subject,
                ),
            }
        )
        self._spm_protected().write({"visit_id": visit.id})
        self.message_post(
            body=self.env._(
                "Follow-up visit %(visit)s planned for %(rep)s.",
                visit=visit.display_name,
                rep=rep.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return self.action_open_follow_up_visit()

    def action_open_follow_up_visit(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Follow-up Visit"),
            "res_model": "spm.visit",
            "res_id": self.visit_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
