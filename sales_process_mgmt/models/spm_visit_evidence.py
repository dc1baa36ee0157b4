from odoo import api, fields, models


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    visit_photo_ids = fields.One2many("spm.visit.photo", "visit_id", string="Photo Evidence")
    photo_count = fields.Integer(compute="_compute_photo_ids")
    photo_ids = fields.Many2many(
        "ir.attachment",
        string="Photos",
        compute="_compute_photo_ids",
        help="The photos of the visit as taken; their stamped copies are on the photo records.",
    )

    @api.depends("visit_photo_ids.attachment_id")
    def _compute_photo_ids(self):
        for visit in self:
            visit.photo_ids = visit.visit_photo_ids.attachment_id
            visit.photo_count = len(visit.visit_photo_ids)
