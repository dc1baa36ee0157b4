"""Benchmark of the handover (spm.handover.wizard.action_hand_over).

Usage: .venv/bin/python tools/bench_handover.py [--db spm_bench_handover] [--sizes 2000,10000]

Creates (once) a scratch database with the addon installed without demo data, then for
each size gives a leaving rep that many customers, each with ten records of open work
(two open opportunities, two quotations, four planned visits, the rep's subscription to
the customer and a scheduled activity on one opportunity), with SQL bulk inserts, and
times one handover of all of it to a colleague: wall time and SQL queries, the records
moved and the log lines written. Each size is generated and measured in one
transaction that is rolled back, so the sizes start from the same point. The cost per
customer must stay flat as the size grows.
"""

import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import ensure_database, measure, open_registry

PER_CUSTOMER = 10


def _reps(env):
    Users = env["res.users"]
    reps = Users.search([("login", "in", ("bench_leaving_rep", "bench_taking_rep"))], order="login")
    if len(reps) < 2:
        group = env.ref("sales_team.group_sale_salesman")
        reps = Users.create(
            [
                {"name": name, "login": login, "groups_id": [(6, 0, group.ids)]}
                for name, login in (
                    ("Bench Leaving Rep", "bench_leaving_rep"),
                    ("Bench Taking Rep", "bench_taking_rep"),
                )
            ]
        )
        env.cr.commit()
    taking, leaving = reps.sorted("login")
    return leaving, taking


def generate(env, size, leaving):
    from odoo.tools import SQL  # noqa: PLC0415

    cr = env.cr
    company = env.company
    cr.execute(
        SQL(
            """
            INSERT INTO res_partner (name, complete_name, is_company, active, type, company_id,
                                     user_id, autopost_bills, create_date, write_date,
                                     create_uid, write_uid, ref)
            SELECT 'Bench ' || g, 'Bench ' || g, true, true, 'contact', %(company)s, %(rep)s,
                   'ask', now(), now(), 1, 1, 'BENCH_HANDOVER'
              FROM generate_series(1, %(size)s) g
            RETURNING id
            """,
            company=company.id,
            rep=leaving.id,
            size=size,
        )
    )
    partner_ids = [row[0] for row in cr.fetchall()]
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE ref = 'BENCH_HANDOVER'")
    stage = env["crm.stage"].search([("is_won", "=", False)], limit=1)
    cr.execute(
        SQL(
            """
            INSERT INTO crm_lead (name, type, active, user_id, partner_id, stage_id, company_id,
                                  create_date, write_date, create_uid, write_uid)
            SELECT 'Bench lead', 'opportunity', true, %(rep)s, p, %(stage)s, %(company)s,
                   now(), now(), 1, 1
              FROM unnest(%(partners)s::int[]) p, generate_series(1, 2)
            RETURNING id
            """,
            rep=leaving.id,
            stage=stage.id,
            company=company.id,
            partners=partner_ids,
        )
    )
    lead_ids = [row[0] for row in cr.fetchall()]
    cr.execute(
        SQL(
            """
            INSERT INTO sale_order (name, state, user_id, partner_id, partner_invoice_id,
                                    partner_shipping_id, company_id, date_order, picking_policy,
                                    currency_id, create_date, write_date, create_uid, write_uid)
            SELECT 'BENCH/' || p || '/' || n, 'draft', %(rep)s, p, p, p, %(company)s, now(),
                   'direct', %(currency)s, now(), now(), 1, 1
              FROM unnest(%(partners)s::int[]) p, generate_series(1, 2) n
            """,
            rep=leaving.id,
            company=company.id,
            currency=company.currency_id.id,
            partners=partner_ids,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO spm_visit (name, partner_id, user_id, company_id, purpose, state,
                                   state_rank, planned_start, visit_date, create_date,
                                   write_date, create_uid, write_uid)
            SELECT 'BENCH/' || p || '/' || n, p, %(rep)s, %(company)s, 'routine', 'planned', 0,
                   now() + n * interval '1 day', (now() + n * interval '1 day')::date,
                   now(), now(), 1, 1
              FROM unnest(%(partners)s::int[]) p, generate_series(1, 4) n
            """,
            rep=leaving.id,
            company=company.id,
            partners=partner_ids,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO mail_followers (res_model, res_id, partner_id)
            SELECT 'res.partner', p, %(partner)s FROM unnest(%(partners)s::int[]) p
            """,
            partner=leaving.partner_id.id,
            partners=partner_ids,
        )
    )
    cr.execute(
        SQL(
            """
            INSERT INTO mail_activity (res_model_id, res_model, res_id, user_id, date_deadline,
                                       activity_type_id, summary, active, create_date,
                                       write_date, create_uid, write_uid)
            SELECT %(model)s, 'crm.lead', l, %(rep)s, current_date + 3, %(type)s, 'Call',
                   true, now(), now(), 1, 1
              FROM unnest(%(leads)s::int[]) l
             WHERE mod(l, 2) = 0
            """,
            model=env["ir.model"]._get_id("crm.lead"),
            rep=leaving.id,
            type=env.ref("mail.mail_activity_data_call").id,
            leads=lead_ids,
        )
    )
    env.invalidate_all()
    return partner_ids


def run(registry, size):
    import odoo  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        leaving, taking = _reps(env)
        try:
            generate(env, size, leaving)
            wizard = env["spm.handover.wizard"].create(
                {"from_user_id": leaving.id, "to_user_id": taking.id, "reason": "Bench"}
            )
            result = {}

            def hand_over():
                result["action"] = wizard.action_hand_over()

            seconds, queries = measure(env, hand_over)
            log = env["spm.handover.log"].browse(result["action"]["res_id"])
            moved = env["spm.handover.log.line"].search_count(
                [("log_id", "=", log.id), ("field_name", "=", "user_id")]
            )
            return {
                "size": size,
                "seconds": seconds,
                "queries": queries,
                "lines": len(log.line_ids),
                "moved": moved,
            }
        finally:
            cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="spm_bench_handover")
    parser.add_argument("--sizes", default="2000,10000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    ensure_database(args.db)
    registry = open_registry(args.db)
    rows = [run(registry, size) for size in sizes]
    print()
    print(
        f"{'customers':>9} {'records':>8} {'log lines':>9} {'seconds':>8} {'queries':>8}"
        f" {'ms/customer':>11} {'queries/customer':>16}"
    )
    for row in rows:
        print(
            f"{row['size']:>9,} {row['size'] * PER_CUSTOMER:>8,} {row['lines']:>9,}"
            f" {row['seconds']:>8.1f} {row['queries']:>8,}"
            f" {row['seconds'] * 1000 / row['size']:>11.2f}"
            f" {row['queries'] / row['size']:>16.2f}"
        )


if __name__ == "__main__":
    main()
