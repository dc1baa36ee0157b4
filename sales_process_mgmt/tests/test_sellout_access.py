from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .common_sellout import SpmSelloutCommon


@tagged("post_install", "-at_install")
class TestSelloutAccess(SpmSelloutCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with freeze_time("2026-03-02 02:00:00"):
            order = cls._order({cls.phone: 30}, datetime(2026, 3, 2, 2, 0))
            cls._deliver(order.picking_ids, {cls.phone: 30}, datetime(2026, 3, 2, 2, 0))
            cls.visit = cls._count(datetime(2026, 3, 2, 3, 0), {cls.phone: (5, 25)})
        cls.report = cls.visit.sellout_report_ids

    def test_a_rep_sees_own_reports_only(self):
        self.assertEqual(self.Report.with_user(self.rep).search([]), self.report)
        self.assertFalse(self.Report.with_user(self.rep_colleague).search([]))
        with self.assertRaises(AccessError):
            self.report.with_user(self.rep_colleague).read(["qty_sold"])

    def test_a_manager_sees_and_corrects_all(self):
        self.assertIn(self.report, self.Report.with_user(self.manager).search([]))
        self.report.with_user(self.manager).qty_sold = 6
        self.assertEqual(self.report.qty_sold, 6)

    def test_another_company_sees_nothing(self):
        self.assertFalse(self.Report.with_user(self.other_rep).search([]))
        self.assertFalse(self.Ledger.with_user(self.other_rep).search([]))
        with self.assertRaises(AccessError):
            self.report.with_user(self.other_rep).read(["qty_sold"])

    @freeze_time("2026-03-10 04:00:00")
    def test_the_sales_team_reads_the_ledger_of_the_company(self):
        rows = self.Ledger.with_user(self.rep_colleague).search([("partner_id", "=", self.shop.id)])
        self.assertEqual(rows.mapped("closing_stock"), [25.0])
        with self.assertRaises(AccessError):
            rows.with_user(self.rep_colleague).write({"sold_qty": 1})

    def test_the_customer_form_counts_the_reports(self):
        self.assertEqual(self.shop.with_user(self.rep).spm_sellout_report_count, 1)
        action = self.shop.with_user(self.rep).action_spm_view_sellout_ledger()
        self.assertEqual(action["res_model"], "spm.sellout.ledger")
        self.assertEqual(action["domain"], [("partner_id", "=", self.shop.id)])

    @freeze_time("2026-03-10 04:00:00")
    def test_the_ledger_pdf_is_in_the_language_of_who_prints_it(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.manager.lang = "zh_CN"
        Report = self.env["ir.actions.report"].with_user(self.manager)
        html, __ = Report._render_qweb_html(
            "sales_process_mgmt.report_spm_sellout_ledger",
            self.shop.ids,
            data={"date_from": "2026-03-01", "date_to": "2026-03-10"},
        )
        html = html.decode()
        self.assertIn("2026年03月01日", html)
        self.assertIn("Phone S1", html)
        self.assertIn("25.00", html)

    @freeze_time("2026-03-10 04:00:00")
    def test_the_ledger_wizard_asks_the_period_and_prints_it(self):
        Wizard = (
            self.env["spm.sellout.ledger.wizard"]
            .with_user(self.rep)
            .with_context(active_model="res.partner", active_ids=self.shop.ids)
        )
        with Form(Wizard) as form:
            # by default the last three months up to today, for the customer it is opened on
            self.assertEqual(form.date_from, date(2026, 1, 1))
            self.assertEqual(form.date_to, date(2026, 3, 10))
            self.assertEqual(form.partner_ids[:], self.shop)
            form.date_from = date(2026, 3, 1)
        action = form.record.action_print()
        self.assertEqual(action["report_name"], "sales_process_mgmt.report_spm_sellout_ledger")
        self.assertEqual(action["data"], {"date_from": "2026-03-01", "date_to": "2026-03-10"})
        html, __ = (
            self.env["ir.actions.report"]
            .with_user(self.rep)
            ._render_qweb_html(
                action["report_name"], action["context"]["active_ids"], action["data"]
            )
        )
        self.assertIn("25.00", html.decode())

    def test_the_ledger_wizard_refuses_a_period_ending_before_it_starts(self):
        with self.assertRaisesRegex(
            ValidationError, "starts on 2026-03-10, after its end 2026-03-01"
        ):
            self.env["spm.sellout.ledger.wizard"].with_user(self.rep).create(
                {
                    "date_from": "2026-03-10",
                    "date_to": "2026-03-01",
                    "partner_ids": [Command.set(self.shop.ids)],
                }
            )
        with self.assertRaisesRegex(ValidationError, "From"):
            self.env["spm.sellout.ledger.wizard"].with_user(self.rep).create(
                {"date_from": "March", "partner_ids": [Command.set(self.shop.ids)]}
            )
