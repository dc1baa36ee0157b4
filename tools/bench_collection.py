"""Benchmark of the collection feature (送货收款), printed as figures.

    .venv/bin/python tools/bench_collection.py [--invoices 100000] [--db spm_bench_collection]

1. Creates a scratch database (dropped first) with the addon, without demo data.
2. Posts one customer invoice through the ORM, then copies it with SQL bulk inserts
   (account_move + account_move_line, INSERT ... SELECT over generate_series) into
   N open, posted invoices spread over 500 customers, with due dates from 120 days
   ago to 5 days ahead. Posting 100,000 invoices through the ORM would take hours;
   the copies carry the same lines, amounts and residuals as the ORM-posted one.
3. Runs the task scheduler batch after batch (committing like the scheduler does)
   until nothing remains, then once more to show it is idempotent, and prints the
   time and the number of SQL queries.
4. Confirms 50-line orders of a customer with hundreds of open invoices, alternately
   with the credit hold check and with the check disabled (plain confirmation), and
   prints the median time and queries of both and the overhead.
"""

import argparse
import os
import statistics
import sys
import time
from unittest import mock

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import copy_rows, ensure_database, open_registry

from odoo import SUPERUSER_ID, Command, api, fields

CUSTOMERS = 500


def generate_invoices(env, count):
    company = env.company
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    partners = env["res.partner"].create(
        [
            {"name": f"Bench customer {i:03d}", "is_company": True, "spm_payday": str(i % 28 + 1)}
            for i in range(CUSTOMERS)
        ]
    )
    template = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": partners[0].id,
            "invoice_date": fields.Date.today(),
            "invoice_date_due": fields.Date.today(),
            "invoice_payment_term_id": False,
            "invoice_line_ids": [
                Command.create({"name": "Handsets", "quantity": 2, "price_unit": 500.0}),
                Command.create({"name": "Accessories", "quantity": 5, "price_unit": 40.0}),
            ],
        }
    )
    template.action_post()
    env.flush_all()
    cr = env.cr
    cr.execute(
        """
        CREATE TEMP TABLE bench_map AS
        SELECT n, nextval('account_move_id_seq') AS move_id,
               (%(partners)s::int[])[1 + n %% %(customers)s] AS partner_id,
               CASE WHEN n %% %(customers)s = 0 THEN CURRENT_DATE + 3
                    ELSE CURRENT_DATE - (n %% 126) + 5 END AS due
          FROM generate_series(1, %(count)s) n
        """,
        {"partners": partners.ids, "customers": CUSTOMERS, "count": count},
    )
    overrides = {
        "id": "m.move_id",
        "name": "'BENCH/' || lpad(m.n::text, 7, '0')",
        "sequence_prefix": "'BENCH/'",
        "sequence_number": "m.n",
        "partner_id": "m.partner_id",
        "commercial_partner_id": "m.partner_id",
        "partner_shipping_id": "m.partner_id",
        "invoice_date_due": "m.due",
        "invoice_date": "m.due - 30",
        "date": "m.due - 30",
        "payment_reference": "'BENCH/' || lpad(m.n::text, 7, '0')",
        "access_token": "NULL",
    }
    copy_rows(
        cr, "account_move", overrides, "bench_map m, account_move t WHERE t.id = %s", [template.id]
    )
    line_overrides = {
        "id": "nextval('account_move_line_id_seq')",
        "move_id": "m.move_id",
        "partner_id": "m.partner_id",
        "date": "m.due - 30",
        "invoice_date": "m.due - 30",
        "date_maturity": "CASE WHEN t.date_maturity IS NULL THEN NULL ELSE m.due END",
        "move_name": "'BENCH/' || lpad(m.n::text, 7, '0')",
    }
    copy_rows(
        cr,
        "account_move_line",
        line_overrides,
        "bench_map m, account_move_line t WHERE t.move_id = %s",
        [template.id],
    )
    cr.execute("ANALYZE account_move; ANALYZE account_move_line")
    cr.commit()
    env.invalidate_all()
    return partners


