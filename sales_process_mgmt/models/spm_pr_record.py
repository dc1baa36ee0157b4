from odoo import fields, models

from .spm_protected_mixin import MANAGER

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
    _inherit = ["mail.thread", "mail.activity.mixin", "spm.protected.mixin", "spm.input.mixin"]
    _order = "last_contact_date desc, id desc"
    _rec_name = "organisation"
    _check_company_auto = True
    # the customer book: exported by sales managers only (spm_export_guard.py)
    _spm_export_guard = True

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

    def _spm_protected_fields(self):
        return {"user_id": MANAGER}

    def _spm_protected_hint(self):
        return self.env._(
            "Who is responsible for a PR record is part of the market archive's history: "
            "only a sales manager may change it."
        )
