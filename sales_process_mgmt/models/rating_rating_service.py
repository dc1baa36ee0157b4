"""The customer's satisfaction with an after-sales request (满意度), from its ratings.

A service request's ``satisfaction`` (1-5) is the customer's latest answer, whichever way
it came, and every way goes through a ``rating.rating`` of the request:

- Odoo's rating request sent on closing: the customer clicks one of the three faces of
  the e-mail (``/rate/<token>/<score>``), which count as 1, 3 and 5;
- the portal's chatter, where the customer may leave a rating with a message;
- the rep, at the follow-up visit, records the customer's 1-5 answer (see
  ``spm_visit_service.py``).

The latest answer wins: the rating just given (or changed) sets the satisfaction; when a
rating is withdrawn or reset, the latest remaining one (by date) counts, else none. Only
the customer's answers count: a rating of one of the customer's own contacts, never one
an employee gives under his own name (a rating posted with a chatter message).

Ratings of service requests are written by the rating e-mail, the portal and the
follow-up visit only: those paths run as the superuser after their own checks, so a
plain create or write of a rating's value by a user (an RPC client) is refused, as the
satisfaction itself is (a protected field).
"""

from odoo import api, models
from odoo.exceptions import AccessError
from odoo.tools.float_utils import float_round

SERVICE_MODEL = "spm.service.request"
# The values of a rating that decide a request's satisfaction.
SATISFACTION_FIELDS = frozenset({"rating", "consumed", "res_id", "res_model_id", "partner_id"})


class RatingRating(models.Model):
    _inherit = "rating.rating"

    @api.model_create_multi
    def create(self, vals_list):
        if any(SATISFACTION_FIELDS & vals.keys() for vals in vals_list):
            model_id = self.env["ir.model"]._get_id(SERVICE_MODEL)
            if any(vals.get("res_model_id") == model_id for vals in vals_list):
                self._spm_check_service_rating_write()
        ratings = super().create(vals_list)
        ratings._spm_service_ratings()._spm_apply_satisfaction()
        return ratings

    def write(self, vals):
        if not SATISFACTION_FIELDS & vals.keys():
            return super().write(vals)
        before = self._spm_service_ratings()
        if before:
            self._spm_check_service_rating_write()
        requests = self._spm_requests(before)
        res = super().write(vals)
        after = self._spm_service_ratings()
        if after and not before:
            self._spm_check_service_rating_write()
        after._spm_apply_satisfaction(requests)
        return res

    def unlink(self):
        requests = self._spm_requests(self._spm_service_ratings())
        res = super().unlink()
        requests.exists()._spm_refresh_satisfaction()
        return res

    # -- the satisfaction ----------------------------------------------------------

    def _spm_service_ratings(self):
        return self.filtered(lambda rating: rating.res_model == SERVICE_MODEL)

    def _spm_requests(self, ratings):
        return self.env[SERVICE_MODEL].sudo().browse(set(ratings.mapped("res_id"))).exists()

    def _spm_check_service_rating_write(self):
        if self.env.su or self.env[SERVICE_MODEL]._spm_is_protected_write():
            return
        raise AccessError(
            self.env._(
                "The rating of a service request is the customer's answer: it comes from "
                "the rating e-mail or the portal, or the rep records it at the follow-up "
                "visit with the satisfaction buttons."
            )
        )

    def _spm_counts_for(self, request):
        """Whether this rating is an answer of ``request``'s customer (1 to 5)."""
        self.ensure_one()
        customer = request.partner_id.commercial_partner_id
        return (
            self.consumed
            and self.rating >= 1
            and bool(customer)
            and self.partner_id.commercial_partner_id == customer
        )

    def _spm_apply_satisfaction(self, requests=None):
        """The ratings just given or changed set their requests' satisfaction; the
        other ``requests`` (whose rating was reset or moved away) fall back on their
        latest remaining answer."""
        requests = self._spm_requests(self) | (requests or self.env[SERVICE_MODEL])
        latest = {}
        for rating in self.sorted("id"):
            request = requests.browse(rating.res_id)
            if request in requests and rating._spm_counts_for(request):
                latest[request] = rating
        for request, rating in latest.items():
            request._spm_set_satisfaction(satisfaction_score(rating.rating))
        (requests - requests.browse([request.id for request in latest]))._spm_refresh_satisfaction()


def satisfaction_score(value):
    """A rating (0 to 5, a float) as a satisfaction score 1-5 (0: none)."""
    return int(float_round(value or 0.0, precision_digits=0))
