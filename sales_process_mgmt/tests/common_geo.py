import prcoords

from odoo.addons.sales_process_mgmt.models.spm_visit import distance_m

from .common_visit import SHOP, SpmVisitCommon

# One metre of latitude, in degrees
METRE = 1 / 111195
# Where a phone 20 m north of the shop's door is (WGS-84, as its GPS gives it)
PHONE = (SHOP[0] + 20 * METRE, SHOP[1])
# Outside mainland China
PARIS = (48.8566, 2.3522)


def gcj02(position):
    """The shop as Amap publishes it: the forward transform, exact."""
    return tuple(prcoords.wgs_gcj(position, False))


def bd09(position):
    """The shop as Baidu publishes it."""
    return tuple(prcoords.wgs_bd(position, False))


class SpmGeoCommon(SpmVisitCommon):
    """The located customer of the visit tests, and a way to pin it in a datum."""

    @classmethod
    def _pin(cls, partner, position, datum):
        """Coordinates set as a sales manager sets them: confirmed."""
        partner.with_user(cls.manager).write(
            {
                "partner_latitude": position[0],
                "partner_longitude": position[1],
                "spm_geo_datum": datum,
            }
        )
        return partner

    def assertDistance(self, first, second, metres, delta=1.0):
        self.assertAlmostEqual(distance_m(*first, *second), metres, delta=delta)
