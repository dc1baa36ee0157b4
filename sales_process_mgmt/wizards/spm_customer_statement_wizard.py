from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class SpmCustomerStatementWizard(models.TransientModel):
    _name = "spm.customer.statement.wizard"
    _inherit = ["spm.customer.report.wizard"]
    _description = "Customer Statement"

    month = fields.Date(
        required=True,
        default=lambda self: self._default_month(),
        help="Any day of the month; the statement covers the whole month.",
    )

    @api.model
    def _default_month(self):
        return fields.Date.context_today(self).replace(day=1) - relativedelta(months=1)

    def action_print(self):
        self.ensure_one()
        return self.env.ref("sales_process_mgmt.spm_customer_statement_report").report_action(
            self.partner_ids.commercial_partner_id,
            data={"month": fields.Date.to_string(self.month.replace(day=1))},
        )
