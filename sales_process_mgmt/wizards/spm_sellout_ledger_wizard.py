from odoo import api, fields, models
from odoo.exceptions import ValidationError

LEDGER_REPORT = "report.sales_process_mgmt.report_spm_sellout_ledger"


class SpmSelloutLedgerWizard(models.TransientModel):
    """The period and customers of the purchase/sales ledger PDF (客户进销记录簿)."""

    _name = "spm.sellout.ledger.wizard"
    _inherit = ["spm.input.mixin"]
    _description = "Purchase/Sales Ledger"

    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_period()[0]
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: self._default_period()[1]
    )
    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        domain="[('parent_id', '=', False)]",
        default=lambda self: self._default_partner_ids(),
    )

    @api.model
    def _default_period(self):
        return self.env[LEDGER_REPORT]._spm_period({})

    @api.model
    def _default_partner_ids(self):
        if self.env.context.get("active_model") == "res.partner":
            partners = self.env["res.partner"].browse(self.env.context.get("active_ids"))
            return partners.commercial_partner_id.ids
        return []

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:
            if wizard.date_from > wizard.date_to:
                raise ValidationError(
                    self.env._(
                        "The ledger's period starts on %(start)s, after its end %(end)s.",
                        start=wizard.date_from,
                        end=wizard.date_to,
                    )
                )

    def action_print(self):
        self.ensure_one()
        return self.env.ref("sales_process_mgmt.spm_sellout_ledger_report").report_action(
            self.partner_ids.commercial_partner_id,
            data={
                "date_from": fields.Date.to_string(self.date_from),
                "date_to": fields.Date.to_string(self.date_to),
            },
        )
