"""Campaign tracking (spm.promotion.report) against Odoo's sales analysis, in one run.

    .venv/bin/python tools/bench_promotion.py [--lines 500000] [--rounds 7] [--fresh]
        [--db spm_bench_promotion]

1. Creates (once, or again with ``--fresh``) a scratch database with the addon, without
   demo data, and in it 500 outlets in 10 sales regions, 50 products and 20 campaigns
   of 45 days in the last year, each with 50 outlets, 10 products, three cost lines
   and POP at each of its outlets (four in five installed, counted as its cost).
2. Confirms one order through the ORM, then copies it with SQL bulk inserts
   (``INSERT ... SELECT`` over ``generate_series``) into confirmed orders of 10 lines
   each, ``--lines`` order lines in all, of random outlets, products and quantities
   over the last 365 days, with the amounts and margins of their product's price and
   cost. Confirming that many orders through the ORM would take hours.
3. Measures, in one transaction that is rolled back, alternately and the variant
   measured first changing every round:

   - one campaign's figures: ``read_group`` of ``spm.promotion.report`` on the campaign
     against ``read_group`` of ``sale.report`` on the same order lines (its outlets,
     products and dates, confirmed orders);
   - all campaigns grouped by region: ``read_group`` of the report by region against
     ``read_group`` of ``sale.report`` on the lines of every campaign grouped by
     customer (the sales analysis knows no region).

Prints the rows each reads (the report has one row per campaign and order line: a line
in two campaigns counts twice), the median and the fastest time of each variant, and
the ratios report / sales analysis (target: at most 3).
"""

import argparse
import os
import random
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import (
    columns,
    copy_rows,
    ensure_database,
    fastest,
    measure,
    median,
    open_registry,
)

PREFIX = "Promotion bench"
REGIONS = 10
OUTLETS = 500
PRODUCTS = 50
CAMPAIGNS = 20
CAMPAIGN_OUTLETS = 50
CAMPAIGN_PRODUCTS = 10
CAMPAIGN_DAYS = 45
LINES_PER_ORDER = 10
FIGURES = ["amount:sum", "baseline_amount:sum", "uplift_margin:sum", "cost:sum", "roi"]
SALES = ["price_subtotal:sum", "product_uom_qty:sum", "margin:sum"]


