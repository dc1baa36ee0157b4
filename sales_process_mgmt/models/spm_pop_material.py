"""POP materials (POP物料): what the company puts up at the outlets.

The handbook's POP 宣传 is the outlet's dressing — posters 海报, leaflets 折页, light boxes
灯箱, standees 立牌, hanging flags 吊旗 — "put up and kept up" by the rep. A material says
what one piece costs (in the company's currency), how often a deployed piece is
inspected and how long it is expected to last.
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError

POP_MATERIAL_TYPES = [
    ("poster", "Poster"),
    ("leaflet", "Leaflet"),
    ("light_box", "Light Box"),
    ("standee", "Standee"),
    ("hanging_flag", "Hanging Flag"),
    ("other", "Other"),
]


class SpmPopMaterial(models.Model):
    _name = "spm.pop.material"
    _description = "POP Material"
    _inherit = ["spm.input.mixin"]
    _order = "material_type, name, id"
    _check_company_auto = True

    name = fields.Char(required=True)
    material_type = fields.Selection(
        POP_MATERIAL_TYPES, string="Type", required=True, default="poster", index=True
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        help="The product the material is bought as, when it is bought through Odoo: its "
        "cost is the material's unit cost.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    unit_cost = fields.Monetary(
        compute="_compute_unit_cost",
        store=True,
        readonly=False,
        precompute=True,
        help="What one piece costs, in the company's currency.",
    )
    inspection_interval_days = fields.Integer(
        string="Inspection Interval (days)",
        default=30,
        help="Days between two inspections of a deployed piece; 0: not inspected on a schedule.",
    )
    expected_life_days = fields.Integer(
        string="Expected Life (days)",
        default=180,
        help="Days a piece lasts once installed; then it is replaced or written off. "
        "0: no expected life.",
    )
    image = fields.Image(max_width=1024, max_height=1024)
    description = fields.Text()
    active = fields.Boolean(default=True)
    deployment_ids = fields.One2many("spm.pop.deployment", "material_id", string="Deployments")
    deployment_count = fields.Integer(compute="_compute_deployment_count")

    @api.depends("product_id")
    def _compute_unit_cost(self):
        for material in self:
            if material.product_id:
                material.unit_cost = material.product_id.with_company(
                    material.company_id
                ).standard_price

    def _compute_deployment_count(self):
        counts = dict(
            self.env["spm.pop.deployment"]._read_group(
                [("material_id", "in", self.ids), ("state", "!=", "removed")],
                ["material_id"],
                ["__count"],
            )
        )
        for material in self:
            material.deployment_count = counts.get(material._origin, 0)

    @api.constrains("unit_cost", "inspection_interval_days", "expected_life_days")
    def _check_figures(self):
        for material in self:
            if material.unit_cost < 0:
                raise ValidationError(
                    self.env._(
                        "The unit cost of POP material %(material)s cannot be negative.",
                        material=material.display_name,
                    )
                )
            if material.inspection_interval_days < 0 or material.expected_life_days < 0:
                raise ValidationError(
                    self.env._(
                        "The inspection interval and the expected life of POP material "
                        "%(material)s are numbers of days: 0 or more (0 means none).",
                        material=material.display_name,
                    )
                )

    def action_view_deployments(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_pop_deployment_action"
        )
        action["domain"] = [("material_id", "=", self.id)]
        action["context"] = {"default_material_id": self.id}
        return action
