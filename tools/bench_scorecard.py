"""The rep scorecard (spm.rep.scorecard) and the sales funnel (spm.funnel.report) at scale.

    .venv/bin/python tools/bench_scorecard.py [--reps 200] [--months 12]
        [--orders 50000] [--lines-per-order 10] [--invoices 100000] [--leads 20000]
        [--changes 5] [--rounds 5] [--fresh] [--db spm_bench_scorecard]

1. Creates (once, or again with ``--fresh``) a scratch database with the addon, without
   demo data.
2. In a transaction rolled back afterwards: ``--reps`` reps and a template order,
   invoice and opportunity through the ORM, then with SQL bulk inserts: ``--orders``
   confirmed orders of ``--lines-per-order`` lines, ``--invoices`` posted invoices (a
   third of them paid), ``--leads`` opportunities with ``--changes`` stage changes each
   (mail messages with their tracking values), spread over the reps and ``--months``
   months, and a target of seven duties per rep and month.
3. Measures, alternately: the scorecard grouped by rep and month (what the managers'
   pivot asks), ``sale.report`` grouped by rep and month over the same orders (the
   baseline: Odoo's own sales analysis), the ranking, and the funnel grouped by stage.

Prints each one's median and fastest time and queries, and the ratio of the scorecard
to the baseline.
"""

import argparse
import os
import sys
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import copy_rows, ensure_database, fastest, measure, median, open_registry

PREFIX = "Scorecard bench"


