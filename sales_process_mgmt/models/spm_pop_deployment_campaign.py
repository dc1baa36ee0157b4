"""POP deployed for a promotion campaign (宣传推广: the POP cost of a campaign).

A deployment may be planned for a campaign of its company, at one of the campaign's
outlets. What counts as the campaign's cost is POP that was put up: installed, needing
maintenance, or removed after its installation (taken down, replaced or written off:
the money was spent). Planned POP, and planned POP removed before it was put up, costs
the campaign nothing. The tracking report (``spm.promotion.report``) adds the stored
``cost`` of the counted deployments to the campaign's cost, at their outlet.

Two facts decide it, so both are protected as the POP's other proof is: once a
deployment is no longer planned it keeps its campaign (as it keeps its outlet and
material), and its installation date is set by the Installed button only: it may be
corrected while the POP is at the outlet, never cleared, and never written on planned or
removed POP (a removed deployment was installed exactly when it has one).
"""

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .spm_pop_deployment import POP_DEPLOYED_STATES
from .spm_protected_mixin import NOBODY

# Campaigns POP may still be deployed for.
CAMPAIGN_OPEN_STATES = ("draft", "approved", "running")


def pop_cost_counted(alias):
    """SQL condition: the deployment ``alias`` counts as its campaign's cost."""
    return SQL(
        "(%(state)s IN %(deployed)s OR (%(state)s = 'removed' AND %(installed_on)s IS NOT NULL))",
        state=SQL.identifier(alias, "state"),
        deployed=POP_DEPLOYED_STATES,
        installed_on=SQL.identifier(alias, "installed_on"),
    )


class SpmPopDeployment(models.Model):
    _inherit = "spm.pop.deployment"

    campaign_id = fields.Many2one(
        "spm.promotion.campaign",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        # POP put up for a campaign is part of its cost: the campaign stays
        ondelete="restrict",
        domain="[('partner_ids', 'in', partner_id or [])]",
        help="The promotion campaign the POP is deployed for: once installed, its cost "
        "counts in the campaign's cost and ROI.",
    )

    def _spm_protected_fields(self):
        protected = super()._spm_protected_fields()
        protected["installed_on"] = NOBODY
        if any(deployment.state != "planned" for deployment in self):
            protected["campaign_id"] = NOBODY
        return protected

    def _spm_protected_value_allowed(self, fname, value):
        if fname == "installed_on":
            # a correction of the date of POP at the outlet, not its removal
            return bool(
                value
                and self
                and all(deployment.state in POP_DEPLOYED_STATES for deployment in self)
            )
        return super()._spm_protected_value_allowed(fname, value)

    def _spm_protected_hint(self):
        return self.env._(
            "%(hint)s The installation date is set by Installed, and POP that is no longer "
            "planned keeps its campaign.",
            hint=super()._spm_protected_hint(),
        )

    def _spm_replacement_values(self):
        """A replacement serves the campaign of the piece it replaces while it still runs."""
        values = super()._spm_replacement_values()
        if self.campaign_id.state in CAMPAIGN_OPEN_STATES:
            values["campaign_id"] = self.campaign_id.id
        return values

    @api.constrains("campaign_id")
    def _check_campaign_open(self):
        for deployment in self.filtered("campaign_id"):
            campaign = deployment.campaign_id.sudo()
            if campaign.state not in CAMPAIGN_OPEN_STATES:
                raise ValidationError(
                    self.env._(
                        "Campaign %(campaign)s is %(state)s: POP is deployed only for a "
                        "campaign in draft, approved or running.",
                        campaign=campaign.name,
                        state=campaign._spm_state_label(),
                    )
                )

    @api.constrains("campaign_id", "partner_id")
    def _check_campaign_outlet(self):
        for deployment in self.filtered("campaign_id"):
            campaign = deployment.campaign_id.sudo()
            if deployment.partner_id not in campaign.partner_ids:
                raise ValidationError(
                    self.env._(
                        "%(outlet)s is not an outlet of campaign %(campaign)s: add it to the "
                        "campaign's outlets first, or deploy this POP without the campaign.",
                        outlet=deployment.partner_id.display_name,
                        campaign=campaign.name,
                    )
                )
