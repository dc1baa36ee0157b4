from odoo import api, fields, models

from .spm_protected_mixin import NOBODY
from .spm_visit_atmosphere_line import ATMOSPHERE_ELEMENTS


class SpmVisit(models.Model):
    """The store atmosphere audit of a visit (卖场氛围): its lines and their average."""

    _inherit = "spm.visit"

    atmosphere_line_ids = fields.One2many(
        "spm.visit.atmosphere.line", "visit_id", string="Store Atmosphere"
    )
    atmosphere_score = fields.Float(
        compute="_compute_atmosphere_score",
        store=True,
        precompute=True,
        digits=(3, 2),
        aggregator=None,
        help="Average of the atmosphere elements scored on this visit, 1 to 5; 0 when "
        "the atmosphere was not audited.",
    )
    atmosphere_editable = fields.Boolean(
        compute="_compute_atmosphere_editable",
        help="Whether you may change the atmosphere audit of this visit now.",
    )

    # Not on the visit's state: checking in and out must not recompute it nor the
    # customer's score (their cost on the hot path); lines are only recorded once the
    # visit is checked in.
    @api.depends("atmosphere_line_ids.score_value")
    def _compute_atmosphere_score(self):
        for visit in self:
            scores = [value for value in visit.atmosphere_line_ids.mapped("score_value") if value]
            visit.atmosphere_score = sum(scores) / len(scores) if scores else 0.0

    @api.depends("state", "user_id")
    @api.depends_context("uid")
    def _compute_atmosphere_editable(self):
        """As ``spm.visit.atmosphere.line._spm_check_can_audit`` decides."""
        is_manager = self._spm_is_manager()
        for visit in self:
            visit.atmosphere_editable = (
                visit.state == "in_progress" and (is_manager or visit.user_id == self.env.user)
            ) or (visit.state == "done" and is_manager)

    def write(self, vals):
        # a sales manager's correction of a check-in time (not the check-in itself)
        corrected = self.filtered("check_in_time") if "check_in_time" in vals else self.browse()
        res = super().write(vals)
        if corrected:
            corrected._spm_redate_atmosphere()
        return res

    def _spm_redate_atmosphere(self):
        """The day of these visits may have moved: their audits follow, and so do the
        latest audits of their customers."""
        lines = self.atmosphere_line_ids
        if not lines:
            return
        Partner = self.env["res.partner"]
        self.env.add_to_compute(lines._fields["visit_date"], lines)
        for fname in ("spm_atmosphere_score", "spm_atmosphere_poor"):
            self.env.add_to_compute(Partner._fields[fname], self.partner_id)

    def _spm_protected_fields(self):
        return {**super()._spm_protected_fields(), "atmosphere_score": NOBODY}

    def action_spm_audit_atmosphere(self):
        """Add a line for each element of the store atmosphere not audited yet."""
        self._spm_ensure_one(self.env._("Audit Atmosphere"))
        Line = self.env["spm.visit.atmosphere.line"]
        Line._spm_check_can_audit(self)
        audited = set(self.atmosphere_line_ids.mapped("element"))
        missing = [element for element, _label in ATMOSPHERE_ELEMENTS if element not in audited]
        if missing:
            Line.create([{"visit_id": self.id, "element": element} for element in missing])
        return True
