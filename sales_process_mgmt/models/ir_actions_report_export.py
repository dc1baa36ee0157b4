from odoo import models

CONTACT_BOOK = "sales_process_mgmt.report_spm_contact_book"


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_html(self, report_ref, docids, data=None):
        # the contact book of several customers is an export (res_partner_export.py)
        if self._get_report(report_ref).report_name == CONTACT_BOOK:
            self.env["res.partner"].browse(docids)._spm_guard_copy(self.env._("Contact Book"))
        return super()._render_qweb_html(report_ref, docids, data)
