from odoo import api, fields, models


class SpmVisit(models.Model):
    """The way to the customer of a visit, in the rep's map app."""

    _inherit = "spm.visit"

    spm_navigate_url = fields.Char(
        string="Navigate",
        compute="_compute_spm_navigate_url",
        help="Opens the customer in the map app chosen in your preferences.",
    )

    @api.depends(
        "partner_id.partner_latitude",
        "partner_id.partner_longitude",
        "partner_id.spm_geo_datum",
        "partner_id.name",
    )
    @api.depends_context("uid")
    def _compute_spm_navigate_url(self):
        app = self.env.user.spm_map_app
        for visit in self:
            partner = visit.partner_id
            visit.spm_navigate_url = partner._spm_navigate_url(app) if partner else False

    def action_spm_navigate(self):
        self._spm_ensure_one(self.env._("Navigate"))
        return self.partner_id.action_spm_navigate()
