"""Leak control (防止带走客户): reps read the customer book but cannot export it; sales
managers and users without sales rights export as in Odoo, and every export of the
customer book, refused ones included, is logged in an append-only log that only sales
managers read."""

import contextlib
import csv
import io
import json

from odoo import Command, http
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tests.common import JsonRpcException
from odoo.tools import mute_logger

from .common import SpmCommon

GUARDED = {
    "res.partner",
    "spm.competitor.product",
    "spm.pr.record",
    "spm.sellout.report",
    "spm.sellout.ledger",
}
EXPORT = "base.group_allow_export"
# the /json route answers a browser's navigation only (CSRF)
BROWSER_NAVIGATION = {
    "Sec-Fetch-Dest": "document",
    "Sec-Fetch-Mode": "navigate",
    "Sec-Fetch-Site": "none",
    "Sec-Fetch-User": "?1",
}


class SpmExportCommon(SpmCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_manager = cls._new_user(
            "spm_other_manager", "sales_team.group_sale_manager", cls.other_company
        )
        cls.accountant = cls._new_user(
            "spm_accountant", "account.group_account_invoice", cls.company
        )
        export = cls.env.ref(EXPORT)
        users = cls.rep | cls.rep_colleague | cls.manager | cls.other_rep | cls.other_manager
        (users | cls.accountant).write({"groups_id": [Command.link(export.id)]})
        cls.shop = cls.env["res.partner"].create(
            {"name": "Xinhua Phone Shop", "is_company": True, "phone": "021-5555 0101"}
        )
        cls.customers = cls.dealer | cls.shop
        cls.Log = cls.env["spm.export.log"]

    def _logs(self, **values):
        """The log lines written so far (the queued ones are written first)."""
        self.env.cr.flush()
        domain = [(field, "=", value) for field, value in values.items()]
        return self.Log.search(domain)

    def _export(self, user, records, columns):
        return records.with_user(user).export_data(columns)["datas"]


@tagged("post_install", "-at_install")
class TestExportControl(SpmExportCommon):
    def test_the_customer_book_is_guarded(self):
        guarded = {name for name in self.env.registry if self.env[name]._spm_export_guard}
        self.assertEqual(guarded, GUARDED)

    def test_a_rep_reads_customers_but_cannot_export_them(self):
        customers = self.customers.with_user(self.rep)
        self.assertEqual(customers.read(["phone"])[1]["phone"], "021-5555 0101")
        with self.assertRaisesRegex(AccessError, "Only a sales manager exports Contact"):
            customers.export_data(["name", "phone"])

    def test_a_rep_cannot_export_the_archives(self):
        self.env["spm.competitor.product"].create(
            {"name": "Phone X", "competitor_id": self.shop.id}
        )
        self.env["spm.pr.record"].create({"organisation": "Press Office"})
        for model in sorted(GUARDED - {"res.partner"}):
            records = self.env[model].with_user(self.rep).search([])
            with self.subTest(model=model), self.assertRaisesRegex(AccessError, "sales manager"):
                records.export_data(["display_name"])

    def test_a_rep_cannot_export_customer_columns_of_another_model(self):
        order = self.env["sale.order"].create({"partner_id": self.shop.id, "user_id": self.rep.id})
        order = order.with_user(self.rep)
        for column in (
            "partner_id/phone",
            "partner_id/child_ids/email",
            "order_line/order_partner_id/street",
        ):
            with self.subTest(column=column), self.assertRaisesRegex(AccessError, "Contact"):
                order.export_data(["name", column])

    def test_a_rep_exports_the_customer_name_of_his_orders(self):
        order = self.env["sale.order"].create({"partner_id": self.shop.id, "user_id": self.rep.id})
        rows = self._export(
            self.rep, order, ["name", "partner_id", "partner_id/id", "partner_id/name"]
        )
        self.assertEqual(rows[0][0], order.name)
        self.assertEqual(rows[0][1], "Xinhua Phone Shop")
        self.assertFalse(self._logs())

    def test_a_rep_exports_what_is_not_the_customer_book(self):
        rows = self._export(self.rep, self.region_east | self.region_sh, ["code"])
        self.assertEqual(sorted(row[0] for row in rows), ["E", "E-SH"])
        self.assertFalse(self._logs())

    def test_a_rep_colleague_is_refused_too(self):
        with self.assertRaises(AccessError):
            self.customers.with_user(self.rep_colleague).export_data(["name"])

    def test_a_refused_export_is_logged(self):
        # the refusal's transaction goes on here: the line is written at its commit
        # (after a rollback it is written in a transaction of its own, see the HTTP tests)
        with contextlib.suppress(AccessError):
            self.customers.with_user(self.rep).export_data(["name", "phone"])
        log = self._logs(user_id=self.rep.id)
        self.assertEqual(len(log), 1)
        self.assertTrue(log.refused)
        self.assertEqual(log.model, "res.partner")
        self.assertEqual(log.record_count, 2)

    def _contact_book(self, user, partners):
        html, _type = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html("sales_process_mgmt.spm_contact_book_report", partners.ids)
        )
        return html.decode()

    def test_a_rep_prints_the_contact_book_of_one_customer_not_of_several(self):
        self.assertIn("Xinhua Phone Shop", self._contact_book(self.rep, self.shop))
        self.assertFalse(self._logs())
        with self.assertRaisesRegex(AccessError, "Only a sales manager exports Contact"):
            self._contact_book(self.rep, self.customers)
        log = self._logs(user_id=self.rep.id)
        self.assertEqual((log.model, log.record_count, log.refused), ("res.partner", 2, True))

    def test_a_manager_prints_the_contact_book_of_several_customers_and_it_is_logged(self):
        html = self._contact_book(self.manager, self.customers)
        self.assertIn("Xinhua Phone Shop", html)
        self.assertIn(self.dealer.name, html)
        log = self._logs(user_id=self.manager.id)
        self.assertEqual((log.record_count, log.refused), (2, False))
        self.assertEqual(log.field_names, "Contact Book")

    def test_a_manager_export_is_logged(self):
        rows = self._export(self.manager, self.customers, ["name", "phone"])
        self.assertIn(["Xinhua Phone Shop", "021-5555 0101"], rows)
        log = self._logs(user_id=self.manager.id)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.model, "res.partner")
        self.assertEqual(log.record_count, 2)
        self.assertEqual(log.field_names, "name\nphone")
        self.assertEqual(log.company_id, self.company)
        self.assertFalse(log.refused)
        self.assertTrue(log.date)

    def test_customer_columns_of_another_model_are_logged_as_the_customer_book(self):
        orders = self.env["sale.order"].create(
            [
                {"partner_id": self.shop.id},
                {"partner_id": self.shop.id},
                {"partner_id": self.dealer.id},
            ]
        )
        self._export(self.manager, orders, ["name", "partner_id/phone"])
        log = self._logs(user_id=self.manager.id)
        self.assertEqual(log.model, "res.partner")
        self.assertEqual(log.record_count, 2)  # two customers, not three orders
        self.assertEqual(log.field_names, "partner_id/phone")

    def test_exports_of_one_transaction_make_one_line(self):
        # a grouped export from the list calls export_data once per group
        self._export(self.manager, self.dealer, ["name"])
        self._export(self.manager, self.shop, ["name", "phone"])
        log = self._logs(user_id=self.manager.id)
        self.assertEqual(len(log), 1)
        self.assertEqual(log.record_count, 2)
        self.assertEqual(log.field_names, "name\nphone")

    def test_an_archive_export_is_logged_with_its_model_and_columns(self):
        product = self.env["spm.competitor.product"].create(
            {"name": "Phone X", "competitor_id": self.shop.id}
        )
        self._export(self.manager, product, ["name", "competitor_id/phone"])
        log = self._logs(user_id=self.manager.id)
        self.assertEqual((log.model, log.record_count), ("spm.competitor.product", 1))
        self.assertEqual(log.field_names, "name\ncompetitor_id/phone")

    def test_a_user_without_sales_rights_exports_as_in_odoo(self):
        rows = self._export(self.accountant, self.shop, ["name"])
        self.assertEqual(rows, [["Xinhua Phone Shop"]])
        self.assertEqual(self._logs(user_id=self.accountant.id).record_count, 1)

    def test_odoo_export_right_still_applies(self):
        self.accountant.write({"groups_id": [Command.unlink(self.env.ref(EXPORT).id)]})
        with self.assertRaisesRegex(UserError, "rights to export"):
            self.shop.with_user(self.accountant).export_data(["name"])

    def test_the_superuser_exports(self):
        self.assertEqual(self.shop.export_data(["name"])["datas"], [["Xinhua Phone Shop"]])
        self.assertEqual(self._logs(user_id=self.env.uid, model="res.partner").record_count, 1)

    def test_a_rep_cannot_read_the_log(self):
        self._export(self.manager, self.shop, ["name"])
        self._logs()
        with self.assertRaises(AccessError):
            self.Log.with_user(self.rep).search([])

    def test_a_manager_reads_the_log_of_his_companies_only(self):
        self._export(self.manager, self.shop, ["name"])
        self._export(self.other_manager, self.other_manager.partner_id, ["name"])
        self._logs()
        self.assertEqual(self.Log.with_user(self.manager).search([]).user_id, self.manager)
        self.assertEqual(
            self.Log.with_user(self.other_manager).search([]).user_id, self.other_manager
        )

    def test_nobody_creates_a_log_line(self):
        values = {
            "user_id": self.rep_colleague.id,
            "company_id": self.company.id,
            "model": "res.partner",
            "date": "2026-01-05 10:00:00",
            "record_count": 5000,
        }
        for user in (self.rep, self.manager):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.Log.with_user(user).create(values)
        with self.assertRaises(AccessError):
            self.Log.create(values)

    def test_nobody_changes_or_deletes_a_log_line(self):
        self._export(self.manager, self.customers, ["name"])
        log = self._logs()
        for who, line in (
            ("rep", log.with_user(self.rep)),
            ("manager", log.with_user(self.manager)),
        ):
            with self.subTest(who=who):
                with self.assertRaises(AccessError):
                    line.write({"record_count": 1})
                with self.assertRaises(AccessError):
                    line.unlink()
                with self.assertRaises(AccessError):
                    line.copy()
        # the superuser, as code runs, is refused by the log itself
        with self.assertRaisesRegex(AccessError, "audit trail: it cannot be changed"):
            log.write({"record_count": 1})
        with self.assertRaisesRegex(AccessError, "audit trail: its lines cannot be deleted"):
            log.unlink()
        with self.assertRaisesRegex(AccessError, "audit trail"):
            log.copy()
        self.assertEqual(log.record_count, 2)

    def test_a_manager_reads_the_log_in_his_language(self):
        self._export(self.manager, self.customers, ["name"])
        log = self._logs().with_user(self.manager)
        self.assertEqual(log.read(["model", "user_id"])[0]["user_id"][0], self.manager.id)
        self.assertIn("Contact", log.display_name)


