"""Service requests on the customer's portal: a portal contact reads and answers the
requests of his company only (the record rule), and one writing to another's gets a
message saying so instead of a bare "not found".

The portal's checks of a token or signature fail on values that cannot match (a
request without token yet, a token that is no text, a partner id that is no number):
those are dropped before, and a request id that is no number is no request."""

from odoo import api, models
from odoo.exceptions import AccessError


class SpmServiceRequest(models.Model):
    _inherit = "spm.service.request"

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        if isinstance(thread_id, int) and not isinstance(thread_id, bool):
            record = self.browse(thread_id).sudo().exists()
            if not (isinstance(kwargs.get("token"), str) and record.access_token):
                kwargs.pop("token", None)
            if not (isinstance(kwargs.get("hash"), str) and str(kwargs.get("pid")).isdigit()):
                kwargs.pop("hash", None)
                kwargs.pop("pid", None)
            thread = super()._get_thread_with_access(thread_id, mode, **kwargs)
        else:
            thread = self.browse()
        if not thread and mode == self._mail_post_access and self.env.user._is_portal():
            raise AccessError(
                self.env._(
                    "This service request is not one of your company's: you can read and "
                    "answer only your own company's requests, listed under Service Requests "
                    "in your account."
                )
            )
        return thread