def setup(env, line_count):
    """Regions, outlets, products, campaigns and costs through the ORM, orders and
    lines with SQL."""
    from odoo import Command  # noqa: PLC0415

    rng = random.Random(42)
    company = env.company
    company.partner_id.tz = "Asia/Shanghai"
    if not company.chart_template:
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    regions = env["spm.region"].create(
        [{"name": f"{PREFIX} region {i}", "code": f"PB{i}"} for i in range(REGIONS)]
    )
    outlets = env["res.partner"].create(
        [
            {
                "name": f"{PREFIX} outlet {i:03d}",
                "is_company": True,
                "spm_archive_type": "outlet",
                "spm_region_id": regions[i % REGIONS].id,
            }
            for i in range(OUTLETS)
        ]
    )
    products = env["product.product"].create(
        [
            {
                "name": f"{PREFIX} product {i:02d}",
                "type": "consu",
                "list_price": 100.0 + 10 * i,
                "standard_price": 60.0 + 6 * i,
                "taxes_id": [Command.clear()],
            }
            for i in range(PRODUCTS)
        ]
    )
    today = date.today()
    campaigns = env["spm.promotion.campaign"].create(
        [
            {
                "name": f"{PREFIX} campaign {c:02d}",
                "region_ids": [Command.set(regions[c % REGIONS].ids)],
                "partner_ids": [
                    Command.set(rng.sample(outlets.ids, CAMPAIGN_OUTLETS)),
                ],
                "product_ids": [Command.set(rng.sample(products.ids, CAMPAIGN_PRODUCTS))],
                "date_start": today - timedelta(days=300 - 13 * c),
                "date_end": today - timedelta(days=300 - 13 * c - CAMPAIGN_DAYS + 1),
                "budget_amount": 10000.0,
            }
            for c in range(CAMPAIGNS)
        ]
    )
    env["spm.promotion.cost"].create(
        [
            {
                "campaign_id": campaign.id,
                "name": name,
                "cost_type": cost_type,
                "planned_amount": 3000.0,
                "actual_amount": 2500.0 + 100 * k,
                "partner_id": campaign.partner_ids[k].id if k else False,
            }
            for campaign in campaigns
            for k, (name, cost_type) in enumerate(
                [("Media", "media"), ("Light box", "pop"), ("Rebate", "rebate")]
            )
        ]
    )
    # POP at every outlet of each campaign, four in five put up (counted as cost)
    material = env["spm.pop.material"].create(
        {"name": f"{PREFIX} light box", "material_type": "light_box", "unit_cost": 1200.0}
    )
    env["spm.pop.deployment"]._spm_protected().create(
        [
            {
                "partner_id": outlet.id,
                "material_id": material.id,
                "campaign_id": campaign.id,
                "state": "installed" if k % 5 else "planned",
                "installed_on": campaign.date_start if k % 5 else False,
            }
            for campaign in campaigns
            for k, outlet in enumerate(campaign.partner_ids)
        ]
    )
    campaigns.action_approve()
    template = env["sale.order"].create(
        {
            "partner_id": outlets[0].id,
            "order_line": [Command.create({"product_id": products[0].id, "product_uom_qty": 1})],
        }
    )
    template.action_confirm()
    env.flush_all()
    cr = env.cr
    orders = line_count // LINES_PER_ORDER
    cr.execute(
        """
        CREATE TEMP TABLE bench_order ON COMMIT DROP AS
        SELECT n, nextval('sale_order_id_seq') AS order_id,
               (%(outlets)s::int[])[1 + floor(random() * %(n_outlets)s)::int] AS partner_id,
               (now() AT TIME ZONE 'UTC') - random() * interval '365 days' AS date_order
          FROM generate_series(1, %(orders)s) n
        """,
        {"outlets": outlets.ids, "n_outlets": OUTLETS, "orders": orders},
    )
    copy_rows(
        cr,
        "sale_order",
        {
            "id": "o.order_id",
            "name": "'BENCH/' || lpad(o.n::text, 7, '0')",
            "partner_id": "o.partner_id",
            "partner_invoice_id": "o.partner_id",
            "partner_shipping_id": "o.partner_id",
            "date_order": "o.date_order",
            "access_token": "NULL",
        },
        "bench_order o, sale_order t WHERE t.id = %(template)s",
        {"template": template.id},
    )
    cr.execute(
        """
        CREATE TEMP TABLE bench_line ON COMMIT DROP AS
        SELECT o.order_id, o.partner_id, k,
               (%(products)s::int[])[1 + floor(random() * %(n_products)s)::int] AS product_id,
               1 + floor(random() * 5)::int AS qty
          FROM bench_order o, generate_series(1, %(per_order)s) k
        """,
        {"products": products.ids, "n_products": PRODUCTS, "per_order": LINES_PER_ORDER},
    )
    line_columns = columns(cr, "sale_order_line")
    overrides = {
        "id": "nextval('sale_order_line_id_seq')",
        "order_id": "l.order_id",
        "order_partner_id": "l.partner_id",
        "sequence": "l.k",
        "product_id": "l.product_id",
        "product_uom_qty": "l.qty",
        "price_unit": "tmpl.list_price",
        "price_subtotal": "l.qty * tmpl.list_price",
        "price_total": "l.qty * tmpl.list_price",
        "price_reduce_taxexcl": "tmpl.list_price",
        "price_reduce_taxinc": "tmpl.list_price",
        "purchase_price": "(prop.value)",
        "margin": "l.qty * (tmpl.list_price - prop.value)",
        "margin_percent": "(tmpl.list_price - prop.value) / tmpl.list_price",
        "untaxed_amount_to_invoice": "l.qty * tmpl.list_price",
    }
    if "product_template_id" in line_columns:
        overrides["product_template_id"] = "product.product_tmpl_id"
    cr.execute(
        "CREATE TEMP TABLE bench_cost ON COMMIT DROP AS "
        "SELECT id AS product_id, standard_price AS value FROM ("
        "SELECT product.id, (product.standard_price->>%s::text)::numeric AS standard_price "
        "FROM product_product product) costs",
        [str(env.company.id)],
    )
    copy_rows(
        cr,
        "sale_order_line",
        overrides,
        "bench_line l JOIN product_product product ON product.id = l.product_id "
        "JOIN product_template tmpl ON tmpl.id = product.product_tmpl_id "
        "JOIN bench_cost prop ON prop.product_id = l.product_id, "
        "sale_order_line t WHERE t.order_id = %(template)s",
        {"template": template.id},
    )
    cr.execute("ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE res_partner")
    return campaigns


