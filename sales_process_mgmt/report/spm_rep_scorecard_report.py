from odoo import api, models


class ReportSpmRepScorecard(models.AbstractModel):
    """The printed scorecard: only of the reps and periods the printing user may see
    (a clear access error rather than a rendering error)."""

    _name = "report.sales_process_mgmt.report_spm_rep_scorecard"
    _description = "Printed Rep Scorecard"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["spm.rep.score"].browse(docids)
        docs.check_access("read")
        docs.fetch(["user_id"])
        return {"doc_ids": docids, "doc_model": "spm.rep.score", "docs": docs}
