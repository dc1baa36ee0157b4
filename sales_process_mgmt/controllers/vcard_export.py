from odoo import http
from odoo.http import request

from odoo.addons.web.controllers.vcard import Partner


class SpmPartnerVcard(Partner):
    """The vCards of several customers' contacts at once are an export of the customer
    book (``res_partner_export.py``)."""

    @http.route()
    def download_vcard(self, partner_ids=None, partner=None, **kwargs):
        if partner_ids:
            ids = [int(pid) for pid in partner_ids.split(",") if pid.isdigit()]
            request.env["res.partner"].browse(ids)._spm_guard_copy("vCard")
        return super().download_vcard(partner_ids=partner_ids, partner=partner, **kwargs)
