"""The POP of a promotion campaign (宣传推广): the deployments planned and put up for it.

The POP put up for a campaign is part of its cost (see ``spm_pop_deployment_campaign``):
the campaign shows it next to the actual amounts of its cost lines, both read from the
tracking report, where the cost and the ROI include it.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class SpmPromotionCampaign(models.Model):
    _inherit = "spm.promotion.campaign"

    pop_deployment_ids = fields.One2many("spm.pop.deployment", "campaign_id", string="POP")
    pop_deployment_count = fields.Integer(
        string="POP Deployments", compute="_compute_pop_deployment_count"
    )
    line_cost = fields.Monetary(
        string="Cost Lines",
        compute="_compute_pop_cost",
        help="Actual amounts of the campaign's cost lines.",
    )
    pop_cost = fields.Monetary(
        string="POP Deployed",
        compute="_compute_pop_cost",
        help="Cost of the POP put up for the campaign: installed, or removed after its "
        "installation. Planned POP is not counted.",
    )

    def _compute_pop_deployment_count(self):
        counts = dict(
            self.env["spm.pop.deployment"]._read_group(
                [("campaign_id", "in", self.ids)], ["campaign_id"], ["__count"]
            )
        )
        for campaign in self:
            campaign.pop_deployment_count = counts.get(campaign._origin, 0)

    def _compute_pop_cost(self):
        costs = {
            campaign: (cost, pop_cost)
            for campaign, cost, pop_cost in self.env["spm.promotion.report"]._read_group(
                [("campaign_id", "in", self.ids)],
                ["campaign_id"],
                ["cost:sum", "pop_cost:sum"],
            )
        }
        for campaign in self:
            cost, pop_cost = costs.get(campaign._origin, (0.0, 0.0))
            campaign.line_cost = cost - pop_cost
            campaign.pop_cost = pop_cost

    @api.constrains("partner_ids")
    def _check_pop_outlets_kept(self):
        """An outlet with POP deployed for the campaign stays one of its outlets."""
        for campaign in self:
            used = campaign.sudo().pop_deployment_ids.partner_id.filtered(
                lambda partner, campaign=campaign: partner not in campaign.partner_ids
            )
            if used:
                raise ValidationError(
                    self.env._(
                        "%(outlets)s cannot leave campaign %(campaign)s: POP is deployed "
                        "there for the campaign.",
                        outlets=", ".join(used.mapped("display_name")),
                        campaign=campaign.name,
                    )
                )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_pop(self):
        for campaign in self:
            deployments = campaign.sudo().pop_deployment_ids
            if deployments:
                raise UserError(
                    self.env._(
                        "Campaign %(campaign)s has POP planned or deployed for it "
                        "(%(deployment)s...): delete that POP, or take it off the "
                        "campaign while it is planned, before deleting the campaign.",
                        campaign=campaign.name,
                        deployment=deployments[0].display_name,
                    )
                )

    def _spm_pop_action(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sales_process_mgmt.spm_pop_deployment_action"
        )
        action["context"] = {
            "default_campaign_id": self.id,
            "default_company_id": self.company_id.id,
        }
        return action

    def action_view_pop_deployments(self):
        """The campaign's POP, by outlet; new POP planned there is for the campaign."""
        action = self._spm_pop_action()
        action["domain"] = [("campaign_id", "=", self.id)]
        action["context"]["search_default_groupby_partner"] = 1
        return action

    def action_plan_pop(self):
        """Plan POP for the campaign: a new deployment, at one of its outlets."""
        action = self._spm_pop_action()
        if len(self.partner_ids) == 1:
            action["context"]["default_partner_id"] = self.partner_ids.id
        action.update(views=[(False, "form")], view_mode="form", target="current")
        return action