def setup(env, args):
    from odoo import Command  # noqa: PLC0415

    cr = env.cr
    start = (date.today().replace(day=1) - timedelta(days=31 * (args.months - 1))).replace(day=1)
    reps = env["res.users"].create(
        [
            {"name": f"{PREFIX} rep {i:03d}", "login": f"spm_bench_rep_{i:03d}"}
            for i in range(args.reps)
        ]
    )
    customers = env["res.partner"].create(
        [{"name": f"{PREFIX} customer {i:04d}", "is_company": True} for i in range(2000)]
    )
    product = env["product.product"].create(
        {"name": f"{PREFIX} product", "type": "consu", "list_price": 100.0, "standard_price": 60.0}
    )
    order = env["sale.order"].create(
        {
            "partner_id": customers[0].id,
            "user_id": reps[0].id,
            "order_line": [
                Command.create(
                    {"product_id": product.id, "price_unit": 100.0, "tax_id": [Command.clear()]}
                )
            ],
        }
    )
    order.with_context(skip_procurement=True).action_confirm()
    invoice = env["account.move"].create(
        {
            "move_type": "out_invoice",
            "partner_id": customers[0].id,
            "invoice_user_id": reps[0].id,
            "invoice_date": start,
            "invoice_line_ids": [
                Command.create(
                    {"name": "Handsets", "price_unit": 1000.0, "tax_ids": [Command.clear()]}
                )
            ],
        }
    )
    invoice.action_post()
    lead = env["crm.lead"].create(
        {
            "name": f"{PREFIX} deal",
            "type": "opportunity",
            "user_id": reps[0].id,
            "expected_revenue": 5000,
        }
    )
    stages = env["crm.stage"].search([], order="sequence, id").ids
    env.flush_all()
    params = {"reps": reps.ids, "customers": customers.ids, "months": args.months, "start": start}
    spread = "(%(start)s::date + (g %% (%(months)s * 28)) * interval '1 day' + interval '3 hours')"
    cr.execute(
        f"""
        CREATE TEMP TABLE bench_order ON COMMIT DROP AS
        SELECT nextval('sale_order_id_seq') AS order_id, g,
               (%(reps)s::int[])[1 + g %% cardinality(%(reps)s::int[])] AS user_id,
               (%(customers)s::int[])[1 + g %% cardinality(%(customers)s::int[])] AS partner_id,
               {spread} AS date_order
          FROM generate_series(0, %(count)s - 1) g
        """,
        {**params, "count": args.orders},
    )
    copy_rows(
        cr,
        "sale_order",
        {
            "id": "o.order_id",
            "name": "'SOBENCH/' || o.order_id",
            "user_id": "o.user_id",
            "partner_id": "o.partner_id",
            "partner_invoice_id": "o.partner_id",
            "partner_shipping_id": "o.partner_id",
            "date_order": "o.date_order",
            "access_token": "NULL",
            "amount_untaxed": f"100 * {args.lines_per_order}",
            "amount_total": f"100 * {args.lines_per_order}",
            "margin": f"40 * {args.lines_per_order}",
        },
        "bench_order o, sale_order t WHERE t.id = %(template)s",
        {"template": order.id},
    )
    copy_rows(
        cr,
        "sale_order_line",
        {
            "id": "nextval('sale_order_line_id_seq')",
            "order_id": "o.order_id",
            "order_partner_id": "o.partner_id",
            "salesman_id": "o.user_id",
        },
        "bench_order o, generate_series(1, %(lines)s) n, sale_order_line t "
        "WHERE t.order_id = %(template)s",
        {"template": order.id, "lines": args.lines_per_order},
    )
    cr.execute(
        """
        CREATE TEMP TABLE bench_move ON COMMIT DROP AS
        SELECT nextval('account_move_id_seq') AS move_id, g FROM generate_series(0, %(count)s - 1) g
        """,
        {"count": args.invoices},
    )
    copy_rows(
        cr,
        "account_move",
        {
            "id": "m.move_id",
            "name": "'INVBENCH/' || m.g",
            "invoice_user_id": "(%(reps)s::int[])[1 + m.g %% cardinality(%(reps)s::int[])]",
            "partner_id": "(%(customers)s::int[])[1 + m.g %% cardinality(%(customers)s::int[])]",
            "invoice_date": f"{spread.replace('g %%', 'm.g %%')}::date",
            "invoice_date_due": f"{spread.replace('g %%', 'm.g %%')}::date + 30",
            "date": f"{spread.replace('g %%', 'm.g %%')}::date",
            "access_token": "NULL",
        },
        "bench_move m, account_move t WHERE t.id = %(template)s",
        {**params, "template": invoice.id},
    )
    copy_rows(
        cr,
        "account_move_line",
        {"id": "nextval('account_move_line_id_seq')", "move_id": "m.move_id"},
        "bench_move m, account_move_line t WHERE t.move_id = %(template)s",
        {"template": invoice.id},
    )
    copy_rows(
        cr,
        "crm_lead",
        {
            "id": "nextval('crm_lead_id_seq')",
            "name": "'Deal ' || g",
            "user_id": "(%(reps)s::int[])[1 + g %% cardinality(%(reps)s::int[])]",
            "create_date": spread,
            "stage_id": "(%(stages)s::int[])[1 + g %% cardinality(%(stages)s::int[])]",
        },
        "generate_series(0, %(count)s - 1) g, crm_lead t WHERE t.id = %(template)s",
        {**params, "count": args.leads, "template": lead.id, "stages": stages},
    )
    field = env["ir.model.fields"]._get("crm.lead", "stage_id").id
    cr.execute(
        """
        CREATE TEMP TABLE bench_change ON COMMIT DROP AS
        SELECT nextval('mail_message_id_seq') AS message_id, lead.id AS lead_id, step,
               lead.create_date + step * interval '2 days' AS date,
               (%(stages)s::int[])[1 + (lead.id + step - 1) %% cardinality(%(stages)s::int[])]
                   AS old_stage,
               (%(stages)s::int[])[1 + (lead.id + step) %% cardinality(%(stages)s::int[])]
                   AS new_stage
          FROM crm_lead lead, generate_series(1, %(changes)s) step
         WHERE lead.name LIKE 'Deal %%'
        """,
        {"stages": stages, "changes": args.changes},
    )
    cr.execute(
        """
        INSERT INTO mail_message (id, model, res_id, message_type, date, create_date, write_date)
        SELECT message_id, 'crm.lead', lead_id, 'notification', date, date, date FROM bench_change;
        INSERT INTO mail_tracking_value (mail_message_id, field_id, old_value_integer,
                                         new_value_integer, create_date, write_date)
        SELECT message_id, %(field)s, old_stage, new_stage, date, date FROM bench_change
        """,
        {"field": field},
    )
    cr.execute(
        """
        INSERT INTO spm_rep_target (id, user_id, company_id, period, date_from, date_to,
                                    weight_total, create_date, write_date)
        SELECT nextval('spm_rep_target_id_seq'), rep, %(company)s, 'month',
               (%(start)s::date + m * interval '1 month')::date,
               (%(start)s::date + (m + 1) * interval '1 month' - interval '1 day')::date,
               100, now(), now()
          FROM unnest(%(reps)s::int[]) rep, generate_series(0, %(months)s - 1) m;
        INSERT INTO spm_rep_target_line (target_id, sequence, duty, target, weight)
        SELECT target.id, 10, duty.name, duty.target, duty.weight
          FROM spm_rep_target target,
               (VALUES ('sales', 25000.0, 30.0), ('dso', 30.0, 10.0),
                       ('collection_rate', 80.0, 15.0), ('margin', 30.0, 15.0),
                       ('funnel', 50000.0, 10.0), ('new_customers', 2.0, 10.0),
                       ('satisfaction', 4.0, 10.0)) duty(name, target, weight)
         WHERE target.user_id = ANY(%(reps)s)
        """,
        {**params, "company": env.company.id},
    )
    cr.execute(
        "ANALYZE sale_order; ANALYZE sale_order_line; ANALYZE account_move; "
        "ANALYZE account_move_line; ANALYZE crm_lead; ANALYZE mail_message; "
        "ANALYZE mail_tracking_value; ANALYZE spm_rep_target; ANALYZE spm_rep_target_line"
    )
    env.invalidate_all()


