from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_visit import SpmVisitCommon


@tagged("post_install", "-at_install")
class TestVisitLogBook(SpmVisitCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._done_visit(start=datetime(2026, 3, 2, 2, 0), customer_feedback="Wants faster delivery")
        cls._done_visit(start=datetime(2026, 1, 5, 2, 0), customer_feedback="Old visit")
        cls._visit(start=datetime(2026, 3, 3, 2, 0), objective="Still planned")

    def _wizard(self, **vals):
        return (
            self.env["spm.visit.log.wizard"]
            .with_user(self.rep)
            .with_context(active_model="res.partner", active_id=self.customer.id)
            .create({"date_from": date(2026, 3, 1), "date_to": date(2026, 3, 31), **vals})
        )

    def _render(self, wizard):
        html, _ = self.env["ir.actions.report"]._render_qweb_html(
            "sales_process_mgmt.report_spm_visit_log", wizard.ids
        )
        return html.decode()

    def test_log_book_lists_the_visits_of_the_period(self):
        wizard = self._wizard()
        self.assertEqual(wizard.partner_id, self.customer)
        html = self._render(wizard)
        self.assertIn("Visit Log Book", html)
        self.assertIn("Nanjing Road Outlet", html)
        self.assertIn("Wants faster delivery", html)
        self.assertNotIn("Old visit", html)
        self.assertNotIn("Still planned", html)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], "sales_process_mgmt.report_spm_visit_log")

    def test_log_book_is_in_chinese_for_a_chinese_user(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_process_mgmt"], ["zh_CN"], overwrite=True
        )
        self.rep.lang = "zh_CN"
        html = self._render(self._wizard())
        self.assertIn("客户拜访记录簿", html)
        self.assertIn("Wants faster delivery", html)

    def test_period_must_be_in_order(self):
        with self.assertRaisesRegex(ValidationError, "must start before it ends"):
            self._wizard(date_from=date(2026, 4, 1))
