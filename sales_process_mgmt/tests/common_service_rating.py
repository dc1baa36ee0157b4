"""The base of the after-sales follow-up tests: the rep's customer with an e-mail
address and a contact who reports requests, a team leader, and the steps of a request
(opened by the rep, worked on, resolved, closed) as its buttons take them."""

from odoo import fields

from .common_visit import SpmVisitCommon


class SpmServiceRatingCommon(SpmVisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "outlet@example.com"
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Zhou Li",
                "parent_id": cls.customer.id,
                "email": "zhou.li@example.com",
            }
        )
        cls.leader = cls._new_user(
            "spm_service_leader", "sales_team.group_sale_salesman_all_leads", cls.company
        )
        cls.Request = cls.env["spm.service.request"]

    @classmethod
    def _request(cls, user=None, **vals):
        """A request of the rep's customer, opened by the rep (or ``user``)."""
        user = user or cls.rep
        return cls.Request.with_user(user).create(
            {
                "subject": "Handset does not charge",
                "partner_id": cls.customer.id,
                "contact_id": cls.contact.id,
                "user_id": user.id,
                **vals,
            }
        )

    @staticmethod
    def _resolve(request):
        request.write({"resolution": "<p>Charging port replaced.</p>"})
        request.action_start()
        request.action_resolve()
        return request

    def _close(self, request):
        self._resolve(request)
        request.action_close()
        return request

    def _pending_rating(self, request):
        return (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "spm.service.request"),
                    ("res_id", "=", request.id),
                    ("consumed", "=", False),
                ]
            )
        )

    def _follow_up_visit(self, request, checked_in=True):
        """The request's follow-up visit, planned with its button, and checked in."""
        request.action_plan_follow_up()
        visit = request.visit_id
        if checked_in:
            visit._spm_write_proof({"state": "in_progress", "check_in_time": fields.Datetime.now()})
        return visit
