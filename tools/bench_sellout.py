"""The purchase/sales ledger (spm.sellout.ledger) at two sizes, to show its cost is linear.

    .venv/bin/python tools/bench_sellout.py [--sizes 100,500] [--products 100]
        [--months 12] [--rounds 5] [--fresh] [--db spm_bench_sellout]

1. Creates (once, or again with ``--fresh``) a scratch database with the addon, without
   demo data.
2. For each size, in a transaction rolled back afterwards: that many dealers and
   ``--products`` goods through the ORM, one confirmed order and one sell-out report
   through the ORM as templates, then with SQL bulk inserts (``INSERT ... SELECT`` over
   ``generate_series``) a quarterly order of every product for every dealer (lines
   delivered by no stock move: counted as ordered) and a monthly sell-out report of
   every product at every dealer for ``--months`` months.
3. Measures, alternately: one dealer's ledger over the whole period
   (``_spm_ledger``, what its PDF prints), the dealer's months by product from its
   *Ledger* button (``read_group`` with the button's domain and context) and the whole
   monthly ledger grouped by month (``read_group`` of ``spm.sellout.ledger``, what the
   pivot shows).

Prints the rows, the median and the fastest time of each, and the ratio between sizes
per report row (near 1 when the cost is linear).
"""

import argparse
import os
import sys
from datetime import date, datetime, time, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import (
    copy_rows,
    ensure_database,
    fastest,
    measure,
    median,
    open_registry,
)

PREFIX = "Sell-out bench"
FIGURES = ["opening_stock:sum", "bought_qty:sum", "sold_qty:sum", "closing_stock:sum"]


def setup(env, dealers_count, products_count, months):
    from odoo import Command  # noqa: PLC0415

    today = date.today()
    start = (today.replace(day=1) - timedelta(days=31 * (months - 1))).replace(day=1)
    dealers = env["res.partner"].create(
        [
            {"name": f"{PREFIX} dealer {i:04d}", "is_company": True, "spm_archive_type": "dealer"}
            for i in range(dealers_count)
        ]
    )
    env.cr.execute(
        "UPDATE res_partner SET create_date = %s WHERE id = ANY(%s)",
        [start - timedelta(days=30), dealers.ids],
    )
    dealers.invalidate_recordset(["create_date"])
    products = env["product.product"].create(
        [
            {
                "name": f"{PREFIX} product {i:03d}",
                "type": "consu",
                "list_price": 100.0,
                "taxes_id": [Command.clear()],
            }
            for i in range(products_count)
        ]
    )
    template = env["sale.order"].create(
        {
            "partner_id": dealers[0].id,
            "order_line": [Command.create({"product_id": products[0].id, "product_uom_qty": 1})],
        }
    )
    template.with_context(skip_procurement=True).action_confirm()
    moment = datetime.combine(start, time(2))
    visit = env["spm.visit"].create({"partner_id": dealers[0].id, "planned_start": moment})
    visit._spm_write_proof({"state": "done", "check_in_time": moment, "check_out_time": moment})
    report = env["spm.sellout.report"].create(
        {"visit_id": visit.id, "product_id": products[0].id, "qty_sold": 1, "stock_on_hand": 1}
    )
    env.flush_all()
    cr = env.cr
    cr.execute(
        """
        CREATE TEMP TABLE bench_order ON COMMIT DROP AS
        SELECT nextval('sale_order_id_seq') AS order_id, dealer AS partner_id, q,
               (%(start)s::date + (q * 3) * interval '1 month' + interval '2 hours') AS date_order
          FROM unnest(%(dealers)s::int[]) dealer,
               generate_series(0, (%(months)s - 1) / 3) q
        """,
        {"dealers": dealers.ids, "months": months, "start": start},
    )
    copy_rows(
        cr,
        "sale_order",
        {
            "id": "o.order_id",
            "name": "'SOBENCH/' || o.order_id",
            "partner_id": "o.partner_id",
            "partner_invoice_id": "o.partner_id",
            "partner_shipping_id": "o.partner_id",
            "date_order": "o.date_order",
            "access_token": "NULL",
        },
        "bench_order o, sale_order t WHERE t.id = %(template)s",
        {"template": template.id},
    )
    copy_rows(
        cr,
        "sale_order_line",
        {
            "id": "nextval('sale_order_line_id_seq')",
            "order_id": "o.order_id",
            "order_partner_id": "o.partner_id",
            "product_id": "product",
            "product_uom_qty": "30",
        },
        "bench_order o, unnest(%(products)s::int[]) product, sale_order_line t "
        "WHERE t.order_id = %(template)s",
        {"template": template.id, "products": products.ids},
    )
    copy_rows(
        cr,
        "spm_sellout_report",
        {
            "id": "nextval('spm_sellout_report_id_seq')",
            "partner_id": "dealer",
            "product_id": "product",
            "date": "(%(start)s::date + m * interval '1 month' + interval '20 days')::date",
            "qty_sold": "8 + (dealer + product + m) %% 5",
            "stock_on_hand": "(dealer * product + m) %% 25",
        },
        "unnest(%(dealers)s::int[]) dealer, unnest(%(products)s::int[]) product, "
        "generate_series(0, %(months)s - 1) m, spm_sellout_report t WHERE t.id = %(template)s "
        "AND %(start)s::date + m * interval '1 month' + interval '20 days' <= %(today)s",
        {
            "template": report.id,
            "dealers": dealers.ids,
            "products": products.ids,
            "months": months,
            "start": start,
            "today": today,
        },
    )
    cr.execute("ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE spm_sellout_report")
    return dealers, start


