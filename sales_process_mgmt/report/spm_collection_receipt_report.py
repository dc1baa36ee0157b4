from odoo import api, models


class ReportSpmCollectionReceipt(models.AbstractModel):
    """The receipt 收据 of money received in the field: never of money finance refused,
    whichever way it is printed (the button, the Print menu, an RPC client)."""

    _name = "report.sales_process_mgmt.spm_collection_receipt_document"
    _description = "Receipt PDF"

    @api.model
    def _get_report_values(self, docids, data=None):
        receipts = self.env["spm.collection.receipt"].browse(docids)
        receipts._check_issuable()
        return {"doc_ids": receipts.ids, "doc_model": receipts._name, "docs": receipts}
