"""POP inspections: what the rep found at the outlet, recorded on a visit.

An inspection is an audit record, created and never edited nor deleted (append-only,
for everyone, sales managers and the superuser included), as promises to pay are: it is
recorded on a checked-in visit of the deployment's own outlet, dated the outlet's today
and signed by the user who recorded it. The deployment follows it: damaged or missing
needs maintenance (missing also asks for replacement or write-off), good puts a piece
needing maintenance back to installed, and the next inspection is due the material's
interval after it. When nothing of the outlet is due any more, the rep's to-do to
inspect its POP is marked done.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .spm_pop_deployment import POP_CONDITIONS, POP_DEPLOYED_STATES
from .spm_protected_mixin import NOBODY
from .spm_time import spm_today

# POP is inspected at the outlet, during a visit checked in there.
INSPECTION_VISIT_STATES = ("in_progress",)
CONDITION_STATES = {
    "good": "installed",
    "damaged": "needs_maintenance",
    "missing": "needs_maintenance",
}


class SpmPopInspection(models.Model):
    _name = "spm.pop.inspection"
    _description = "POP Inspection"
    _inherit = ["spm.protected.mixin", "spm.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    deployment_id = fields.Many2one(
        "spm.pop.deployment",
        required=True,
        index=True,
        # inspections are an audit trail: a deployment holding inspections stays
        ondelete="restrict",
        check_company=True,
    )
    visit_id = fields.Many2one(
        "spm.visit",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    partner_id = fields.Many2one(
        related="deployment_id.partner_id", string="Outlet", store=True, index=True
    )
    material_id = fields.Many2one(related="deployment_id.material_id", store=True)
    company_id = fields.Many2one(related="deployment_id.company_id", store=True, index=True)
    date = fields.Date(string="Inspected On", readonly=True)
    user_id = fields.Many2one("res.users", string="Inspected By", readonly=True)
    condition = fields.Selection(POP_CONDITIONS, required=True)
    photo = fields.Image(max_width=1920, max_height=1920)
    note = fields.Text()

    @api.depends("deployment_id", "date", "condition")
    def _compute_display_name(self):
        conditions = dict(self._fields["condition"]._description_selection(self.env))
        for inspection in self:
            inspection.display_name = " · ".join(
                part
                for part in (
                    inspection.deployment_id.display_name,
                    fields.Date.to_string(inspection.date) if inspection.date else "",
                    conditions.get(inspection.condition, ""),
                )
                if part
            )

    def _spm_protected_fields(self):
        # Append-only: everything is recorded at creation, then nothing changes.
        if not self:
            return {}
        return dict.fromkeys(self._fields, NOBODY)

    def _spm_protected_hint(self):
        return self.env._(
            "POP inspections are an audit trail: they cannot be changed. Record a new "
            "inspection on a visit instead."
        )

    @api.model_create_multi
    def create(self, vals_list):
        visits = self.env["spm.visit"].browse(
            [vals["visit_id"] for vals in vals_list if vals.get("visit_id")]
        )
        deployments = self.env["spm.pop.deployment"].browse(
            [vals["deployment_id"] for vals in vals_list if vals.get("deployment_id")]
        )
        deployments._spm_lock()
        for vals in vals_list:
            visit = visits.browse(vals.get("visit_id"))
            deployment = deployments.browse(vals.get("deployment_id"))
            if visit and deployment:
                self._spm_check_inspection(visit, deployment)
            # signed by who recorded it; a script or the demo (the superuser) records
            # for the visit's rep
            user = self.env.user
            vals["user_id"] = (visit.sudo().user_id if user._is_superuser() else user).id
            vals["date"] = (
                spm_today(deployment.partner_id, visit.user_id, deployment.company_id)
                if deployment
                else False
            )
        inspections = super().create(vals_list)
        inspections._spm_apply_to_deployments()
        return inspections

    def _spm_check_inspection(self, visit, deployment):
        visit_su, deployment_su = visit.sudo(), deployment.sudo()
        if visit_su.state not in INSPECTION_VISIT_STATES:
            raise UserError(
                self.env._(
                    "POP is inspected during a visit at the outlet: visit %(visit)s is "
                    "%(state)s. Check in at %(outlet)s first.",
                    visit=visit_su.display_name,
                    state=visit_su._spm_state_label(),
                    outlet=visit_su.partner_id.display_name,
                )
            )
        outlet = deployment_su.partner_id.commercial_partner_id
        if outlet != visit_su.partner_id.commercial_partner_id:
            raise UserError(
                self.env._(
                    "%(deployment)s is at %(outlet)s, not at %(customer)s, the customer of "
                    "visit %(visit)s: inspect it on a visit to %(outlet)s.",
                    deployment=deployment_su.display_name,
                    outlet=outlet.display_name,
                    customer=visit_su.partner_id.display_name,
                    visit=visit_su.display_name,
                )
            )
        if deployment_su.state not in POP_DEPLOYED_STATES:
            if deployment_su.state == "planned":
                message = self.env._(
                    "%(deployment)s is planned, not installed yet: mark it installed, with "
                    "its photo, before inspecting it.",
                    deployment=deployment_su.display_name,
                )
            else:
                message = self.env._(
                    "%(deployment)s was removed on %(date)s: a removed deployment is not "
                    "inspected.",
                    deployment=deployment_su.display_name,
                    date=deployment_su.removed_on or "-",
                )
            raise UserError(message)

    def _spm_apply_to_deployments(self):
        """The deployments follow their newest inspection (by date, then creation)."""
        conditions = dict(self._fields["condition"]._description_selection(self.env))
        for inspection in self.sorted(lambda inspection: (inspection.date, inspection.id)):
            deployment = inspection.deployment_id.sudo()
            state = CONDITION_STATES[inspection.condition]
            if deployment.state != state:
                deployment._spm_protected().write({"state": state})
            body = self.env._(
                "Inspected on visit %(visit)s by %(user)s: %(condition)s.",
                visit=inspection.visit_id.sudo().display_name,
                user=inspection.user_id.name,
                condition=conditions[inspection.condition],
            )
            if inspection.note:
                body = f"{body} {inspection.note}"
            inspection.deployment_id._spm_post(body)
        self.deployment_id.sudo()._spm_close_inspection_todos(self.visit_id.sudo()[:1])

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("POP inspections are an audit trail: they cannot be deleted."))