def sales_domain(campaigns):
    """``sale.report`` on the order lines the campaigns' figures read."""
    from odoo import fields  # noqa: PLC0415
    from odoo.osv import expression  # noqa: PLC0415

    return [
        ("state", "=", "sale"),
        *expression.OR(
            [
                [
                    ("commercial_partner_id", "in", campaign.partner_ids.ids),
                    ("product_id", "in", campaign.product_ids.ids),
                    ("date", ">=", fields.Datetime.to_string(campaign.baseline_start_at)),
                    ("date", "<", fields.Datetime.to_string(campaign.period_end_at)),
                ]
                for campaign in campaigns
            ]
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--db", default="spm_bench_promotion")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415

    ensure_database(args.db, fresh=args.fresh)
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        campaigns = env["spm.promotion.campaign"].search(
            [("name", "=like", f"{PREFIX}%")], order="name"
        )
        if not campaigns:
            print(f"[bench] generating {args.lines} order lines with SQL...", flush=True)
            campaigns = setup(env, args.lines)
            cr.commit()
        env.cr.execute("SELECT COUNT(*) FROM sale_order_line")
        total_lines = env.cr.fetchone()[0]
        Report, Sales = env["spm.promotion.report"], env["sale.report"]
        one = campaigns[len(campaigns) // 2]
        variants = {
            "one campaign": {
                "report": lambda: Report.read_group(
                    [("campaign_id", "=", one.id)], FIGURES, ["campaign_id"]
                ),
                "sale.report": lambda: Sales.read_group(sales_domain(one), SALES, []),
            },
            "all campaigns by region": {
                "report": lambda: Report.read_group([], FIGURES, ["region_id"]),
                "sale.report": lambda: Sales.read_group(
                    sales_domain(campaigns), SALES, ["commercial_partner_id"]
                ),
            },
        }

        def sale_lines(domain):
            return Sales.read_group(domain, ["nbr:sum"], [])[0]["nbr"] or 0

        # a line counts once per campaign it is in (campaigns may share lines)
        rows = {
            "one campaign": (
                Report.search_count([("campaign_id", "=", one.id), ("product_id", "!=", False)]),
                sale_lines(sales_domain(one)),
            ),
            "all campaigns by region": (
                Report.search_count([("product_id", "!=", False)]),
                sale_lines(sales_domain(campaigns)),
            ),
        }
        samples = {
            (name, variant): [] for name in variants for variant in ("report", "sale.report")
        }
        for round_ in range(args.rounds):
            for name, pair in variants.items():
                order = ["report", "sale.report"]
                if round_ % 2:
                    order.reverse()
                for variant in order:
                    env.invalidate_all()
                    samples[name, variant].append(measure(env, pair[variant]))
        cr.rollback()
    print(
        f"[bench] {total_lines} order lines, {len(campaigns)} campaigns; median and fastest "
        f"of {args.rounds} rounds"
    )
    for name in variants:
        report_ms, report_q = median(samples[name, "report"])
        sales_ms, sales_q = median(samples[name, "sale.report"])
        report_best = fastest(samples[name, "report"])
        sales_best = fastest(samples[name, "sale.report"])
        campaign_rows, sales_rows = rows[name]
        print(
            f"[bench] {name}: {campaign_rows} (campaign, order line) rows; sale.report "
            f"reads {sales_rows:.0f} order lines"
        )
        print(
            f"[bench]   report       {report_ms:8.1f} ms (fastest {report_best:7.1f}), "
            f"{report_q:.0f} queries"
        )
        print(
            f"[bench]   sale.report  {sales_ms:8.1f} ms (fastest {sales_best:7.1f}), "
            f"{sales_q:.0f} queries"
        )
        print(
            f"[bench]   ratio        {report_ms / sales_ms:8.2f}x median, "
            f"{report_best / sales_best:.2f}x fastest"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
