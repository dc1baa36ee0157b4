"""The datum of a customer's coordinates, its WGS-84 position and the way there.

``spm_geo_datum`` says in which datum ``partner_latitude`` / ``partner_longitude`` are
(see ``spm_geo.py``). Coordinates written without one take the company's default
datum; outside mainland China they are WGS-84 whatever the default, since the Chinese
datums do not exist there. Asking for GCJ-02 or BD-09 with coordinates outside mainland
China is refused: such coordinates came from another source than the one named.

A geocode records the datum its provider publishes (Amap: GCJ-02) and, with Amap, how
precise the result is: a city- or district-level result stays unconfirmed even when a
sales manager runs the geocode (``res_partner_location.py`` decides the rest).
"""

import math
from collections import defaultdict
from urllib.parse import quote, urlencode

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .spm_geo import (
    BD09,
    CHINA_DATUMS,
    DATUM_NAMES,
    GCJ02,
    GEO_DATUMS,
    WGS84,
    convert,
    in_china,
    in_range,
    to_wgs84,
)

COORDINATE_FIELDS = ("partner_latitude", "partner_longitude")
# Who publishes which datum: Amap everywhere it answers; Google in mainland China (its
# road map there is GCJ-02); OpenStreetMap is WGS-84 everywhere.
GEOCODER_DATUMS = {"amap": GCJ02, "googlemap": GCJ02, "openstreetmap": WGS84}
BAIDU_COORD_TYPES = {WGS84: "wgs84", GCJ02: "gcj02", BD09: "bd09ll"}
# Baidu's URI API asks for a source, "webapp.<company>.<app>"
BAIDU_SOURCE = "webapp.odoo.sales_process_mgmt"
AMAP_SOURCE = "sales_process_mgmt"


class GeocodeRun:
    """The result of the geocode under way, from ``_geo_localize`` to the ``write``
    that stores it. A Python object in the context: no RPC client can send one, so no
    client can pass its coordinates off as a geocode."""

    result = None