def counts(cr):
    figures = {}
    for table in (
        "sale_order_line",
        "account_move",
        "crm_lead",
        "mail_tracking_value",
        "spm_rep_target",
    ):
        cr.execute(f"SELECT COUNT(*) FROM {table}")
        figures[table] = cr.fetchone()[0]
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--orders", type=int, default=50000)
    parser.add_argument("--lines-per-order", type=int, default=10)
    parser.add_argument("--invoices", type=int, default=100000)
    parser.add_argument("--leads", type=int, default=20000)
    parser.add_argument("--changes", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--db", default="spm_bench_scorecard")
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    args = parser.parse_args()

    import odoo  # noqa: PLC0415

    ensure_database(args.db, fresh=args.fresh)
    registry = open_registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        print("[bench] building the data...", flush=True)
        setup(env, args)
        print(
            "[bench] " + ", ".join(f"{table}: {n:,}" for table, n in counts(cr).items()), flush=True
        )
        variants = {
            "scorecard by rep and month": lambda: env["spm.rep.scorecard"].read_group(
                [],
                ["attainment:avg", "weighted_score:sum"],
                ["user_id", "date_from:month"],
                lazy=False,
            ),
            "sale.report by rep and month": lambda: env["sale.report"].read_group(
                [], ["price_subtotal:sum", "margin:sum"], ["user_id", "date:month"], lazy=False
            ),
            "ranking": lambda: env["spm.rep.score"].search_read(
                [], ["score", "rank", "weakest_duty"]
            ),
            "funnel by stage": lambda: env["spm.funnel.report"].read_group(
                [], ["lead_count:sum", "conversion_rate", "avg_days"], ["stage_id"]
            ),
        }
        samples = {name: [] for name in variants}
        for round_ in range(args.rounds):
            names = list(variants)
            if round_ % 2:
                names.reverse()
            for name in names:
                env.invalidate_all()
                samples[name].append(measure(env, variants[name]))
        rows = {name: len(run()) for name, run in variants.items()}
        cr.rollback()
    for name in variants:
        ms, queries = median(samples[name])
        print(
            f"  {name:<30} {rows[name]:>6} rows | {ms:9.1f} ms median, "
            f"{fastest(samples[name]):9.1f} ms fastest, {queries:.0f} queries",
            flush=True,
        )
    ratio = (
        median(samples["scorecard by rep and month"])[0]
        / median(samples["sale.report by rep and month"])[0]
    )
    print(f"[bench] median of {args.rounds} rounds; scorecard / sale.report: {ratio:.2f}x")


if __name__ == "__main__":
    main()
