from odoo import fields, models


class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "res.config.settings"

    spm_geo_datum_default = fields.Selection(
        related="company_id.spm_geo_datum_default", readonly=False
    )
    # beside base_geolocalize's Google key, in the same place (a system parameter)
    spm_amap_api_key = fields.Char(
        string="Amap Web Service Key",
        config_parameter="sales_process_mgmt.amap_api_key",
        help="A key of type Web Service (Web服务) from the Amap open platform "
        "(lbs.amap.com), used to geocode customers' Chinese addresses.",
    )
