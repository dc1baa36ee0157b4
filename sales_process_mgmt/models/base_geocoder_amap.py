"""Amap (高德) geocoding for ``base_geolocalize``: the provider ``amap``.

``base_geolocalize`` calls ``_geo_query_address_<provider>`` to write the address and
``_call_<provider>`` to geocode it. Amap's web service
(``https://restapi.amap.com/v3/geocode/geo``) takes a Chinese address, largest unit first
(省 市 区 街道 门牌号), and answers ``status`` "1" with ``geocodes``, each with its
``location`` "longitude,latitude" in GCJ-02 and its match ``level``. Amap falls back to
a coarser level by itself when it cannot match the street: the level says how close the
result is to the door.

Core's ``geo_find`` turns every error but a ``UserError`` into "no result", so every
failure here (no key, a refused key, no answer, nothing found) is a ``UserError`` that
says what to do.
"""

import logging

import requests

from odoo import api, models
from odoo.exceptions import UserError

from .spm_geo import GCJ02

_logger = logging.getLogger(__name__)

AMAP_GEOCODE_URL = "https://restapi.amap.com/v3/geocode/geo"
AMAP_KEY_PARAM = "sales_process_mgmt.amap_api_key"
AMAP_TIMEOUT = 10
# Match levels at a customer's door: a house number, a unit, a named place (a shop, a
# building). A road (道路, 道路交叉路口) is left out: its point is often farther from the
# shop than a check-in radius.
AMAP_PRECISE_LEVELS = frozenset({"门牌号", "单元号", "兴趣点"})


class GeocodeResult(tuple):
    """(latitude, longitude), as core expects, with the datum and how precise it is."""

    def __new__(cls, latitude, longitude, datum, precise):
        result = super().__new__(cls, (latitude, longitude))
        result.datum = datum
        result.precise = precise
        return result


class BaseGeocoder(models.AbstractModel):
    _inherit = "base.geocoder"

    @api.model
    def _geo_query_address_amap(self, street=None, zip=None, city=None, state=None, country=None):
        """省 + 市 + street, without separators, each part once (a street often starts
        with its city). The country and the zip code do not help Amap."""
        parts = list(dict.fromkeys(part.strip() for part in (state, city, street) if part))
        return "".join(
            part for part in parts if not any(part != other and part in other for other in parts)
        )

    @api.model
    def _call_amap(self, addr, **kw):
        key = self.env["ir.config_parameter"].sudo().get_param(AMAP_KEY_PARAM)
        if not key:
            raise UserError(
                self.env._(
                    "Geocoding with Amap needs an Amap web service key: a manager enters it "
                    "in Settings, next to the geolocation provider."
                )
            )
        if not addr:
            raise UserError(
                self.env._(
                    "Amap needs an address to geocode: fill in the customer's province, "
                    "city and street (in Chinese)."
                )
            )
        try:
            response = requests.get(
                AMAP_GEOCODE_URL,
                params={"key": key, "address": addr, "output": "JSON"},
                timeout=AMAP_TIMEOUT,
            )
            response.raise_for_status()
        except requests.RequestException as error:
            _logger.info("Amap geocoding of %r failed: %s", addr, error)
            raise UserError(
                self.env._(
                    "Amap could not be reached to geocode %(address)s (%(error)s): try "
                    "again later.",
                    address=addr,
                    error=error,
                )
            ) from error
        try:
            answer = response.json()
        except ValueError:
            raise self._spm_amap_unreadable(addr) from None
        return self._spm_amap_result(addr, answer)

    @api.model
    def _spm_amap_result(self, addr, answer):
        """The first geocode of Amap's ``answer``, or a ``UserError`` saying why not."""
        if not isinstance(answer, dict):
            raise self._spm_amap_unreadable(addr)
        if str(answer.get("status")) != "1":
            raise UserError(self._spm_amap_error(answer.get("info"), answer.get("infocode")))
        geocodes = answer.get("geocodes")
        if not geocodes or not isinstance(geocodes, list):
            raise UserError(
                self.env._(
                    "Amap found no place for the address %(address)s: check the province, "
                    "city, district and street (in Chinese) and try again.",
                    address=addr,
                )
            )
        geocode = geocodes[0]
        location = geocode.get("location") if isinstance(geocode, dict) else None
        try:
            longitude, latitude = (float(value) for value in location.split(","))
        except (AttributeError, TypeError, ValueError):
            raise self._spm_amap_unreadable(addr) from None
        # Amap writes an empty value as an empty list
        level = geocode.get("level")
        level = level if isinstance(level, str) else ""
        return GeocodeResult(latitude, longitude, GCJ02, level in AMAP_PRECISE_LEVELS)

    @api.model
    def _spm_amap_unreadable(self, addr):
        return UserError(
            self.env._(
                "Amap's answer for the address %(address)s could not be read: try again "
                "later, or enter the coordinates by hand.",
                address=addr,
            )
        )

    @api.model
    def _spm_amap_error(self, info, infocode):
        known = {
            "INVALID_USER_KEY": self.env._(
                "Amap refused the key (INVALID_USER_KEY): check the Amap web service key "
                "in Settings."
            ),
            "USERKEY_PLAT_NOMATCH": self.env._(
                "Amap refused the key (USERKEY_PLAT_NOMATCH): it is not a key of type "
                "Web Service (Web服务); create one on lbs.amap.com and enter it in Settings."
            ),
            "DAILY_QUERY_OVER_LIMIT": self.env._(
                "The Amap key has used up its daily quota (DAILY_QUERY_OVER_LIMIT): try "
                "again tomorrow or raise the quota on lbs.amap.com."
            ),
            "INVALID_USER_IP": self.env._(
                "Amap refused this server's address (INVALID_USER_IP): add it to the key's "
                "IP whitelist on lbs.amap.com."
            ),
        }
        if info in known:
            return known[info]
        return self.env._(
            "Amap refused to geocode: %(info)s (code %(code)s). See Amap's error codes on "
            "lbs.amap.com.",
            info=info or self.env._("no reason given"),
            code=infocode or "—",
        )
