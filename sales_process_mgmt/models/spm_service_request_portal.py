"""Service requests on the customer's portal: a portal contact reads and answers the
requests of his company only (the record rule), and one writing to another's gets a
message saying so instead of a bare "not found". A token or signature that cannot match
(the request has no token yet, the partner id is no number) is dropped before the
portal's checks, which would fail on it."""

from odoo import api, models
from odoo.exceptions import AccessError


class SpmServiceRequest(models.Model):
    _inherit = "spm.service.request"

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        if kwargs.get("token") and not self.browse(thread_id).sudo().exists().access_token:
            kwargs.pop("token")
        if kwargs.get("pid") and not str(kwargs["pid"]).isdigit():
            kwargs.pop("pid")
        thread = super()._get_thread_with_access(thread_id, mode, **kwargs)
        if not thread and mode == self._mail_post_access and self.env.user._is_portal():
            raise AccessError(
                self.env._(
                    "This service request is not one of your company's: you can read and "
                    "answer only your own company's requests, listed under Service Requests "
                    "in your account."
                )
            )
        return thread
