from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.spm_collection_receipt import chinese_capital_amount
from .common_field_collection import SpmFieldCollectionCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-03-10 02:00:00")
class TestFieldCollectionReceiptReport(SpmFieldCollectionCommon):
    def test_capital_amounts(self):
        cases = {
            1234.5: "壹仟贰佰叁拾肆元伍角整",
            1203.0: "壹仟贰佰零叁元整",
            100000.0: "壹拾万元整",
            10005.07: "壹万零伍元零柒分",
            120000000.0: "壹亿贰仟万元整",
            0.3: "叁角整",
        }
        for amount, words in cases.items():
            with self.subTest(amount=amount):
                self.assertEqual(chinese_capital_amount(amount), words)

    def test_receipt_renders_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.rep.lang = "zh_CN"
        cny = self.setup_other_currency("CNY", rates=[("2016-01-01", 7.0)])
        self.customer.name = "恒达通讯"
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": self.customer.id,
                "currency_id": cny.id,
                "invoice_user_id": self.rep.id,
                "invoice_date": "2026-01-02",
                "invoice_date_due": "2026-02-01",
                "invoice_payment_term_id": False,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "手机", "quantity": 1, "price_unit": 1234.5, "tax_ids": []}
                    )
                ],
            }
        )
        move.action_post()
        task = self.Task._create_for_moves(move)
        receipt = self._receive(task, 1234.5, reference="WX-1")
        report = self.env.ref("sales_process_mgmt.spm_collection_receipt_report")
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(self.rep)
            .with_context(lang="zh_CN")
            ._render_qweb_html(report, receipt.ids)
        )
        html = html.decode()
        self.assertIn("恒达通讯", html)
        self.assertIn("壹仟贰佰叁拾肆元伍角整", html)
        self.assertIn("WX-1", html)
        self.assertIn(move.name, html)
        # The print action itself: under test Odoo gives the HTML wkhtmltopdf would print
        # (wkhtmltopdf fetches the report's styles from the server running the tests).
        printed, kind = (
            self.env["ir.actions.report"]
            .with_user(self.rep)
            .with_context(lang="zh_CN")
            ._render_qweb_pdf(report, receipt.ids)
        )
        self.assertEqual(kind, "html")
        self.assertIn("壹仟贰佰叁拾肆元伍角整", printed.decode())

    def test_amount_in_words_of_other_currencies_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        _move, task = self._open_task(2000.0)
        receipt = self._receive(task, 1203.5)
        usd = self.env.ref("base.USD")
        self.assertEqual(receipt.currency_id, usd)
        chinese = receipt.with_context(lang="zh_CN")
        self.assertEqual(chinese._amount_in_words(), "USD 壹仟贰佰零叁元伍角整")
        # Odoo's own words elsewhere
        english = receipt.with_context(lang="en_US")._amount_in_words()
        self.assertIn("One Thousand, Two Hundred And Three", english)

    def test_receipt_is_sent_to_the_customer(self):
        self.customer.email = "finance@hengda.example.com"
        _move, task = self._open_task(1000.0)
        receipt = self._receive(task, 400.0)
        action = receipt.with_user(self.rep).action_send_receipt()
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.rep)
            .with_context(**action["context"])
            .create({})
        )
        self.assertEqual(composer.partner_ids, self.customer)
        self.assertEqual(len(composer.attachment_ids), 1)
        composer.action_send_mail()
        self.assertIn(self.customer, receipt.message_ids[0].partner_ids)

    def test_no_receipt_for_refused_money(self):
        _move, task = self._open_task(1000.0)
        receipt = self._receive(task, 400.0)
        receipt.with_user(self.finance)._refuse("Nothing arrived on the account")
        report = self.env.ref("sales_process_mgmt.spm_collection_receipt_report")
        message = "was refused by finance: the money was not accepted"
        for render in ("_render_qweb_html", "_render_qweb_pdf"):
            with (
                self.subTest(render=render),
                self.assertRaisesRegex(UserError, message),
                self.cr.savepoint(),
            ):
                getattr(self.env["ir.actions.report"].with_user(self.rep), render)(
                    report, receipt.ids
                )
        with self.assertRaisesRegex(UserError, message):
            receipt.with_user(self.rep).action_send_receipt()
