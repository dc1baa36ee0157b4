"""Benchmark of the revisit cron (spm.visit._cron_plan_revisits).

Usage: .venv/bin/python tools/bench_visits.py [--db spm_bench_visits] [--sizes 10000,100000]

Creates (once) a scratch database with the addon installed without demo data,
then for each size generates that many classified customers (classes A-D) with
three past visits each, using SQL bulk inserts, and times one run of the revisit
cron over them as the scheduler runs it (one call per batch with its progress
record, until nothing remains): wall time, SQL queries, batches and revisits
planned. Each size is
generated and measured in one transaction that is rolled back, so the sizes are
measured on the same starting point. Prints one line per
size and the cost per customer, which must stay flat as the size grows.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import ensure_database, open_registry

REPS = 20


def generate(env, size):
    """``size`` customers, three done visits each, stored cadence fields set."""
    from odoo.tools import SQL  # noqa: PLC0415

    cr = env.cr
    company = env.company
    reps = env["res.users"].search([("login", "like", "bench_rep_%")], order="id")
    if len(reps) < REPS:
        group = env.ref("sales_team.group_sale_salesman")
        reps |= env["res.users"].create(
            [
                {
                    "name": f"Bench Rep {n}",
                    "login": f"bench_rep_{n}",
                    "tz": "Asia/Shanghai",
                    "groups_id": [(6, 0, [group.id])],
                }
                for n in range(len(reps), REPS)
            ]
        )
        env.cr.commit()
    rep_ids = reps.ids
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active, type,
                                     company_id, user_id, spm_tier, autopost_bills, create_date,
                                     write_date, create_uid, write_uid, ref)
            SELECT 'Bench ' || g, 'Bench ' || g, true, true, 'contact',
                   %(company)s, (%(reps)s::int[])[1 + mod(g, %(nreps)s)],
                   (ARRAY['A', 'B', 'C', 'D'])[1 + mod(g, 4)], 'ask',
                   now() - interval '1 year', now(), 1, 1, 'BENCH'
              FROM generate_series(1, %(size)s) g
            """,
            company=company.id,
            reps=rep_ids,
            nreps=len(rep_ids),
            size=size,
        )
    )
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE ref = 'BENCH'")
    # three visits per customer, the last one between 0 and 1 interval ago
    cr.execute(
        SQL(
            """
            INSERT INTO spm_visit (name, partner_id, user_id, company_id, purpose, state,
                                   state_rank, planned_start, planned_duration, check_in_time,
                                   check_out_time, visit_date, location_status,
                                   location_verified, verified_share,
                                   outcome, create_date, write_date, create_uid, write_uid)
            SELECT 'BENCH/' || p.id || '/' || k, p.id, p.user_id, p.company_id,
                   'routine', 'done', 2, d, 1.0, d, d + interval '1 hour', d::date,
                   'verified', true, 100, 'Benchmark history', now(), now(), 1, 1
              FROM res_partner p
             CROSS JOIN generate_series(0, 2) k
             CROSS JOIN LATERAL (
                   SELECT now() - make_interval(days => (
                          (CASE p.spm_tier WHEN 'A' THEN 7 WHEN 'B' THEN 14
                                           WHEN 'C' THEN 30 ELSE 60 END)
                          * (k + mod(p.id, 10) / 9.0))::int) AS d) dd
             WHERE p.ref = 'BENCH'
            """
        )
    )
    cr.execute(
        SQL(
            """
            UPDATE res_partner p
               SET spm_last_visit_date = v.last,
                   spm_next_visit_due = v.last + CASE p.spm_tier WHEN 'A' THEN %(a)s
                       WHEN 'B' THEN %(b)s WHEN 'C' THEN %(c)s ELSE %(d)s END,
                   spm_visit_overdue = false
              FROM (SELECT partner_id, max(visit_date) AS last FROM spm_visit
                     WHERE state = 'done' GROUP BY partner_id) v
             WHERE v.partner_id = p.id AND p.ref = 'BENCH'
            """,
            a=company.spm_visit_interval_a,
            b=company.spm_visit_interval_b,
            c=company.spm_visit_interval_c,
            d=company.spm_visit_interval_d,
        )
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE spm_visit")
    env.invalidate_all()


def measure(registry, size):
    import odoo.sql_db  # noqa: PLC0415
    from odoo import SUPERUSER_ID, api  # noqa: PLC0415

    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        # generated data and planned revisits live in one transaction, rolled
        # back at the end: every size starts from the same empty database
        generate(env, size)
        try:
            due = env["res.partner"].search_count(
                [("ref", "=", "BENCH"), *env["spm.visit"]._spm_revisit_domain()]
            )
            queries0 = odoo.sql_db.sql_counter
            start = time.perf_counter()
            # as the scheduler runs it: one call per batch, each with its progress
            # record, until no customer remains
            cron = env.ref("sales_process_mgmt.ir_cron_spm_plan_revisits")
            planned = batches = 0
            while True:
                _cron, progress = cron._add_progress()
                visits = env["spm.visit"].with_context(ir_cron_progress_id=progress.id)
                planned += visits._cron_plan_revisits()
                batches += 1
                if not progress.remaining:
                    break
            env.flush_all()
            elapsed = time.perf_counter() - start
            queries = odoo.sql_db.sql_counter - queries0
            visits = env["spm.visit"].search_count([("cadence_planned", "=", True)])
        finally:
            cr.rollback()
    return {
        "size": size,
        "due": due,
        "planned": planned,
        "batches": batches,
        "visits": visits,
        "seconds": elapsed,
        "queries": queries,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="spm_bench_visits")
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    ensure_database(args.db)
    registry = open_registry(args.db)
    rows = [measure(registry, size) for size in sizes]
    print()
    header = (
        "customers",
        "due",
        "planned",
        "batches",
        "seconds",
        "queries",
        "ms/due",
        "queries/due",
    )
    widths = (10, 8, 8, 8, 9, 9, 8, 12)
    print(" ".join(f"{name:>{width}}" for name, width in zip(header, widths, strict=True)))
    for row in rows:
        per = max(row["due"], 1)
        print(
            f"{row['size']:>10} {row['due']:>8} {row['planned']:>8} {row['batches']:>8} "
            f"{row['seconds']:>9.2f} "
            f"{row['queries']:>9} {1000 * row['seconds'] / per:>8.2f} {row['queries'] / per:>12.2f}"
        )
        if row["visits"] != row["planned"]:
            print(f"  mismatch: {row['visits']} revisits in the database", file=sys.stderr)
    if len(rows) > 1:
        first, last = rows[0], rows[-1]
        growth = last["size"] / first["size"]
        print(
            f"\n{growth:.0f}x customers: {last['seconds'] / first['seconds']:.1f}x time, "
            f"{last['queries'] / max(first['queries'], 1):.1f}x queries"
        )


if __name__ == "__main__":
    main()
