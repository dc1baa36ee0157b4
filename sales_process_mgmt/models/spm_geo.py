"""Coordinate datums: one helper for the whole addon.

A phone's GPS gives WGS-84 positions. In mainland China, map services publish shifted
coordinates by law: Amap (高德) and Tencent use GCJ-02, Baidu (百度) uses BD-09, a
shift of several hundred metres in most cities — more than a check-in radius. A
customer's coordinates therefore record their datum (``res.partner.spm_geo_datum``),
and every distance is measured in WGS-84 after converting them with ``prcoords``, a
maintained public-domain library; no formula is written here.

Which conversions: WGS-84 → GCJ-02 and GCJ-02 → BD-09 are the published forward
transforms (exact). Their inverses have no closed form: ``prcoords.gcj_wgs`` and
``bd_wgs`` are one-step approximations (metre-level), the ``*_bored`` variants iterate
the forward transform to a fixed point (millimetre-level). Verification uses the
precise ones.

Outside mainland China (``prcoords.sanity_in_china_p``, a bounding box) the services
publish WGS-84 and no conversion applies.
"""

import prcoords

WGS84, GCJ02, BD09 = "wgs84", "gcj02", "bd09"
GEO_DATUMS = [
    (WGS84, "WGS-84"),
    (GCJ02, "GCJ-02 (Amap, Tencent)"),
    (BD09, "BD-09 (Baidu)"),
]
# Short names, in messages
DATUM_NAMES = {WGS84: "WGS-84", GCJ02: "GCJ-02", BD09: "BD-09"}
# Datums defined only inside mainland China
CHINA_DATUMS = (GCJ02, BD09)

_TO_WGS84 = {GCJ02: prcoords.gcj_wgs_bored, BD09: prcoords.bd_wgs_bored}
_FROM_WGS84 = {GCJ02: prcoords.wgs_gcj, BD09: prcoords.wgs_bd}


def in_range(latitude, longitude):
    """Whether the pair is a position on Earth (NaN is not)."""
    return -90 <= latitude <= 90 and -180 <= longitude <= 180


def in_china(latitude, longitude):
    """Whether a position lies where GCJ-02 and BD-09 apply (mainland China's box)."""
    return prcoords.sanity_in_china_p(prcoords.Coords(latitude, longitude))


def to_wgs84(latitude, longitude, datum):
    """The WGS-84 ``(latitude, longitude)`` of a position given in ``datum``."""
    convert = _TO_WGS84.get(datum)
    if convert is None or not in_china(latitude, longitude):
        return latitude, longitude
    wgs = convert((latitude, longitude), False)
    return wgs.lat, wgs.lon


def from_wgs84(latitude, longitude, datum):
    """A WGS-84 position expressed in ``datum``."""
    convert = _FROM_WGS84.get(datum)
    if convert is None or not in_china(latitude, longitude):
        return latitude, longitude
    shifted = convert((latitude, longitude), False)
    return shifted.lat, shifted.lon


def convert(latitude, longitude, source, target):
    """A position given in datum ``source``, expressed in datum ``target``."""
    if source == target:
        return latitude, longitude
    return from_wgs84(*to_wgs84(latitude, longitude, source), target)
