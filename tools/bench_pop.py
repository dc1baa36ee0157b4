"""Benchmark of the POP inspection job (宣传推广: due inspections become to-dos).

    .venv/bin/python tools/bench_pop.py [--sizes 10000,25000,50000] [--batch 1000]
                                        [--db spm_bench_pop]

1. Creates a scratch database (dropped first) with the addon, without demo data, and
   10,000 outlets of one rep (through the ORM).
2. For each size N: N installed deployments, 5 per outlet (installed together, on
   one of ten days), all due for inspection, copied with one SQL ``INSERT ... SELECT``
   over ``generate_series`` (with the values the ORM computes: cost, next inspection
   date, end of life); the deployments and to-dos of the previous size are deleted
   first.
3. Runs the job as the scheduler does — one batch per call, each call in its own
   transaction with its progress record, until nothing remains — and prints the time
   of each batch (median, fastest, slowest), the total, the time per deployment and
   the SQL queries; then runs it once more to show a second run schedules nothing.

The job is linear when the time per batch stays the same whatever N: the total then
grows with N and the time per deployment does not.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import ensure_database, open_registry, run_scheduled_job

from odoo import SUPERUSER_ID, api

PER_OUTLET = 5
OUTLETS = 10_000


def env_of(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


def prepare(registry):
    """The rep, the material and the outlets (once)."""
    with registry.cursor() as cr:
        env = env_of(cr)
        rep = env["res.users"].create(
            {
                "name": "Bench rep",
                "login": "bench_pop_rep",
                "tz": "Asia/Shanghai",
                "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])],
            }
        )
        material = env["spm.pop.material"].create(
            {
                "name": "Bench poster",
                "material_type": "poster",
                "unit_cost": 15.0,
                "inspection_interval_days": 14,
                "expected_life_days": 60,
            }
        )
        start = time.perf_counter()
        Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
        outlet_ids = []
        for chunk in range(0, OUTLETS, 1000):
            outlet_ids += Partner.create(
                [
                    {"name": f"Bench outlet {i:05d}", "is_company": True, "user_id": rep.id}
                    for i in range(chunk, min(chunk + 1000, OUTLETS))
                ]
            ).ids
        print(
            f"[bench] {OUTLETS} outlets created through the ORM in "
            f"{time.perf_counter() - start:.1f} s",
            flush=True,
        )
        return rep.id, material.id, outlet_ids


def generate(registry, rep_id, material_id, outlet_ids, count):
    """``count`` installed deployments due for inspection, ``PER_OUTLET`` an outlet."""
    with registry.cursor() as cr:
        env = env_of(cr)
        todo_type = env.ref("sales_process_mgmt.mail_activity_type_spm_pop_inspection")
        cr.execute("DELETE FROM mail_activity WHERE activity_type_id = %s", [todo_type.id])
        cr.execute("DELETE FROM spm_pop_deployment")
        cr.execute(
            """
            INSERT INTO spm_pop_deployment
                   (partner_id, material_id, material_type, qty, company_id, cost, user_id,
                    state, installed_on, next_inspection_date, expiry_date,
                    create_uid, create_date, write_uid, write_date)
            SELECT (%(outlets)s::int[])[1 + (n - 1) / %(per)s], %(material)s, 'poster', 2,
                   %(company)s, 30.0, %(rep)s, 'installed',
                   CURRENT_DATE - 20 - (n - 1) / %(per)s %% 10,
                   CURRENT_DATE - 6 - (n - 1) / %(per)s %% 10,
                   CURRENT_DATE + 40 - (n - 1) / %(per)s %% 10,
                   1, now() at time zone 'UTC', 1, now() at time zone 'UTC'
              FROM generate_series(1, %(count)s) n
            """,
            {
                "outlets": outlet_ids,
                "per": PER_OUTLET,
                "material": material_id,
                "company": env.company.id,
                "rep": rep_id,
                "count": count,
            },
        )
        cr.execute("ANALYZE spm_pop_deployment")


def run_job(registry, batch_size):
    """The job as the scheduler runs it: ``(batch times, total seconds, queries, done)``."""
    return run_scheduled_job(
        registry,
        "sales_process_mgmt.ir_cron_spm_pop_inspections_due",
        "spm.pop.deployment",
        "_cron_pop_inspections_due",
        batch_size,
    )


def count_todos(registry):
    with registry.cursor() as cr:
        env = env_of(cr)
        todo_type = env.ref("sales_process_mgmt.mail_activity_type_spm_pop_inspection")
        cr.execute(
            "SELECT COUNT(*), COUNT(DISTINCT res_id) FROM mail_activity "
            "WHERE activity_type_id = %s",
            [todo_type.id],
        )
        return cr.fetchone()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,25000,50000")
    parser.add_argument("--batch", type=int, default=1000, help="the job's batch size")
    parser.add_argument("--db", default="spm_bench_pop")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    if max(sizes) > OUTLETS * PER_OUTLET:
        parser.error(f"at most {OUTLETS * PER_OUTLET} deployments")

    print(f"[bench] installing the addon into scratch database {args.db}", flush=True)
    ensure_database(args.db, fresh=True)
    registry = open_registry(args.db)
    rep_id, material_id, outlet_ids = prepare(registry)

    rows = []
    for size in sizes:
        generate(registry, rep_id, material_id, outlet_ids, size)
        batches, total, queries, notified = run_job(registry, args.batch)
        todos, outlets = count_todos(registry)
        again = run_job(registry, args.batch)
        rows.append((size, batches, total, queries, notified, todos, outlets, again))
        print(
            f"[bench] {size:>6} due deployments: {len(batches)} batches of {args.batch}, "
            f"per batch median {statistics.median(batches) * 1000:.0f} ms "
            f"(fastest {min(batches) * 1000:.0f}, slowest {max(batches) * 1000:.0f}), "
            f"total {total:.1f} s = {total / size * 1000:.2f} ms per deployment, "
            f"{queries} queries; {notified} notified, {todos} to-dos for {outlets} outlets; "
            f"second run: {again[3]} notified in {again[1] * 1000:.0f} ms",
            flush=True,
        )
    print("[bench] size     batches  median ms/batch  total s  ms/deployment  queries/batch")
    for size, batches, total, queries, *_rest in rows:
        print(
            f"[bench] {size:>6}  {len(batches):>7}  {statistics.median(batches) * 1000:>15.0f}"
            f"  {total:>7.1f}  {total / size * 1000:>13.2f}  {queries / len(batches):>13.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
