"""Benchmark of the discount policy: confirm N orders of M lines without and with the
policy (floor and budget) in one run, and print the times and the overhead ratio.

    .venv/bin/python tools/bench_discount.py [--db spm_bench_discount] [--orders 1000]
                                             [--lines 20] [--batch 100]

Works in its own scratch database (created with the addon, without demo data, on the
first run). Everything the benchmark creates is rolled back at the end.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import ensure_database, measure, open_registry

import odoo
from odoo import Command


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="spm_bench_discount")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--lines", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100, help="orders confirmed per call")
    return parser.parse_args()


def setup_data(env, lines):
    company = env.company
    env["spm.discount.policy"].search([]).active = False
    # Lines differ in product, category and quantity (see bench notes in README.rst).
    categories = env["product.category"].create([{"name": f"Bench category {i}"} for i in range(3)])
    products = env["product.product"].create(
        [
            {
                "name": f"Bench product {i}",
                "type": "consu",
                "categ_id": categories[i % 3].id,
                "list_price": 100.0 + i,
                "standard_price": 50.0 + i % 7,
                "taxes_id": [Command.clear()],
            }
            for i in range(lines)
        ]
    )
    pricelist = env["product.pricelist"].create(
        {
            "name": "Bench",
            "currency_id": company.currency_id.id,
            # A quantity break, so that lines of different quantities get different rules.
            "item_ids": [
                Command.create(
                    {
                        "applied_on": "3_global",
                        "min_quantity": 5,
                        "compute_price": "percentage",
                        "percent_price": 2.0,
                    }
                )
            ],
        }
    )
    partner = env["res.partner"].create({"name": "Bench customer"})
    rep = env["res.users"].create(
        {
            "name": "Bench rep",
            "login": "bench_discount_rep",
            "groups_id": [Command.set([env.ref("sales_team.group_sale_salesman").id])],
        }
    )
    policy = env["spm.discount.policy"].create(
        {
            "name": "Bench policy",
            "active": False,
            "floor_discount_enabled": True,
            "max_discount": 20.0,
            "floor_line_ids": [
                Command.create(
                    {"product_tmpl_id": products[0].product_tmpl_id.id, "max_discount": 15.0}
                ),
                Command.create({"categ_id": products[1].categ_id.id, "max_discount": 18.0}),
            ],
            "floor_margin_enabled": True,
            "min_margin": 5.0,
            "budget_enabled": True,
            "budget_default_amount": 1e12,
        }
    )
    return products, pricelist, partner, rep, policy


def create_orders(env, count, data):
    products, pricelist, partner, rep, __ = data
    orders = env["sale.order"]
    for start in range(0, count, 100):
        orders |= env["sale.order"].create(
            [
                {
                    "partner_id": partner.id,
                    "user_id": rep.id,
                    "pricelist_id": pricelist.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": product.id,
                                "product_uom_qty": 1 + i,
                                "discount": 5.0,
                            }
                        )
                        for i, product in enumerate(products)
                    ],
                }
                for __ in range(start, min(count, start + 100))
            ]
        )
        env.flush_all()
    return orders


def confirm(env, orders, policy, policy_on):
    policy.active = policy_on
    env.flush_all()
    env.invalidate_all()
    return measure(env, orders.action_confirm)


def main():
    args = parse_args()
    ensure_database(args.db)
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": False})
        print(f"Creating 2 x {args.orders} orders of {args.lines} lines...", flush=True)
        t0 = time.perf_counter()
        data = setup_data(env, args.lines)
        policy = data[-1]
        off_orders = create_orders(env, args.orders, data)
        on_orders = create_orders(env, args.orders, data)
        print(f"  created in {time.perf_counter() - t0:.1f} s", flush=True)
        # Interleave the batches so that both modes see the same cache and disk state.
        totals = {False: [0.0, 0], True: [0.0, 0]}
        for start in range(0, args.orders, args.batch):
            for policy_on, orders in ((False, off_orders), (True, on_orders)):
                seconds, queries = confirm(
                    env, orders[start : start + args.batch], policy, policy_on
                )
                totals[policy_on][0] += seconds
                totals[policy_on][1] += queries
        assert set(off_orders.mapped("state")) == {"sale"}
        assert set(on_orders.mapped("state")) == {"sale"}
        charged = env["spm.discount.ledger"].search_count([("order_id", "in", on_orders.ids)])
        off_s, off_q = totals[False]
        on_s, on_q = totals[True]
        print(f"Confirmed {args.orders} orders of {args.lines} lines, {args.batch} per call:")
        print(
            f"  policy off: {off_s:8.2f} s  {off_q:7d} queries  "
            f"{off_s / args.orders * 1000:6.1f} ms/order"
        )
        print(
            f"  policy on : {on_s:8.2f} s  {on_q:7d} queries  "
            f"{on_s / args.orders * 1000:6.1f} ms/order  ({charged} budget charges)"
        )
        print(f"  overhead ratio (on / off): {on_s / off_s:.2f}x time, {on_q / off_q:.2f}x queries")
        cr.rollback()


if __name__ == "__main__":
    main()
