"""Base class for the end-to-end tests.

Odoo tags test classes only inside ``odoo.addons.*``; these live outside any
addon, so they carry the attributes Odoo's test case expects themselves."""

import json
import os
from datetime import timedelta

import odoo.http
import odoo.service.server
from odoo.tests import HttpCase, TransactionCase

from odoo.addons.sales_process_mgmt.tests.common import customer_invoice


class EndToEndCase(TransactionCase):
    test_tags = {"standard", "post_install", "e2e"}
    test_module = "sales_process_mgmt_e2e"
    test_class = "EndToEndCase"
    test_sequence = 0

    def _posted_invoice(self, customer, rep, amount, *, today, overdue_days, term_days=30):
        """A posted customer invoice of ``amount``, ``overdue_days`` past its due date,
        with its collection task created by the scheduler."""
        due = today - timedelta(days=overdue_days)
        invoice = customer_invoice(
            self.env, customer, amount, due, user=rep, invoice_date=due - timedelta(days=term_days)
        )
        self.env["spm.collection.task"]._cron_refresh_tasks()
        return invoice


def serve_http():
    """Odoo's HTTP server in this process, started once for the session (pytest-odoo
    starts none unless asked, on a random port). Port: ``SPM_E2E_HTTP_PORT`` (``make
    test`` sets it next to its Odoo port), else any free one."""
    if odoo.service.server.server is not None and odoo.service.server.server.httpd:
        return
    odoo.tools.config["http_interface"] = "127.0.0.1"
    odoo.tools.config["http_port"] = int(os.environ.get("SPM_E2E_HTTP_PORT") or 0)
    odoo.service.server.load_server_wide_modules()
    server = odoo.service.server.ThreadedServer(odoo.http.root)
    server.http_spawn()
    odoo.service.server.server = server


class HttpEndToEndCase(HttpCase):
    """An end-to-end test that talks to Odoo over HTTP, as a browser or an RPC client
    does. Requests run in the test's transaction (Odoo's test cursor), so the test sees
    what they wrote and everything is rolled back afterwards."""

    test_tags = {"standard", "post_install", "e2e"}
    test_module = "sales_process_mgmt_e2e"
    test_class = "HttpEndToEndCase"
    test_sequence = 0

    @classmethod
    def setUpClass(cls):
        serve_http()
        super().setUpClass()

    def setUp(self):
        super().setUp()
        # Odoo's runner marks the running test, which its test cursor checks;
        # pytest-odoo does so from Odoo 19 on only.
        odoo.modules.module.current_test = self
        self.addCleanup(setattr, odoo.modules.module, "current_test", None)

    def jsonrpc(self, route, params):
        """The JSON-RPC answer of ``route``: ``{"result": …}`` or ``{"error": …}``."""
        self.env.flush_all()
        response = self.url_open(
            route,
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
            timeout=60,
        )
        response.raise_for_status()
        self.env.invalidate_all()
        return response.json()

    def rpc_login(self, login, password):
        answer = self.jsonrpc(
            "/web/session/authenticate",
            {"db": self.env.cr.dbname, "login": login, "password": password},
        )
        self.assertIn("result", answer, f"{login} cannot log in: {answer.get('error')}")
        return answer["result"]["uid"]

    def call_kw(self, model, method, args, kwargs=None):
        return self.jsonrpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        )
