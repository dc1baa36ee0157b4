from odoo import fields, models

MAP_APPS = [
    ("amap", "Amap"),
    ("baidu", "Baidu Maps"),
    ("apple", "Apple Maps"),
    ("google", "Google Maps"),
]


class ResUsers(models.Model):
    _name = "res.users"
    _inherit = ["res.users", "spm.input.mixin"]

    spm_map_app = fields.Selection(
        MAP_APPS,
        string="Map App",
        required=True,
        default="amap",
        help="Navigate opens customers in this map app.",
    )

    @property
    def SELF_READABLE_FIELDS(self):
        return [*super().SELF_READABLE_FIELDS, "spm_map_app"]

    @property
    def SELF_WRITEABLE_FIELDS(self):
        return [*super().SELF_WRITEABLE_FIELDS, "spm_map_app"]
