"""Benchmark of the SLA escalation job (售后服务: overdue requests flagged and escalated).

    .venv/bin/python tools/bench_service.py [--requests 100000] [--batch 1000]
                                            [--db spm_bench_service]

1. Creates a scratch database (dropped first) with the addon, without demo data, and
   the people of the requests (through the ORM): 20 reps in 5 sales teams, each team
   with a leader who sees all documents, and 1,000 customers.
2. For each size N (a tenth, half and all of ``--requests``): N open requests, copied
   with one SQL ``INSERT ... SELECT`` over ``generate_series`` with the values the ORM
   stores (reference, SLA, deadlines, rep and team): one in five is not due yet, two in
   five have their first response overdue, two in five were answered in time and have
   their resolution overdue; the requests, to-dos and notes of the previous size are
   deleted first.
3. Runs the job as the scheduler does (one batch per call, each call in its own
   transaction with its progress record, until nothing remains) and prints the
   requests, the overdue ones escalated, the batches, the seconds, the SQL queries,
   the time per overdue request and the queries per batch; then runs it once more to
   show a second run escalates nothing, and shows that a batch reads the requests
   through the job's index.

The job is linear when the time per request and the queries per batch stay the same
whatever N.
"""

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import ensure_database, open_registry, run_scheduled_job

from odoo import SUPERUSER_ID, api, fields
from odoo.tools import SQL

REPS = 20
PER_TEAM = 4
CUSTOMERS = 1_000
CRON = "sales_process_mgmt.ir_cron_spm_service_escalation"
ESCALATION = "sales_process_mgmt.mail_activity_type_spm_service_escalation"


def env_of(cr):
    return api.Environment(cr, SUPERUSER_ID, {})


