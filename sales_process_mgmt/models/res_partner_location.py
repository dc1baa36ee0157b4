"""Customer locations confirmed before they verify a check-in.

A check-in is verified against the customer's coordinates, so who put them there
matters: coordinates set by a sales manager or an administrator (by hand or by a
geocode they run, or by a scheduled action) are confirmed; set or moved by anyone else,
e.g. a rep standing somewhere, they are recorded (old → new, by whom, in the customer's
chatter) and stay unconfirmed until a sales manager confirms them. Every path that
changes the coordinates goes through ``write`` / ``create`` (``geo_localize`` included,
and the reset of the coordinates when the address changes). The datum of the coordinates
(``spm_geo_datum``, see ``spm_geo.py``) is part of the location: changing it moves the
customer on the ground, as moving the coordinates does.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .spm_geo import DATUM_NAMES, WGS84
from .spm_protected_mixin import MANAGER, NOBODY

LOCATION_FIELDS = ("partner_latitude", "partner_longitude", "spm_geo_datum")
# base_geolocalize clears the coordinates when one of these changes without them
ADDRESS_FIELDS = ("street", "zip", "city", "state_id", "country_id")


class ResPartner(models.Model):
    _inherit = "res.partner"

    spm_location_confirmed = fields.Boolean(
        string="Location Confirmed",
        readonly=True,
        copy=False,
        help="The coordinates were set or confirmed by a sales manager or an "
        "administrator: check-ins are verified against them.",
    )
    spm_location_set_by_id = fields.Many2one(
        "res.users",
        string="Location Set By",
        readonly=True,
        copy=False,
        help="Who last set or moved the coordinates.",
    )
    spm_location_set_on = fields.Datetime(string="Location Set On", readonly=True, copy=False)

    def _spm_protected_fields(self):
        return {
            **super()._spm_protected_fields(),
            "spm_location_confirmed": MANAGER,
            "spm_location_set_by_id": NOBODY,
            "spm_location_set_on": NOBODY,
        }

    def _spm_protected_hint(self):
        hint = self.env._(
            "A customer's location is confirmed by a sales manager with Confirm Location."
        )
        return " ".join(filter(None, (super()._spm_protected_hint(), hint)))

    @api.model
    def _spm_confirms_locations(self):
        """Whether coordinates the current user sets are confirmed at once."""
        user = self.env.user
        return user._is_admin() or user.has_group("sales_team.group_sale_manager")

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        located = partners.filtered(lambda p: p.partner_latitude or p.partner_longitude)
        if located:
            confirmed = {
                partner: vals.get("spm_location_confirmed")
                for partner, vals in zip(partners, vals_list, strict=True)
            }
            located._spm_record_location(dict.fromkeys(located.ids, (0.0, 0.0, False)), confirmed)
        return partners

    def write(self, vals):
        if not any(fname in vals for fname in (*LOCATION_FIELDS, *ADDRESS_FIELDS)):
            return super().write(vals)
        old = {partner.id: partner._spm_location() for partner in self}
        res = super().write(vals)
        moved = self.filtered(lambda p: p._spm_moved(old[p.id], p._spm_location()))
        if moved:
            confirmed = dict.fromkeys(moved, self._spm_location_confirmation(vals))
            moved._spm_record_location(old, confirmed)
        return res

    def _spm_location(self):
        """(latitude, longitude, datum) of the partner's coordinates."""
        return (self.partner_latitude, self.partner_longitude, self.spm_geo_datum)

    @api.model
    def _spm_moved(self, old, new):
        """Whether the location changed: its coordinates, or the datum of coordinates
        it has (no datum meant WGS-84)."""
        if old[:2] != new[:2]:
            return True
        return any(new[:2]) and (old[2] or WGS84) != (new[2] or WGS84)

    def _spm_location_confirmation(self, vals):
        """False to leave the coordinates written by ``vals`` unconfirmed whoever
        writes them; None to let who writes them decide."""
        return vals.get("spm_location_confirmed")

    def _spm_record_location(self, old, confirmed):
        """Record who set the coordinates of these partners, confirmed if that user
        confirms locations (unless ``confirmed`` asks a manager's write to leave a
        partner unconfirmed), and log old → new on each."""
        by_manager = self._spm_confirms_locations()
        user = self.env.user
        now = fields.Datetime.now()
        for value in (True, False):
            partners = self.filtered(
                lambda p, value=value: (by_manager and confirmed.get(p) is not False) is value
            )
            if partners:
                partners._spm_protected().write(
                    {
                        "spm_location_confirmed": value,
                        "spm_location_set_by_id": user.id,
                        "spm_location_set_on": now,
                    }
                )
        bodies = {}
        for partner in self:
            new = partner._spm_location()
            if not any(new[:2]):
                state = self.env._("not located")
            elif partner.spm_location_confirmed:
                state = self.env._("confirmed")
            else:
                state = self.env._("unconfirmed until a sales manager confirms it")
            bodies[partner.id] = self.env._(
                "Location set by %(user)s: %(old)s → %(new)s (%(state)s).",
                user=user.name,
                old=self._spm_format_location(old[partner.id], new),
                new=self._spm_format_location(new, old[partner.id]),
                state=state,
            )
        self._message_log_batch(bodies=bodies)

    @api.model
    def _spm_format_location(self, location, other=None):
        """``latitude, longitude`` of a (latitude, longitude, datum) location, with its
        datum when it or the ``other`` location it is shown with is not WGS-84."""
        if not any(location[:2]):
            return "—"
        text = f"{location[0]:.6f}, {location[1]:.6f}"
        datums = {place[2] or WGS84 for place in (location, other) if place and any(place[:2])}
        if datums - {WGS84}:
            text += f" ({DATUM_NAMES[location[2] or WGS84]})"
        return text

    def action_spm_confirm_location(self):
        """Confirm the customers' current coordinates (sales managers only)."""
        if not self._spm_confirms_locations():
            raise AccessError(
                self.env._(
                    "Only a sales manager may confirm a customer's location: check-ins "
                    "are verified against it."
                )
            )
        not_located = self.filtered(lambda p: not (p.partner_latitude or p.partner_longitude))
        if not_located:
            raise UserError(
                self.env._(
                    "%(partner)s has no location to confirm: set its coordinates or "
                    "compute them from its address first.",
                    partner=not_located[0].display_name,
                )
            )
        self.check_access("write")
        to_confirm = self.filtered(lambda p: not p.spm_location_confirmed)
        to_confirm._spm_protected().write({"spm_location_confirmed": True})
        bodies = {
            partner.id: self.env._(
                "Location %(location)s confirmed by %(user)s.",
                location=self._spm_format_location(partner._spm_location()),
                user=self.env.user.name,
            )
            for partner in to_confirm
        }
        to_confirm._message_log_batch(bodies=bodies)
        return True
