from odoo import api, fields, models

LEDGER_REPORT = "report.sales_process_mgmt.report_spm_sellout_ledger"


class SpmSelloutLedgerWizard(models.TransientModel):
    """The period and customers of the purchase/sales ledger PDF (客户进销记录簿)."""

    _name = "spm.sellout.ledger.wizard"
    _inherit = ["spm.customer.report.wizard"]
    _description = "Purchase/Sales Ledger"

    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._default_period()[0]
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: self._default_period()[1]
    )

    @api.model
    def _default_period(self):
        return self.env[LEDGER_REPORT]._spm_period({})

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for wizard in self:  # the report's own check, the one an RPC client meets
            self.env[LEDGER_REPORT]._spm_period(wizard._spm_report_data())

    def _spm_report_data(self):
        return {
            "date_from": fields.Date.to_string(self.date_from),
            "date_to": fields.Date.to_string(self.date_to),
        }

    def action_print(self):
        self.ensure_one()
        return self.env.ref("sales_process_mgmt.spm_sellout_ledger_report").report_action(
            self.partner_ids.commercial_partner_id, data=self._spm_report_data()
        )
