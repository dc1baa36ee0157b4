from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common_collection import SpmCollectionCommon

REPORT = "sales_process_mgmt.report_customer_statement"


@tagged("post_install", "-at_install")
class TestCustomerStatement(SpmCollectionCommon):
    """The statement of March 2026, printed on April 10th."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Statement = cls.env["report.sales_process_mgmt.report_customer_statement"]
        with freeze_time("2026-04-10"):
            # Before March: 700 over 90 days, 100 61-90 days, 50 31-60 days, 1,000 1-30 days.
            cls._invoice(700.0, "2025-12-01", invoice_date=date(2025, 11, 1))
            cls._invoice(100.0, "2026-01-15", invoice_date=date(2025, 12, 16))
            cls._invoice(50.0, "2026-02-15", invoice_date=date(2026, 1, 16))
            cls.inv_feb = cls._invoice(1000.0, "2026-03-12", invoice_date=date(2026, 2, 10))
            # March: two invoices, one credited; 400 paid on the February invoice.
            cls.inv_mar = cls._invoice(2000.0, "2026-04-04", invoice_date=date(2026, 3, 5))
            cls.inv_credited = cls._invoice(500.0, "2026-04-09", invoice_date=date(2026, 3, 10))

    def _statement(self, partners=None, month="2026-03", user=None):
        statements = self.Statement.with_user(user or self.rep)._get_statements(
            partners or self.customer, month
        )
        return statements[(partners or self.customer).commercial_partner_id[:1].id]

    def _march_moves(self):
        with freeze_time("2026-04-10"):
            self._pay(self.inv_feb, 400.0, date(2026, 3, 15))
            self._credit_note(self.inv_credited, date(2026, 3, 20))
            # After the month end: neither in March nor deducted from March's ageing.
            self._pay(self.inv_mar, 300.0, date(2026, 4, 5))

    def _render(self, partners, month="2026-03", user=None):
        html, _ = (
            self.env["ir.actions.report"]
            .with_user(user or self.rep)
            ._render_qweb_html(REPORT, partners.ids, data={"month": month})
        )
        return html.decode()

    def test_statement_arithmetic(self):
        self._march_moves()
        with freeze_time("2026-04-10"):
            statement = self._statement()
        self.assertEqual(statement["date_from"], date(2026, 3, 1))
        self.assertEqual(statement["date_to"], date(2026, 3, 31))
        self.assertEqual(statement["opening"], 1850.0)
        self.assertEqual(
            statement["totals"],
            {"invoice": 2500.0, "refund": 500.0, "payment": 400.0, "other": 0.0},
        )
        self.assertEqual(statement["closing"], 1850.0 + 2500.0 - 500.0 - 400.0)
        lines = statement["lines"]
        self.assertEqual(
            [(line["date"], line["kind"], line["debit"], line["credit"]) for line in lines],
            [
                (date(2026, 3, 5), "invoice", 2000.0, 0.0),
                (date(2026, 3, 10), "invoice", 500.0, 0.0),
                (date(2026, 3, 15), "payment", 0.0, 400.0),
                (date(2026, 3, 20), "refund", 0.0, 500.0),
            ],
        )
        self.assertEqual([line["balance"] for line in lines], [3850.0, 4350.0, 3950.0, 3450.0])
        self.assertEqual(lines[0]["number"], self.inv_mar.name)
        # April's statement starts where March's ends and has April's payment.
        april = self._statement(month="2026-04-30")
        self.assertEqual(april["opening"], 3450.0)
        self.assertEqual(april["totals"]["payment"], 300.0)

    def test_ageing_at_month_end(self):
        self._march_moves()
        statement = self._statement()
        self.assertEqual(
            statement["ageing"],
            {
                # The March invoice is not due; April's 300 is not deducted.
                "not_due": 2000.0,
                # What was left of the February invoice on March 31st.
                "1_30": 600.0,
                "31_60": 50.0,
                "61_90": 100.0,
                "over_90": 700.0,
            },
        )
        self.assertEqual(sum(statement["ageing"].values()), statement["closing"])
        # Paid in full in April: still open at the end of March.
        with freeze_time("2026-04-10"):
            self._pay(self.inv_feb, None, date(2026, 4, 8))
        self.assertEqual(self._statement()["ageing"]["1_30"], 600.0)
        april = self._statement(month="2026-04")["ageing"]
        # On April 30th: the March invoice less April's 300; the February one is paid.
        self.assertEqual(april["1_30"], 1700.0)
        self.assertEqual(april["31_60"], 0.0)

    def test_several_customers_in_one_print(self):
        other = self.env["res.partner"].create({"name": "Jincheng Mobile", "is_company": True})
        contact = self.env["res.partner"].create({"name": "Mr Wang", "parent_id": other.id})
        with freeze_time("2026-04-10"):
            self._invoice(321.0, "2026-04-20", invoice_date=date(2026, 3, 21), partner=other)
        statements = self.Statement.with_user(self.rep)._get_statements(
            self.customer | contact, "2026-03"
        )
        self.assertEqual(set(statements), {self.customer.id, other.id})
        self.assertEqual(statements[other.id]["closing"], 321.0)
        self.assertEqual(statements[self.customer.id]["totals"]["invoice"], 2500.0)
        html = self._render(self.customer | other)
        self.assertIn("Hengda Telecom", html)
        self.assertIn("Jincheng Mobile", html)
        self.assertEqual(html.count("Opening Balance"), 4)

    def test_statement_in_the_printing_users_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["sales_process_mgmt"], ["zh_CN"], overwrite=True
        )
        self.rep.lang = "zh_CN"
        self.customer.lang = "en_US"
        self._march_moves()
        html = self._render(self.customer)
        for text in ("客户对账单", "期初余额", "期末余额", "账龄", "客户签章", "贷项通知单"):
            self.assertIn(text, html)
        self.assertNotIn("Opening Balance", html)
        # The print action itself: under test Odoo gives the HTML wkhtmltopdf would print
        # (wkhtmltopdf fetches the report's styles from the server running the tests).
        printed, kind = (
            self.env["ir.actions.report"]
            .with_user(self.rep)
            ._render_qweb_pdf(REPORT, self.customer.ids, data={"month": "2026-03"})
        )
        self.assertEqual(kind, "html")
        self.assertIn("客户对账单", printed.decode())

    def test_wizard_from_the_customer_and_from_a_visit(self):
        wizard = (
            self.env["spm.customer.statement.wizard"]
            .with_user(self.rep)
            .with_context(active_model="res.partner", active_ids=self.customer.ids)
            .create({})
        )
        self.assertEqual(wizard.partner_ids, self.customer)
        self.assertEqual(wizard.month.day, 1)
        with freeze_time("2026-04-10"):
            self.assertEqual(
                self.env["spm.customer.statement.wizard"]._default_month(), date(2026, 3, 1)
            )
        wizard.month = date(2026, 3, 17)
        action = wizard.action_print()
        self.assertEqual(action["report_name"], REPORT)
        self.assertEqual(action["data"], {"month": "2026-03-01"})
        visit = self.env["spm.visit"].create(
            {
                "partner_id": self.customer.id,
                "user_id": self.rep.id,
                "planned_start": "2026-04-10 02:00:00",
            }
        )
        action = visit.with_user(self.rep).action_print_customer_statement()
        self.assertEqual(action["res_model"], "spm.customer.statement.wizard")
        self.assertEqual(action["context"], {"default_partner_ids": self.customer.ids})

    def test_access(self):
        self._march_moves()
        self.assertEqual(self._statement(user=self.manager)["closing"], 3450.0)
        self.assertIn("Hengda Telecom", self._render(self.customer, user=self.rep))
        foreign = self.env["res.partner"].create(
            {"name": "Foreign Dealer", "is_company": True, "company_id": self.other_company.id}
        )
        with self.assertRaises(AccessError):
            self._statement(foreign, user=self.rep)
        with self.assertRaises(AccessError):
            self._render(foreign, user=self.manager)
        # a rep who sees only his own documents: not a colleague's customer
        with self.assertRaisesRegex(AccessError, "statements of your own customers only"):
            self._statement(user=self.rep_colleague)

    def test_bad_input(self):
        for month in ("garbage", "2026-13", 42, ["2026-03"], True):
            with self.assertRaisesRegex(UserError, "Month: expected a month such as 2026-03"):
                self._statement(month=month)
        with self.assertRaisesRegex(ValidationError, "Month"):
            self.env["spm.customer.statement.wizard"].with_user(self.rep).create(
                {"month": "garbage", "partner_ids": self.customer.ids}
            )

    def test_query_count_does_not_grow_with_invoices(self):
        self._march_moves()
        self.env.invalidate_all()
        statements = self.Statement.with_user(self.rep)
        statements._get_statements(self.customer, "2026-03")
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        statements._get_statements(self.customer, "2026-03")
        queries = self.cr.sql_log_count - before
        with freeze_time("2026-04-10"):
            for day in range(1, 21):
                self._invoice(10.0, "2026-04-30", invoice_date=date(2026, 3, day))
        self.env.invalidate_all()
        with self.assertQueryCount(queries):
            statement = statements._get_statements(self.customer, "2026-03")[self.customer.id]
        self.assertEqual(len(statement["lines"]), 24)
