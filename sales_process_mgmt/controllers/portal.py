"""The customer's portal of service requests (/my/service-requests): a contact of the
customer lists the requests of his company, opens one and answers it in its chatter
(with photos). What a portal user may read is the record rule's to say: a request of
another customer, opened by its id with a wrong or no token, sends him back to /my."""

from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..models.spm_service_request import OPEN_STATES


class SpmServicePortal(CustomerPortal):
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "spm_service_request_count" in counters:
            Request = request.env["spm.service.request"]
            values["spm_service_request_count"] = (
                Request.search_count(self._spm_service_request_domain())
                if Request.has_access("read")
                else 0
            )
        return values

    def _spm_service_request_domain(self):
        """The requests of the user's company (its commercial partner)."""
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _spm_service_request_sortings(self):
        env = request.env
        return {
            "date": {"label": env._("Newest"), "order": "create_date desc, id desc"},
            "name": {"label": env._("Reference"), "order": "name desc, id desc"},
            "state": {"label": env._("Status"), "order": "state, create_date desc, id desc"},
        }

    def _spm_service_request_filters(self):
        env = request.env
        return {
            "all": {"label": env._("All"), "domain": []},
            "open": {"label": env._("Open"), "domain": [("state", "in", OPEN_STATES)]},
            "done": {
                "label": env._("Resolved or Closed"),
                "domain": [("state", "in", ("resolved", "closed"))],
            },
        }

    @http.route(
        ["/my/service-requests", "/my/service-requests/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_service_requests(self, page=1, sortby=None, filterby=None, **kw):
        values = self._prepare_portal_layout_values()
        Request = request.env["spm.service.request"]
        sortings = self._spm_service_request_sortings()
        filters = self._spm_service_request_filters()
        sortby = sortby if sortby in sortings else "date"
        filterby = filterby if filterby in filters else "all"
        domain = self._spm_service_request_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/service-requests",
            url_args={"sortby": sortby, "filterby": filterby},
            total=Request.search_count(domain),
            page=page,
            step=self._items_per_page,
        )
        service_requests = Request.search(
            domain,
            order=sortings[sortby]["order"],
            limit=self._items_per_page,
            offset=pager["offset"],
        )
        request.session["my_service_requests_history"] = service_requests.ids[:100]
        values.update(
            {
                "service_requests": service_requests.sudo(),
                "page_name": "service_request",
                "pager": pager,
                "default_url": "/my/service-requests",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
            }
        )
        return request.render("sales_process_mgmt.portal_my_service_requests", values)

    @http.route(["/my/service-requests/<int:request_id>"], type="http", auth="public", website=True)
    def portal_my_service_request(self, request_id, access_token=None, **kw):
        try:
            request_sudo = self._document_check_access(
                "spm.service.request", request_id, access_token=access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = {
            "page_name": "service_request",
            "service_request": request_sudo,
            "user": request.env.user,
        }
        values = self._get_page_view_values(
            request_sudo, access_token, values, "my_service_requests_history", False, **kw
        )
        return request.render("sales_process_mgmt.portal_my_service_request", values)
