from odoo import fields, models


class ResPartner(models.Model):
    """POP at the outlet (宣传推广): the deployments of a customer, from its form."""

    _inherit = "res.partner"

    spm_pop_deployment_ids = fields.One2many(
        "spm.pop.deployment", "partner_id", string="POP Deployments"
    )
    spm_pop_deployment_count = fields.Integer(
        string="POP", compute="_compute_spm_pop_deployment_count"
    )

    def _compute_spm_pop_deployment_count(self):
        counts = dict(
            self.env["spm.pop.deployment"]._read_group(
                [("partner_id", "in", self.ids), ("state", "!=", "removed")],
                ["partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.spm_pop_deployment_count = counts.get(partner._origin, 0)

    def action_spm_view_pop(self):
        self.ensure_one()
        outlet = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_pop_deployment_action"
        )
        action["domain"] = [("partner_id", "=", outlet.id)]
        action["context"] = {"default_partner_id": outlet.id, "search_default_filter_active": 1}
        return action
