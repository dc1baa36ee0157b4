from odoo import fields, models
from odoo.exceptions import AccessError

COUNTERPART_TYPES = [
    ("government", "Government"),
    ("media", "Media"),
    ("association", "Association"),
    ("community", "Community"),
    ("other", "Other"),
]
RELATIONSHIP_LEVELS = [
    ("0", "None"),
    ("1", "Acquainted"),
    ("2", "Cooperative"),
    ("3", "Close"),
]
RISK_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class SpmPrRecord(models.Model):
    _name = "spm.pr.record"
    _description = "Public Relations Archive"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "last_contact_date desc, id desc"
    _rec_name = "organisation"
    _check_company_auto = True

    organisation = fields.Char(required=True, tracking=True)
    counterpart_type = fields.Selection(COUNTERPART_TYPES, required=True, default="government")
    region_id = fields.Many2one("spm.region", index=True, check_company=True)
    contact_name = fields.Char(string="Contact")
    contact_function = fields.Char(string="Contact's Position")
    phone = fields.Char()
    relationship_level = fields.Selection(
        RELATIONSHIP_LEVELS, string="Relationship", default="0", tracking=True
    )
    risk_level = fields.Selection(
        RISK_LEVELS, string="Risk", default="low", required=True, tracking=True
    )
    last_contact_date = fields.Date(tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    notes = fields.Html()
    active = fields.Boolean(default=True)

    def write(self, vals):
        if "user_id" in vals and not (
            self.env.su or self.env.user.has_group("sales_team.group_sale_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only a sales manager may change who is responsible for a PR record: "
                    "it is part of the market archive's history."
                )
            )
        return super().write(vals)