@tagged("post_install", "-at_install")
class TestExportControlHttp(HttpCase):
    """The web client's export (CSV and Excel) and a JSON-RPC client, over HTTP."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = f"sales_team.group_sale_salesman,{EXPORT}"
        cls.rep = new_test_user(cls.env, login="spm_export_rep", groups=groups)
        cls.manager = new_test_user(
            cls.env, login="spm_export_manager", groups=f"sales_team.group_sale_manager,{EXPORT}"
        )
        cls.shop = cls.env["res.partner"].create(
            {"name": "Xinhua Phone Shop", "is_company": True, "phone": "021-5555 0101"}
        )

    def _export(self, fmt, model="res.partner", ids=None, fields=("name", "phone")):
        params = {
            "model": model,
            "fields": [{"name": name, "label": name} for name in fields],
            "ids": ids or self.shop.ids,
            "domain": [],
            "groupby": [],
            "import_compat": False,
        }
        return self.url_open(
            f"/web/export/{fmt}",
            data={"data": json.dumps(params), "csrf_token": http.Request.csrf_token(self)},
        )

    def _log(self, user):
        return self.env["spm.export.log"].search([("user_id", "=", user.id)])

    def test_a_manager_exports_customers_as_csv_and_it_is_logged(self):
        self.authenticate(self.manager.login, self.manager.login)
        response = self._export("csv")
        self.assertEqual(response.status_code, 200)
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        self.assertEqual(rows[1], ["Xinhua Phone Shop", "021-5555 0101"])
        log = self._log(self.manager)
        self.assertEqual((log.model, log.record_count, log.refused), ("res.partner", 1, False))

    @mute_logger("odoo.addons.web.controllers.export", "odoo.http")
    def test_a_rep_is_refused_the_csv_and_excel_exports_and_they_are_logged(self):
        self.authenticate(self.rep.login, self.rep.login)
        for fmt in ("csv", "xlsx"):
            with self.subTest(format=fmt):
                response = self._export(fmt)
                self.assertEqual(response.status_code, 500)
                self.assertIn("Only a sales manager exports Contact", response.text)
                self.assertNotIn("021-5555 0101", response.text)
        # the refusals' transactions were rolled back: their lines were written after
        log = self._log(self.rep)
        self.assertEqual(len(log), 2)
        self.assertEqual(set(log.mapped("refused")), {True})
        self.assertEqual(set(log.mapped("record_count")), {1})

    @mute_logger("odoo.http")
    def test_vcards_of_several_customers_are_an_export(self):
        agent = self.env["res.partner"].create({"name": "Huabei Agent", "is_company": True})
        buyer = self.env["res.partner"].create({"name": "Ms Li", "parent_id": self.shop.id})
        one_customer = ",".join(map(str, (self.shop | buyer).ids))
        several = ",".join(map(str, (self.shop | agent).ids))
        self.authenticate(self.rep.login, self.rep.login)
        response = self.url_open(f"/web/partner/vcard?partner_ids={one_customer}")
        self.assertEqual(response.status_code, 200)
        self.assertFalse(self._log(self.rep))
        response = self.url_open(f"/web/partner/vcard?partner_ids={several}")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"Xinhua", response.content)
        log = self._log(self.rep)
        self.assertEqual((log.record_count, log.refused, log.field_names), (2, True, "vCard"))
        self.authenticate(self.manager.login, self.manager.login)
        response = self.url_open(f"/web/partner/vcard?partner_ids={several}")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.headers["Content-Type"], "application/zip")
        self.assertEqual(self._log(self.manager).record_count, 2)

    def test_the_web_client_does_not_offer_reps_the_export_of_the_customer_book(self):
        self.authenticate(self.rep.login, self.rep.login)
        info = self.make_jsonrpc_request("/web/session/get_session_info", {})
        self.assertEqual(set(info["spm_export_refused_models"]), GUARDED)
        self.authenticate(self.manager.login, self.manager.login)
        info = self.make_jsonrpc_request("/web/session/get_session_info", {})
        self.assertNotIn("spm_export_refused_models", info)

    @mute_logger("odoo.http")
    def test_a_rep_is_refused_export_data_over_json_rpc(self):
        self.authenticate(self.rep.login, self.rep.login)
        with self.assertRaisesRegex(JsonRpcException, "AccessError"):
            self.make_jsonrpc_request(
                "/web/dataset/call_kw",
                {
                    "model": "res.partner",
                    "method": "export_data",
                    "args": [self.shop.ids, ["name", "phone"]],
                    "kwargs": {},
                },
            )
        self.assertTrue(self._log(self.rep).refused)

    @mute_logger("odoo.http")
    def test_a_rep_is_refused_the_json_route_on_customers(self):
        self.env["ir.config_parameter"].set_param("web.json.enabled", True)
        self.authenticate(self.rep.login, self.rep.login)
        response = self.url_open("/json/1/contacts", headers=BROWSER_NAVIGATION)
        self.assertEqual(response.status_code, 403)
        self.assertNotIn("Xinhua Phone Shop", response.text)
        log = self._log(self.rep)
        self.assertEqual(
            (log.model, log.refused, log.field_names), ("res.partner", True, "/json/1/contacts")
        )
        self.authenticate(self.manager.login, self.manager.login)
        response = self.url_open("/json/1/contacts", headers=BROWSER_NAVIGATION)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Xinhua Phone Shop", response.text)
