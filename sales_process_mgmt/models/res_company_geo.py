from odoo import fields, models

from .spm_geo import GEO_DATUMS, WGS84


class ResCompany(models.Model):
    """The datum of customer coordinates entered without one."""

    _inherit = "res.company"

    spm_geo_datum_default = fields.Selection(
        GEO_DATUMS,
        string="Default Coordinate Datum",
        required=True,
        default=WGS84,
        help="The datum of customer coordinates typed in or imported without one: "
        "GCJ-02 when they are copied from Amap or Tencent maps, BD-09 from Baidu, "
        "WGS-84 from a GPS or OpenStreetMap. Outside mainland China coordinates are "
        "WGS-84 whatever this says.",
    )