def run_size(env, size, args):
    dealers, start = setup(env, size, args.products, args.months)
    Ledger = env["spm.sellout.ledger"]
    one = dealers[len(dealers) // 2]
    today = date.today()
    # the dealer's button: its months by product, only its ledger computed
    action = one.action_spm_view_sellout_ledger()
    button = Ledger.with_context(**action["context"])
    variants = {
        "one dealer's ledger": lambda: Ledger._spm_ledger(one, start, today),
        "dealer's button": lambda: button.read_group(
            action["domain"], FIGURES, ["product_id", "date:month"], lazy=False
        ),
        "whole pivot by month": lambda: Ledger.read_group([], FIGURES, ["date:month"]),
    }
    env.cr.execute("SELECT COUNT(*) FROM spm_sellout_report")
    reports = env.cr.fetchone()[0]
    samples = {name: [] for name in variants}
    for round_ in range(args.rounds):
        names = list(variants)
        if round_ % 2:
            names.reverse()
        for name in names:
            env.invalidate_all()
            samples[name].append(measure(env, variants[name]))
    rows = {name: len(run()) for name, run in variants.items()}
    return reports, {
        name: (median(samples[name]), fastest(samples[name]), rows[name]) for name in variants
    }


def show(size, reports, figures):
    for name, ((ms, queries), best, rows) in figures.items():
        print(
            f"  {size:>4} dealers, {reports:>7} reports | {name:<22} {rows:>5} rows "
            f"| {ms:8.1f} ms median, {best:8.1f} ms fastest, {queries:.0f} queries",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,500")
    parser.add_argument("--products", type=int, default=100)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", default="spm_bench_sellout")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415

    ensure_database(args.db, fresh=args.fresh)
    registry = open_registry(args.db)
    results = {}
    for size in (int(size) for size in args.sizes.split(",")):
        print(
            f"[bench] {size} dealers x {args.products} products x {args.months} months...",
            flush=True,
        )
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            results[size] = run_size(env, size, args)
            cr.rollback()
        show(size, *results[size])
    print(f"[bench] median and fastest of {args.rounds} rounds")
    sizes = sorted(results)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for name in results[small][1]:
            ratio = results[large][1][name][0][0] / max(results[small][1][name][0][0], 1e-9)
            data = results[large][0] / results[small][0]
            print(
                f"  {name}: {ratio:.2f}x the time for {data:.2f}x the reports "
                f"({ratio / data:.2f} per report)"
            )


if __name__ == "__main__":
    main()