def prepare(registry):
    """Reps, teams and their leaders, customers (once)."""
    with registry.cursor() as cr:
        env = env_of(cr)
        Users = env["res.users"].with_context(no_reset_password=True)
        salesman = env.ref("sales_team.group_sale_salesman")
        all_documents = env.ref("sales_team.group_sale_salesman_all_leads")
        reps = Users.create(
            [
                {
                    "name": f"Bench rep {i:02d}",
                    "login": f"bench_service_rep_{i:02d}",
                    "tz": "Asia/Shanghai",
                    "groups_id": [(6, 0, salesman.ids)],
                }
                for i in range(REPS)
            ]
        )
        leaders = Users.create(
            [
                {
                    "name": f"Bench leader {i}",
                    "login": f"bench_service_leader_{i}",
                    "tz": "Asia/Shanghai",
                    "groups_id": [(6, 0, all_documents.ids)],
                }
                for i in range(REPS // PER_TEAM)
            ]
        )
        teams = env["crm.team"].create(
            [
                {"name": f"Bench after-sales {i}", "user_id": leader.id}
                for i, leader in enumerate(leaders)
            ]
        )
        customers = (
            env["res.partner"]
            .with_context(tracking_disable=True, mail_create_nolog=True)
            .create(
                [
                    {
                        "name": f"Bench customer {i:04d}",
                        "is_company": True,
                        "user_id": reps[i % REPS].id,
                    }
                    for i in range(CUSTOMERS)
                ]
            )
        )
        sla = env.ref("sales_process_mgmt.spm_service_sla_normal")
        return {
            "reps": reps.ids,
            "teams": [teams[i // PER_TEAM].id for i in range(REPS)],
            "customers": customers.ids,
            "sla": sla.id,
            "company": env.company.id,
        }


def generate(registry, people, count):
    """``count`` open requests: see the module docstring."""
    with registry.cursor() as cr:
        cr.execute("DELETE FROM mail_activity WHERE res_model = 'spm.service.request'")
        cr.execute("DELETE FROM mail_message WHERE model = 'spm.service.request'")
        cr.execute("DELETE FROM mail_followers WHERE res_model = 'spm.service.request'")
        cr.execute("DELETE FROM spm_service_request")
        cr.execute(
            """
            WITH r AS (
                SELECT n, n %% 5 AS kind, (n %% 48 + 1) * interval '1 hour' AS late,
                       (now() AT TIME ZONE 'UTC') AS at
                  FROM generate_series(1, %(count)s) n
            )
            INSERT INTO spm_service_request
                   (name, subject, company_id, partner_id, user_id, team_id, sla_id,
                    request_type, priority, state,
                    response_deadline, resolution_deadline, first_response_date,
                    response_breached, resolution_breached, sla_breached, escalated,
                    create_uid, create_date, write_uid, write_date)
            SELECT 'SR/BENCH/' || lpad(n::text, 6, '0'), 'Bench request ' || n,
                   %(company)s, (%(customers)s::int[])[1 + n %% %(ncustomers)s],
                   (%(reps)s::int[])[1 + n %% %(nreps)s],
                   (%(teams)s::int[])[1 + n %% %(nreps)s], %(sla)s,
                   'repair', '1', CASE WHEN kind IN (3, 4) THEN 'in_progress' ELSE 'new' END,
                   CASE WHEN kind = 0 THEN at + interval '2 hours'
                        WHEN kind IN (1, 2) THEN at - late
                        ELSE at - interval '3 days' + interval '8 hours' END,
                   CASE WHEN kind IN (3, 4) THEN at - late ELSE at + interval '30 hours' END,
                   CASE WHEN kind IN (3, 4) THEN at - interval '3 days' + interval '1 hour' END,
                   false, false, false, false,
                   1, at - interval '3 days', 1, at - interval '3 days'
              FROM r
            """,
            {
                "count": count,
                "company": people["company"],
                "customers": people["customers"],
                "ncustomers": len(people["customers"]),
                "reps": people["reps"],
                "nreps": len(people["reps"]),
                "teams": people["teams"],
                "sla": people["sla"],
            },
        )
        cr.execute("ANALYZE spm_service_request")


def run_job(registry, batch_size):
    """The job as the scheduler runs it: ``(batch times, total seconds, queries, done)``."""
    return run_scheduled_job(
        registry, CRON, "spm.service.request", "_cron_escalate_overdue", batch_size
    )


def count_escalations(registry):
    """``(escalated requests, to-dos, notes)``."""
    with registry.cursor() as cr:
        env = env_of(cr)
        cr.execute("SELECT COUNT(*) FROM spm_service_request WHERE escalated")
        [escalated] = cr.fetchone()
        cr.execute(
            "SELECT COUNT(*) FROM mail_activity WHERE activity_type_id = %s",
            [env.ref(ESCALATION).id],
        )
        [todos] = cr.fetchone()
        cr.execute(
            "SELECT COUNT(*) FROM mail_message WHERE model = 'spm.service.request' "
            "AND body LIKE %s",
            ["%SLA breached%"],
        )
        [notes] = cr.fetchone()
        return escalated, todos, notes


def batch_plan(registry, batch_size):
    """The plan of a batch's query (explained, not run), to show the index it uses."""
    with registry.cursor() as cr:
        env = env_of(cr)
        query = env["spm.service.request"]._spm_overdue_lock_query(
            fields.Datetime.now(), batch_size
        )
        cr.execute(SQL("EXPLAIN %s", query))
        return [row[0].strip() for row in cr.fetchall()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000, help="the largest size")
    parser.add_argument("--batch", type=int, default=1000, help="the job's batch size")
    parser.add_argument("--db", default="spm_bench_service")
    args = parser.parse_args()
    sizes = [args.requests // 10, args.requests // 2, args.requests]

    print(f"[bench] installing the addon into scratch database {args.db}", flush=True)
    ensure_database(args.db, fresh=True)
    registry = open_registry(args.db)
    people = prepare(registry)

    rows = []
    for size in sizes:
        generate(registry, people, size)
        plan = batch_plan(registry, args.batch)
        batches, total, queries, flagged = run_job(registry, args.batch)
        escalated, todos, notes = count_escalations(registry)
        again = run_job(registry, args.batch)
        rows.append((size, flagged, batches, total, queries))
        print(
            f"[bench] {size:>6} open requests, {flagged} overdue flagged: {len(batches)} "
            f"batches of {args.batch}, per batch median {statistics.median(batches) * 1000:.0f} "
            f"ms (fastest {min(batches) * 1000:.0f}, slowest {max(batches) * 1000:.0f}), "
            f"total {total:.1f} s, {queries} queries; {escalated} escalated, {todos} to-dos, "
            f"{notes} notes; second run: {again[3]} flagged in {again[1] * 1000:.0f} ms",
            flush=True,
        )
        scan = next((line for line in plan if "Scan" in line), plan[0])
        print(f"[bench]        a batch reads: {scan}", flush=True)
    print("[bench] requests  overdue  batches  seconds  queries  ms/request  queries/batch")
    for size, flagged, batches, total, queries in rows:
        print(
            f"[bench] {size:>8}  {flagged:>7}  {len(batches):>7}  {total:>7.1f}  {queries:>7}"
            f"  {total / flagged * 1000:>10.2f}  {queries / len(batches):>13.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
