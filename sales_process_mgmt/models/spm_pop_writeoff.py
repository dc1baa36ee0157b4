"""POP written off (核销): a sales manager's record of POP given up, with its cost.

A deployment past its expected life or found missing is replaced or written off. The
write-off is an audit record (append-only, for everyone, as inspections are): its
quantity and cost are the deployment's at that moment, its date the outlet's today,
its author the manager who recorded it; recording it removes the deployment.
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from .spm_manager import is_sales_manager
from .spm_pop_deployment import POP_DEPLOYED_STATES
from .spm_protected_mixin import NOBODY


class SpmPopWriteoff(models.Model):
    _name = "spm.pop.writeoff"
    _description = "POP Write-off"
    _inherit = ["spm.protected.mixin", "spm.input.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    deployment_id = fields.Many2one(
        "spm.pop.deployment",
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
    currency_id = fields.Many2one(related="company_id.currency_id")
    date = fields.Date(string="Written Off On", readonly=True)
    user_id = fields.Many2one("res.users", string="Written Off By", readonly=True)
    qty = fields.Integer(string="Quantity", readonly=True)
    cost = fields.Monetary(readonly=True, help="The deployment's cost when it was written off.")
    reason = fields.Text(required=True, help="Why the POP is given up: worn out, lost, stolen...")

    _sql_constraints = [
        (
            "deployment_uniq",
            "UNIQUE (deployment_id)",
            "A deployment is written off once.",
        )
    ]

    def _spm_protected_fields(self):
        # Append-only: everything is recorded at creation, then nothing changes.
        if not self:
            return {}
        return dict.fromkeys(self._fields, NOBODY)

    def _spm_protected_hint(self):
        return self.env._("POP write-offs are an audit trail: they cannot be changed.")

    @api.model_create_multi
    def create(self, vals_list):
        if not is_sales_manager(self.env):
            raise AccessError(self.env._("Only a sales manager writes POP off."))
        deployments = self.env["spm.pop.deployment"].browse(
            [vals["deployment_id"] for vals in vals_list if vals.get("deployment_id")]
        )
        deployments._spm_lock()
        deployments._spm_check_state(POP_DEPLOYED_STATES, self.env._("Write Off"))
        for vals in vals_list:
            deployment = deployments.browse(vals.get("deployment_id"))
            vals.update(
                user_id=self.env.uid,
                date=deployment._spm_outlet_today() if deployment else False,
                qty=deployment.qty,
                cost=deployment.cost,
            )
        writeoffs = super().create(vals_list)
        for writeoff in writeoffs:
            writeoff.deployment_id._spm_set_removed(
                self.env._(
                    "Written off by %(user)s: %(cost)s. %(reason)s",
                    user=writeoff.user_id.name,
                    cost=writeoff._spm_format_cost(),
                    reason=writeoff.reason,
                )
            )
        return writeoffs

    def _spm_format_cost(self):
        self.ensure_one()
        return self.currency_id.format(self.cost) if self.currency_id else str(self.cost)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise AccessError(self.env._("POP write-offs are an audit trail: they cannot be deleted."))
