"""POP on the visit (宣传推广 at the outlet): the outlet's deployments, inspected with one
tap each during the visit — Good, Damaged or Missing."""

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class SpmVisit(models.Model):
    _inherit = "spm.visit"

    pop_deployment_ids = fields.Many2many(
        "spm.pop.deployment",
        string="POP at the Outlet",
        compute="_compute_pop_deployment_ids",
        help="The POP deployed or planned at the visit's customer.",
    )
    pop_inspection_ids = fields.One2many(
        "spm.pop.inspection", "visit_id", string="POP Inspections", readonly=True
    )

    @api.depends("partner_id")
    def _compute_pop_deployment_ids(self):
        deployments = self.env["spm.pop.deployment"].search(
            [("partner_id", "in", self.partner_id.ids), ("state", "!=", "removed")]
        )
        by_outlet = deployments.grouped("partner_id")
        for visit in self:
            visit.pop_deployment_ids = by_outlet.get(visit.partner_id, deployments.browse())

    def action_spm_plan_pop(self):
        """Plan POP at the visit's outlet: a new deployment, in a dialog."""
        self._spm_ensure_one(self.env._("Plan POP"))
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Plan POP"),
            "res_model": "spm.pop.deployment",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_partner_id": self.partner_id.id,
                "default_visit_id": self.id,
                "default_company_id": self.company_id.id,
            },
        }

    def action_spm_inspect_pop(self, deployment_id=None, condition=None, note=None, photo=None):
        """Record the inspection of one deployment of the visit's outlet: the
        deployment's id and its condition (``good``, ``damaged`` or ``missing``) come
        as arguments, else from the button's context (``spm_pop_deployment_id``,
        ``spm_pop_condition``); a client may add a ``note`` and a ``photo`` (base64)."""
        self._spm_ensure_one(self.env._("Inspect POP"))
        context = self.env.context
        if deployment_id is None:
            deployment_id = context.get("spm_pop_deployment_id")
        if condition is None:
            condition = context.get("spm_pop_condition")
        vals = {"deployment_id": deployment_id, "condition": condition}
        vals.update({fname: value for fname, value in (("note", note), ("photo", photo)) if value})
        Inspection = self.env["spm.pop.inspection"]
        # wrong types are refused naming the field, as on any create
        Inspection._spm_check_input([vals])
        if not deployment_id or not condition:
            raise ValidationError(
                self.env._(
                    "Inspect POP on visit %(visit)s: say which deployment and its condition "
                    "(Good, Damaged or Missing).",
                    visit=self.display_name,
                )
            )
        Inspection.create({"visit_id": self.id, **vals})
        return True


class SpmPopDeployment(models.Model):
    """The buttons of a deployment's card on the visit's POP page: they act for the
    visit the page belongs to (``spm_pop_visit_id`` in the button's context)."""

    _inherit = "spm.pop.deployment"

    def _spm_page_visit(self):
        visit_id = self.env.context.get("spm_pop_visit_id")
        visit = self.env["spm.visit"]
        if isinstance(visit_id, int) and not isinstance(visit_id, bool) and visit_id > 0:
            visit = visit.browse(visit_id).exists()
        if not visit or len(self) != 1:
            raise ValidationError(
                self.env._(
                    "POP is inspected from a visit: open the visit at the outlet and tap "
                    "Good, Damaged or Missing on the deployment there."
                )
            )
        return visit

    def action_spm_inspect_on_visit(self):
        """Good / Damaged / Missing (``spm_pop_condition`` in the context)."""
        visit = self._spm_page_visit()
        return visit.action_spm_inspect_pop(
            deployment_id=self.id, condition=self.env.context.get("spm_pop_condition")
        )

    def action_spm_inspect_with_photo(self):
        """An inspection with a photo and a note: its form, in a dialog."""
        visit = self._spm_page_visit()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Inspect POP"),
            "res_model": "spm.pop.inspection",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {
                "default_visit_id": visit.id,
                "default_deployment_id": self.id,
                "default_condition": "good",
            },
        }
