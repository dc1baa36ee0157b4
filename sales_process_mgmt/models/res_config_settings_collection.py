from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):  # pylint: disable=no-wizard-in-models
    _inherit = "res.config.settings"

    spm_collection_horizon_days = fields.Integer(
        related="company_id.spm_collection_horizon_days", readonly=False
    )
    spm_collection_default_rule_id = fields.Many2one(
        "spm.collection.rule",
        string="Default Collection Rule",
        compute="_compute_spm_collection_hold_summary",
    )
    spm_collection_hold_summary = fields.Char(
        string="Order Holds", compute="_compute_spm_collection_hold_summary"
    )

    @api.depends("company_id")
    def _compute_spm_collection_hold_summary(self):
        Rule = self.env["spm.collection.rule"]
        for settings in self:
            rule = Rule._company_default_rule(settings.company_id)
            settings.spm_collection_default_rule_id = rule
            settings.spm_collection_hold_summary = (
                rule._hold_summary()
                if rule
                else self.env._(
                    "No collection rule applies to every customer: no order is held, "
                    "except by a more specific rule that has its holds on."
                )
            )

    def action_spm_open_default_collection_rule(self):
        self.ensure_one()
        rule = self.spm_collection_default_rule_id
        if not rule:
            return self.env["ir.actions.act_window"]._for_xml_id(
                "sales_process_mgmt.spm_collection_rule_action"
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "spm.collection.rule",
            "res_id": rule.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
