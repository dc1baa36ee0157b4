"""Benchmark of the on-time delivery report (送货: on-time rate per rep, customer, month).

    .venv/bin/python tools/bench_delivery.py [--sizes 20000,100000] [--db spm_bench_delivery]

1. Creates a scratch database (dropped first) with the addon, without demo data, and
   through the ORM: 20 reps, 500 customers, a stocked product and one delivery made as
   Odoo makes it (order confirmed, picking validated), the model of the others.
2. For each size N: N done deliveries copied from that one with one SQL
   ``INSERT ... SELECT`` over ``generate_series`` (the ORM would take hours): spread over
   the reps, the customers and 24 months, promised 0-4 days after or before they were
   done, so that about one in five is late; the deliveries of the previous size are
   deleted first.
3. Reads the report as a sales manager, as its pivot does: grouped by rep and month, by
   customer, and the total, each read five times (the median is printed), and prints
   the time per 1,000 deliveries.

The report is linear when the time per 1,000 deliveries stays the same whatever N.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import ensure_database, median, open_registry

from odoo import SUPERUSER_ID, Command, api
from odoo.tools import SQL

REPS = 20
CUSTOMERS = 500
MONTHS = 24
READS = 5
MEASURES = ["picking_count:sum", "on_time_count:sum", "on_time_rate"]
GROUPINGS = {
    "rep, month": ["user_id", "date:month"],
    "customer": ["partner_id"],
    "total": [],
}


def env_of(cr, uid=SUPERUSER_ID):
    return api.Environment(cr, uid, {})


def prepare(registry):
    """Reps, customers, a manager and the model delivery (once). Returns their ids."""
    with registry.cursor() as cr:
        env = env_of(cr)
        Users = env["res.users"].with_context(no_reset_password=True)
        salesman = env.ref("sales_team.group_sale_salesman")
        reps = Users.create(
            [
                {
                    "name": f"Bench rep {i:02d}",
                    "login": f"bench_delivery_rep_{i:02d}",
                    "groups_id": [Command.set(salesman.ids)],
                }
                for i in range(REPS)
            ]
        )
        manager = Users.create(
            {
                "name": "Bench delivery manager",
                "login": "bench_delivery_manager",
                "groups_id": [Command.set(env.ref("sales_team.group_sale_manager").ids)],
            }
        )
        customers = env["res.partner"].create(
            [
                {"name": f"Bench dealer {i:03d}", "is_company": True, "user_id": reps[i % REPS].id}
                for i in range(CUSTOMERS)
            ]
        )
        product = env["product.product"].create(
            {"name": "Bench router", "type": "consu", "is_storable": True, "list_price": 400}
        )
        warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        env["stock.quant"]._update_available_quantity(product, warehouse.lot_stock_id, 10)
        order = env["sale.order"].create(
            {
                "partner_id": customers[0].id,
                "user_id": reps[0].id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 1})],
            }
        )
        order.action_confirm()
        order.picking_ids.button_validate()
        return {
            "reps": reps.ids,
            "customers": customers.ids,
            "manager": manager.id,
            "model": order.picking_ids.id,
        }


def generate(registry, people, count):
    """``count`` done deliveries copied from the model one (see the module docstring)."""
    with registry.cursor() as cr:
        cr.execute(SQL("DELETE FROM stock_picking WHERE id != %s", people["model"]))
        cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'stock_picking' AND column_name != 'id'"
        )
        columns = [name for [name] in cr.fetchall()]
        overrides = {
            "name": SQL("'BENCH/OUT/' || n"),
            "partner_id": SQL("(%s::int[])[1 + mod(n, %s)]", people["customers"], CUSTOMERS),
            "spm_user_id": SQL("(%s::int[])[1 + mod(n, %s)]", people["reps"], REPS),
            "date_done": SQL("now() - make_interval(days => mod(n, %s * 30)::int)", MONTHS),
            "scheduled_date": SQL("now() - make_interval(days => mod(n, %s * 30)::int)", MONTHS),
            # promised between 4 days before and 16 days after it was done: 1 in 5 late
            "spm_promised_date": SQL(
                "now() - make_interval(days => mod(n, %s * 30)::int)"
                " + make_interval(days => (mod(n, 21) - 4)::int)",
                MONTHS,
            ),
            "spm_on_time": SQL("mod(n, 21) >= 4"),
            "state": SQL("'done'"),
        }
        select = SQL(", ").join(
            overrides.get(name, SQL.identifier("picking", name)) for name in columns
        )
        cr.execute(
            SQL(
                "INSERT INTO stock_picking (%s) SELECT %s FROM stock_picking picking, "
                "generate_series(1, %s) n WHERE picking.id = %s",
                SQL(", ").join(SQL.identifier(name) for name in columns),
                select,
                count - 1,
                people["model"],
            )
        )
        cr.execute("ANALYZE stock_picking")


def read_report(registry, people):
    """{grouping: (median ms, rows)} of the report read as the manager."""
    figures = {}
    with registry.cursor() as cr:
        env = env_of(cr, people["manager"])
        Report = env["spm.delivery.report"]
        for name, groupby in GROUPINGS.items():
            samples, rows = [], []
            for _i in range(READS):
                start = time.perf_counter()
                rows = Report.read_group([], MEASURES, groupby, lazy=False)
                samples.append((time.perf_counter() - start, 0))
            figures[name] = (median(samples)[0], len(rows), rows)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="20000,100000", help="numbers of deliveries")
    parser.add_argument("--db", default="spm_bench_delivery")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    print(f"[bench] installing the addon into scratch database {args.db}", flush=True)
    ensure_database(args.db, fresh=True)
    registry = open_registry(args.db)
    people = prepare(registry)

    results = []
    for size in sizes:
        generate(registry, people, size)
        figures = read_report(registry, people)
        total = figures["total"][2][0]
        print(
            f"[bench] {size:>7} deliveries: {total['picking_count']} in the report, "
            f"on-time rate {total['on_time_rate']:.1f} %",
            flush=True,
        )
        results.append((size, figures))
    print("[bench] deliveries  grouping      rows   median ms  ms per 1,000 deliveries")
    for size, figures in results:
        for name, (ms, rows, __) in figures.items():
            print(
                f"[bench] {size:>10}  {name:<12} {rows:>5}  {ms:>10.1f}  {ms / size * 1000:>10.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