def run_cron(registry, env_factory):
    queries = 0
    batches = 0
    created = 0
    start = time.perf_counter()
    # As the scheduler runs it: one call per batch, each in its own transaction with its
    # progress record, until nothing remains.
    while True:
        with registry.cursor() as cr:
            env = env_factory(cr)
            before = cr.sql_log_count
            _cron, progress = env.ref(
                "sales_process_mgmt.ir_cron_spm_refresh_tasks"
            )._add_progress()
            tasks = env["spm.collection.task"].with_context(ir_cron_progress_id=progress.id)
            result = tasks._cron_refresh_tasks()
            queries += cr.sql_log_count - before
        batches += 1
        created += result["created"]
        if not result["remaining"]:
            break
    return time.perf_counter() - start, queries, batches, created


def bench_confirm(env, partner, rounds):
    env.company.account_use_credit_limit = True
    partner.credit_limit = 10**9
    product = env["product.product"].create({"name": "Bench handset", "list_price": 10.0})
    orders = env["sale.order"].create(
        [
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 1 + i % 3})
                    for i in range(50)
                ],
            }
            for _r in range(2 * rounds)
        ]
    )
    env.cr.commit()
    SaleOrder = type(env["sale.order"])
    figures = {"with hold check": [], "plain": []}
    for index, order in enumerate(orders):
        plain = index % 2 == 1
        env.invalidate_all()
        before = env.cr.sql_log_count
        start = time.perf_counter()
        if plain:
            with mock.patch.object(SaleOrder, "_spm_check_credit_hold", lambda self: True):
                order.action_confirm()
        else:
            order.action_confirm()
        env.flush_all()
        elapsed = time.perf_counter() - start
        figures["plain" if plain else "with hold check"].append(
            (elapsed, env.cr.sql_log_count - before)
        )
        env.cr.rollback()  # every confirmation starts from the same state
    # Hold check alone on a quotation
    check = []
    for order in orders[:rounds]:
        env.invalidate_all()
        before = env.cr.sql_log_count
        start = time.perf_counter()
        order._spm_check_credit_hold()
        check.append((time.perf_counter() - start, env.cr.sql_log_count - before))
    return figures, check


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=100_000)
    parser.add_argument("--db", default="spm_bench_collection")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()

    print(f"[bench] installing the addon into scratch database {args.db}", flush=True)
    ensure_database(args.db, fresh=True)
    registry = open_registry(args.db)

    def env_factory(cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    with registry.cursor() as cr:
        env = env_factory(cr)
        start = time.perf_counter()
        partners = generate_invoices(env, args.invoices)
        print(
            f"[bench] generated {args.invoices} open posted invoices for {CUSTOMERS} customers "
            f"with SQL bulk inserts in {time.perf_counter() - start:.1f} s",
            flush=True,
        )
        partner_id = partners[0].id

    elapsed, queries, batches, created = run_cron(registry, env_factory)
    print(
        f"[bench] task cron, first run: {created} tasks created in {batches} batches, "
        f"{elapsed:.1f} s, {queries} queries ({elapsed / max(created, 1) * 1000:.2f} ms/task)"
    )
    elapsed, queries, batches, created = run_cron(registry, env_factory)
    print(
        f"[bench] task cron, second run (idempotent): {created} tasks created, "
        f"{elapsed:.2f} s, {queries} queries"
    )

    with registry.cursor() as cr:
        env = env_factory(cr)
        partner = env["res.partner"].browse(partner_id)
        cr.execute(
            "SELECT COUNT(*) FROM account_move WHERE partner_id = %s AND state = 'posted'",
            [partner_id],
        )
        invoice_count = cr.fetchone()[0]
        figures, check = bench_confirm(env, partner, args.rounds)
        cr.rollback()
    medians = {
        label: (statistics.median(t for t, _q in runs), statistics.median(q for _t, q in runs))
        for label, runs in figures.items()
    }
    print(
        f"[bench] confirming a 50-line order of a customer with {invoice_count} open "
        f"invoices (median of {args.rounds} each):"
    )
    for label, (seconds, queries) in medians.items():
        print(f"[bench]   {label:16} {seconds * 1000:8.1f} ms  {queries:5.0f} queries")
    overhead_ms = (medians["with hold check"][0] - medians["plain"][0]) * 1000
    overhead_q = medians["with hold check"][1] - medians["plain"][1]
    print(f"[bench]   overhead         {overhead_ms:8.1f} ms  {overhead_q:5.0f} queries")
    print(
        f"[bench] hold check alone (cold cache): "
        f"{statistics.median(t for t, _q in check) * 1000:.1f} ms, "
        f"{statistics.median(q for _t, q in check):.0f} queries"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
