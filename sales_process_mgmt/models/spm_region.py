from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SpmRegion(models.Model):
    _name = "spm.region"
    _inherit = ["spm.input.mixin"]
    _description = "Sales Region"
    _parent_name = "parent_id"
    _parent_store = True
    _rec_name = "complete_name"
    _order = "complete_name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    complete_name = fields.Char(compute="_compute_complete_name", recursive=True, store=True)
    code = fields.Char(size=32, help="Short code, unique per company (at most 32 characters).")
    active = fields.Boolean(default=True)
    parent_id = fields.Many2one(
        "spm.region",
        string="Parent Region",
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    parent_path = fields.Char(index=True)
    child_ids = fields.One2many("spm.region", "parent_id", string="Sub-regions")
    state_ids = fields.Many2many("res.country.state", string="States / Provinces")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible Rep",
        domain="[('share', '=', False)]",
        check_company=True,
    )
    team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    partner_count = fields.Integer(compute="_compute_partner_count")
    note = fields.Html()

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique (code, company_id)",
            "The region code must be unique per company.",
        ),
    ]

    def unlink(self):
        # Collection rules may name the regions: their cached scopes change.
        self.env.registry.clear_cache()  # spm.collection.rule._rule_scopes
        return super().unlink()

    @api.depends("name", "parent_id.complete_name")
    def _compute_complete_name(self):
        for region in self:
            if region.parent_id:
                region.complete_name = f"{region.parent_id.complete_name} / {region.name}"
            else:
                region.complete_name = region.name

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("spm_region_id", "child_of", self.ids)],
                ["spm_region_id"],
                ["__count"],
            )
        )
        for region in self:
            region.partner_count = sum(
                count
                for sub, count in counts.items()
                if sub.parent_path.startswith(region.parent_path)
            )

    def write(self, vals):
        # Checked before the parent store is updated, which would only say
        # "Recursion Detected.".
        if vals.get("parent_id"):
            parent = self.browse(vals["parent_id"])
            looped = self.filtered(lambda region: parent.parent_path.startswith(region.parent_path))
            if looped:
                raise ValidationError(
                    self.env._(
                        "%(parent)s is inside %(regions)s: a region cannot be its own "
                        "parent or ancestor.",
                        parent=parent.complete_name,
                        regions=", ".join(looped.mapped("complete_name")),
                    )
                )
        return super().write(vals)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_partner_archive_action"
        )
        action["domain"] = [("spm_region_id", "child_of", self.id)]
        action["context"] = {"default_spm_region_id": self.id}
        return action