class ResPartner(models.Model):
    _inherit = "res.partner"

    spm_geo_datum = fields.Selection(
        GEO_DATUMS,
        string="Coordinate Datum",
        help="The datum of the coordinates: WGS-84 from a GPS or OpenStreetMap, GCJ-02 "
        "when copied from Amap or Tencent maps, BD-09 from Baidu. Check-ins are "
        "measured after converting them to the phone's WGS-84.",
    )
    spm_navigate_url = fields.Char(
        string="Navigate",
        compute="_compute_spm_navigate_url",
        help="Opens the customer in the map app chosen in your preferences.",
    )

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if "spm_geo_datum" in fields_list and not defaults.get("spm_geo_datum"):
            defaults["spm_geo_datum"] = self.env.company.spm_geo_datum_default
        return defaults

    @api.depends("partner_latitude", "partner_longitude", "spm_geo_datum", "name")
    @api.depends_context("uid")
    def _compute_spm_navigate_url(self):
        app = self.env.user.spm_map_app
        for partner in self:
            partner.spm_navigate_url = partner._spm_navigate_url(app)

    @api.constrains(*COORDINATE_FIELDS, "spm_geo_datum")
    def _check_spm_geo_position(self):
        for partner in self:
            latitude, longitude = partner.partner_latitude, partner.partner_longitude
            if not in_range(latitude, longitude):
                raise ValidationError(
                    self.env._(
                        "The coordinates %(latitude)s, %(longitude)s of %(partner)s are out "
                        "of range: the latitude must be between -90 and 90 and the longitude "
                        "between -180 and 180 (Amap writes the longitude first).",
                        latitude=latitude,
                        longitude=longitude,
                        partner=partner.display_name,
                    )
                )
            if (
                partner.spm_geo_datum in CHINA_DATUMS
                and (latitude or longitude)
                and not in_china(latitude, longitude)
            ):
                raise ValidationError(
                    self.env._(
                        "The coordinates %(latitude)s, %(longitude)s of %(partner)s are "
                        "outside mainland China, where %(datum)s is not used: map services "
                        "give WGS-84 coordinates there. Choose WGS-84.",
                        latitude=latitude,
                        longitude=longitude,
                        partner=partner.display_name,
                        datum=DATUM_NAMES[partner.spm_geo_datum],
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._spm_check_coordinate_types(vals)
        implicit = [
            vals
            for vals in vals_list
            if "spm_geo_datum" not in vals
            and "default_spm_geo_datum" not in self.env.context
            and any(vals.get(fname) for fname in COORDINATE_FIELDS)
        ]
        # The companies named in the batch, looked up once.
        companies = (
            self.env["res.company"]
            .browse(
                {vals["company_id"] for vals in implicit if isinstance(vals.get("company_id"), int)}
            )
            .exists()
        )
        for vals in implicit:
            company = companies.filtered(lambda c, vals=vals: c.id == vals.get("company_id"))
            vals["spm_geo_datum"] = self._spm_implicit_datum(
                float(vals.get("partner_latitude") or 0.0),
                float(vals.get("partner_longitude") or 0.0),
                (company or self.env.company).spm_geo_datum_default,
            )
        return super().create(vals_list)

    def write(self, vals):
        self._spm_check_coordinate_types(vals)
        run = self.env.context.get("spm_geocode")
        if isinstance(run, GeocodeRun) and run.result is not None and "date_localization" in vals:
            vals = {**vals, "spm_geo_datum": self._spm_geocode_datum(run.result)}
        if "spm_geo_datum" in vals or not any(fname in vals for fname in COORDINATE_FIELDS):
            return super().write(vals)
        # coordinates written without their datum: the partner's, else the default
        groups = defaultdict(self.browse)
        for partner in self:
            datum = self._spm_implicit_datum(
                float(vals.get("partner_latitude", partner.partner_latitude) or 0.0),
                float(vals.get("partner_longitude", partner.partner_longitude) or 0.0),
                partner.spm_geo_datum
                or (partner.company_id or self.env.company).spm_geo_datum_default,
            )
            groups[datum] |= partner
        for datum, partners in groups.items():
            super(ResPartner, partners).write({**vals, "spm_geo_datum": datum})
        return True

    @api.model
    def _spm_implicit_datum(self, latitude, longitude, datum):
        """The datum of coordinates written without one: ``datum``, except outside
        mainland China, where every datum is WGS-84."""
        if datum in CHINA_DATUMS and (latitude or longitude):
            if in_range(latitude, longitude) and not in_china(latitude, longitude):
                return WGS84
        return datum

    @api.model
    def _spm_check_coordinate_types(self, vals):
        """Coordinates are numbers of degrees on Earth: a text, a boolean, NaN or a
        latitude beyond 90° is refused naming the field, before anything is written."""
        for fname, limit in zip(COORDINATE_FIELDS, (90, 180), strict=True):
            value = vals.get(fname)
            if value is None or value is False:
                continue
            try:
                if isinstance(value, bool) or not isinstance(value, (int, float, str)):
                    raise TypeError(value)
                number = float(value)
            except (TypeError, ValueError):
                number = math.nan
            if not math.isfinite(number):
                raise ValidationError(
                    self.env._(
                        "%(field)s must be a number of degrees, not %(value)r.",
                        field=self._fields[fname]._description_string(self.env),
                        value=value,
                    )
                )
            if not -limit <= number <= limit:
                raise ValidationError(
                    self.env._(
                        "%(field)s %(value)s is out of range: it must be between -%(limit)s "
                        "and %(limit)s (Amap writes the longitude first).",
                        field=self._fields[fname]._description_string(self.env),
                        value=value,
                        limit=limit,
                    )
                )

    # ------------------------------------------------------------------
    # Where the customer is
    # ------------------------------------------------------------------
    def _spm_wgs84_position(self):
        """The customer's (latitude, longitude) in WGS-84, the datum of a phone's GPS,
        or None when it is not located."""
        self.ensure_one()
        latitude, longitude = self.partner_latitude, self.partner_longitude
        if not (latitude or longitude):
            return None
        return to_wgs84(latitude, longitude, self.spm_geo_datum or WGS84)

    def _spm_navigate_url(self, app):
        """The link that opens the customer in ``app`` (``res.users.spm_map_app``), with
        coordinates in a datum that app takes, named in the link where it allows."""
        self.ensure_one()
        latitude, longitude = self.partner_latitude, self.partner_longitude
        if not (latitude or longitude):
            return False
        datum = self.spm_geo_datum or WGS84
        name = self.name or self.display_name or ""
        if app == "baidu":
            # Baidu takes all three datums (coord_type)
            params = {
                "location": f"{latitude:.6f},{longitude:.6f}",
                "title": name,
                "content": self._spm_navigate_address() or name,
                "coord_type": BAIDU_COORD_TYPES[datum],
                "output": "html",
                "src": BAIDU_SOURCE,
            }
            return "https://api.map.baidu.com/marker?" + _query(params)
        if app in ("apple", "google"):
            # No datum parameter; in mainland China both draw their maps in GCJ-02,
            # elsewhere in WGS-84 (the conversion is then none)
            latitude, longitude = convert(latitude, longitude, datum, GCJ02)
            if app == "apple":
                params = {"ll": f"{latitude:.6f},{longitude:.6f}", "q": name}
                return "https://maps.apple.com/?" + _query(params)
            params = {"api": "1", "query": f"{latitude:.6f},{longitude:.6f}"}
            return "https://www.google.com/maps/search/?" + _query(params)
        # Amap takes GCJ-02 ("gaode") and WGS-84, not BD-09; callnative opens the app
        if datum == BD09:
            latitude, longitude = convert(latitude, longitude, BD09, GCJ02)
            datum = GCJ02
        params = {
            "position": f"{longitude:.6f},{latitude:.6f}",
            "name": name,
            "coordinate": "wgs84" if datum == WGS84 else "gaode",
            "callnative": "1",
            "src": AMAP_SOURCE,
        }
        return "https://uri.amap.com/marker?" + _query(params)

    def _spm_navigate_address(self):
        parts = (self.state_id.name, self.city, self.street, self.street2)
        return "".join(dict.fromkeys(part for part in parts if part))

    def action_spm_navigate(self):
        """Open the customer in the rep's map app (a new tab, or the app itself)."""
        self.ensure_one()
        url = self.spm_navigate_url
        if not url:
            raise UserError(
                self.env._(
                    "%(partner)s has no location to navigate to: set its coordinates or "
                    "compute them from its address first.",
                    partner=self.display_name,
                )
            )
        return {"type": "ir.actions.act_url", "url": url, "target": "new"}

    # ------------------------------------------------------------------
    # Geocoding
    # ------------------------------------------------------------------
    def geo_localize(self):
        return super(ResPartner, self.with_context(spm_geocode=GeocodeRun())).geo_localize()

    @api.model
    def _geo_localize(self, street="", zip="", city="", state="", country=""):
        result = super()._geo_localize(street, zip, city, state, country)
        run = self.env.context.get("spm_geocode")
        if isinstance(run, GeocodeRun):
            run.result = result
        return result

    @api.model
    def _spm_geocode_datum(self, result):
        datum = getattr(result, "datum", None) or GEOCODER_DATUMS.get(
            self.env["base.geocoder"]._get_provider().tech_name, WGS84
        )
        return self._spm_implicit_datum(result[0], result[1], datum)

    def _spm_location_confirmation(self, vals):
        run = self.env.context.get("spm_geocode")
        if (
            isinstance(run, GeocodeRun)
            and run.result is not None
            and "date_localization" in vals
            and getattr(run.result, "precise", True) is False
        ):
            # a city- or district-level result: near the customer, not at its door
            return False
        return super()._spm_location_confirmation(vals)


def _query(params):
    return urlencode(params, quote_via=quote, safe=",")
