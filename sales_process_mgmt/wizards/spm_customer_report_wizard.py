from odoo import api, fields, models


class SpmCustomerReportWizard(models.AbstractModel):
    """The customers a report of the customer book is printed for (the statement, the
    purchase/sales ledger): those it is opened on, as their commercial partners."""

    _name = "spm.customer.report.wizard"
    _inherit = ["spm.input.mixin"]
    _description = "Customer Report Wizard"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        domain="[('parent_id', '=', False)]",
        default=lambda self: self._default_partner_ids(),
    )

    @api.model
    def _default_partner_ids(self):
        if self.env.context.get("active_model") == "res.partner":
            partners = self.env["res.partner"].browse(self.env.context.get("active_ids"))
            return partners.commercial_partner_id.ids
        return []
