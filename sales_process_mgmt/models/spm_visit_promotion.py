"""Campaign executions recorded on a visit (the visit form's Promotion page).

The page lists the running campaigns of the visit's customer; a rep at the outlet taps
Done or Not Done on one, takes a photo and writes a note in the dialog that opens, and
saves: the execution is recorded on the visit. The buttons sit on the campaign rows of
the page, so the campaign's part of them is here too.
"""

from odoo import api, fields, models
from odoo.exceptions import UserError

RECORD_FORM = "sales_process_mgmt.spm_promotion_execution_view_form_record"


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    promotion_campaign_ids = fields.Many2many(
        "spm.promotion.campaign",
        string="Running Campaigns",
        compute="_compute_promotion_campaign_ids",
        help="Running promotion campaigns of this customer.",
    )
    promotion_execution_ids = fields.One2many(
        "spm.promotion.execution", "visit_id", string="Campaign Executions"
    )

    @api.depends("partner_id", "company_id")
    def _compute_promotion_campaign_ids(self):
        campaigns = self.env["spm.promotion.campaign"].search(
            [("state", "=", "running"), ("partner_ids", "in", self.partner_id.ids)]
        )
        for visit in self:
            visit.promotion_campaign_ids = campaigns.filtered(
                lambda campaign, visit=visit: (
                    visit.partner_id in campaign.partner_ids
                    and campaign.company_id == visit.company_id
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_verified_promotion(self):
        verified = (
            self.env["spm.promotion.execution"]
            .sudo()
            .search([("visit_id", "in", self.ids), ("verified", "=", True)], limit=1)
        )
        if verified:
            raise UserError(
                self.env._(
                    "Visit %(visit)s proves the execution of campaign %(campaign)s: it "
                    "cannot be deleted.",
                    visit=verified.visit_id.display_name,
                    campaign=verified.campaign_id.name,
                )
            )

    def _spm_promotion_execution(self, campaign):
        self.ensure_one()
        return self.promotion_execution_ids.filtered(
            lambda execution: execution.campaign_id == campaign
        )

    def _spm_record_promotion(self, campaign, done, note=False, photo=False):
        """Record (or record again, while not verified) this visit's execution of
        ``campaign``; returns the execution."""
        self._spm_ensure_one(self.env._("Record a campaign execution"))
        self.check_access("write")
        vals = {"done": bool(done), "note": note or False}
        if photo:
            vals["photo"] = photo
        execution = self._spm_promotion_execution(campaign)
        if execution:
            execution.write(vals)
            return execution
        return self.env["spm.promotion.execution"].create(
            {"campaign_id": campaign.id, "visit_id": self.id, **vals}
        )

    def _spm_promotion_record_action(self, campaign, done):
        """The dialog in which the rep records this visit's execution of ``campaign``
        as done or not done, with a photo and a note."""
        self._spm_ensure_one(self.env._("Record a campaign execution"))
        self.check_access("write")
        execution = self._spm_promotion_execution(campaign)
        if execution.verified:
            raise UserError(execution._spm_verified_message())
        if execution:
            execution.done = done
        return {
            "type": "ir.actions.act_window",
            "name": campaign.name,
            "res_model": "spm.promotion.execution",
            "res_id": execution.id,
            "view_mode": "form",
            "views": [(self.env.ref(RECORD_FORM).id, "form")],
            "target": "new",
            "context": {
                "default_campaign_id": campaign.id,
                "default_visit_id": self.id,
                "default_done": bool(done),
            },
        }


class SpmPromotionCampaign(models.Model):
    """The Done / Not Done buttons of a campaign row on the visit's Promotion page."""

    _inherit = "spm.promotion.campaign"

    def _spm_context_visit(self):
        self.ensure_one()
        visit_id = self.env.context.get("spm_visit_id")
        if not isinstance(visit_id, int) or isinstance(visit_id, bool):
            raise UserError(self.env._("Record the execution from the visit at the outlet."))
        return self.env["spm.visit"].browse(visit_id).exists()

    def action_spm_visit_done(self):
        return self._spm_context_visit()._spm_promotion_record_action(self, True)

    def action_spm_visit_not_done(self):
        return self._spm_context_visit()._spm_promotion_record_action(self, False)
