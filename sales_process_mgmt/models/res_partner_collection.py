from odoo import api, fields, models


class ResPartner(models.Model):
    """The collection rule that applies to a customer and its open collection tasks
    (送货收款)."""

    _inherit = "res.partner"

    spm_collection_rule_id = fields.Many2one(
        "spm.collection.rule",
        string="Collection Rule",
        compute="_compute_spm_collection_rule",
        help="The most specific collection rule of the current company for this customer.",
    )
    spm_collection_rule_reason = fields.Char(
        string="Why This Rule", compute="_compute_spm_collection_rule"
    )
    spm_collection_task_count = fields.Integer(
        string="Open Collection Tasks", compute="_compute_spm_collection_task_count"
    )

    @api.depends("spm_region_id", "category_id", "commercial_partner_id")
    @api.depends_context("company")
    def _compute_spm_collection_rule(self):
        commercial = self.commercial_partner_id
        matches = self.env["spm.collection.rule"]._match_partners(commercial, self.env.company)
        for partner in self:
            rule, reason = matches.get(partner.commercial_partner_id, (False, ""))
            partner.spm_collection_rule_id = rule
            partner.spm_collection_rule_reason = reason

    @api.depends_context("uid")
    def _compute_spm_collection_task_count(self):
        Task = self.env["spm.collection.task"]
        if not Task.has_access("read"):
            self.spm_collection_task_count = 0
            return
        counts = dict(
            Task._read_group(
                [
                    ("partner_id", "in", self.ids),
                    ("state", "in", ("open", "promised", "escalated")),
                ],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.spm_collection_task_count = counts.get(partner._origin, 0)

    def action_spm_view_collection_tasks(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_collection_task_action"
        )
        action["domain"] = [("partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_filter_active": 1}
        return action
