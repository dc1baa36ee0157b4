"""Benchmark of My Day's route (spm.visit.action_plan_my_route).

Usage: .venv/bin/python tools/bench_route.py [--db spm_bench_route] [--sizes 30,100]
    [--rounds 20] [--fresh]

For each size (the number of visits of one rep's day):

  order        the heuristic alone (models/spm_route.py: nearest neighbour, 2-opt and
               Or-opt from three first stops) on --rounds random days of that many
               customers in a 20 km square of Shanghai: median time, and how much shorter
               the route is than nearest neighbour alone (median);
  plan         action_plan_my_route as the rep on a day of that many planned visits of
               3 minutes at located customers (the rep in a timezone where the day has
               just begun, so that it fits): median time and SQL queries;
  apply        action_apply_route_times after it: median time and SQL queries.

The database (the addon installed without demo data) is made once; the day is created
in a transaction that is rolled back after each round, so every round starts the same.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import ensure_database, measure, median, open_registry

PREFIX = "Route bench"


def early_timezone(now):
    """``(timezone name, UTC offset in hours)`` of a zone where it is now between 01:00
    and 02:00, so that a long day fits before the rep's midnight whenever the benchmark
    runs."""
    offset = (1 - now.hour) % 24
    if offset > 14:
        offset -= 24
    # the Etc zones count the other way round: Etc/GMT-8 is UTC+8
    return f"Etc/GMT{-offset:+d}", offset


def random_day(rng, size):
    def point():
        return (31.1 + rng.random() * 0.2, 121.35 + rng.random() * 0.2)

    return point(), [point() for _index in range(size)]


def bench_order(size, rounds):
    from odoo.addons.sales_process_mgmt.models.spm_route import (  # noqa: PLC0415
        distance_matrix,
        nearest_neighbour,
        order_route,
        path_length,
    )

    rng = random.Random(size)
    times, gains = [], []
    for _round in range(rounds):
        start, points = random_day(rng, size)
        began = time.perf_counter()
        order = order_route(start, points)
        times.append(time.perf_counter() - began)
        matrix = distance_matrix(start, points)
        length = path_length(matrix, [0, *(i + 1 for i in order)])
        nn_length = path_length(matrix, nearest_neighbour(matrix))
        gains.append(100 * (1 - length / nn_length))
    return statistics.median(times) * 1000, statistics.median(gains)


def make_day(env, size, rng):
    """A rep in Shanghai with ``size`` planned visits today at located customers."""
    from odoo import fields  # noqa: PLC0415

    now = fields.Datetime.now()
    tz, offset = early_timezone(now)
    rep = env["res.users"].search([("login", "=", "route_bench_rep")])
    if not rep:
        rep = env["res.users"].create(
            {
                "name": f"{PREFIX} rep",
                "login": "route_bench_rep",
                "groups_id": [(6, 0, [env.ref("sales_team.group_sale_salesman").id])],
            }
        )
    rep.tz = tz
    _start, points = random_day(rng, size)
    partners = env["res.partner"].create(
        [
            {
                "name": f"{PREFIX} customer {n}",
                "is_company": True,
                "user_id": rep.id,
                "partner_latitude": lat,
                "partner_longitude": lon,
            }
            for n, (lat, lon) in enumerate(points)
        ]
    )
    # from 02:00 of the rep's day, one visit every 5 minutes
    local = now + timedelta(hours=offset)
    first = local.replace(hour=2, minute=0, second=0, microsecond=0) - timedelta(hours=offset)
    env["spm.visit"].create(
        [
            {
                "partner_id": partner.id,
                "user_id": rep.id,
                "planned_start": first + timedelta(minutes=5 * n),
                "planned_duration": 0.05,
            }
            for n, partner in enumerate(partners)
        ]
    )
    return rep


def bench_actions(registry, size, rounds):
    import odoo  # noqa: PLC0415

    rng = random.Random(size)
    plans, applies = [], []
    for _round in range(rounds):
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            rep = make_day(env, size, rng)
            visits = env["spm.visit"].with_user(rep)
            env.flush_all()
            env.invalidate_all()
            plans.append(
                measure(env, lambda visits=visits: visits.action_plan_my_route(31.2304, 121.4737))
            )
            env.invalidate_all()
            applies.append(measure(env, visits.action_apply_route_times))
            cr.rollback()
    return median(plans), median(applies)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="spm_bench_route")
    parser.add_argument("--sizes", default="30,100")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="rebuild the database")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    ensure_database(args.db, fresh=args.fresh)
    registry = open_registry(args.db)
    print()
    print(
        f"{'visits':>6} {'order ms':>9} {'vs NN':>7} {'plan ms':>8} {'queries':>8} "
        f"{'apply ms':>9} {'queries':>8}"
    )
    for size in sizes:
        order_ms, gain = bench_order(size, args.rounds)
        (plan_ms, plan_q), (apply_ms, apply_q) = bench_actions(registry, size, args.rounds)
        print(
            f"{size:>6} {order_ms:>9.1f} {-gain:>6.1f}% {plan_ms:>8.1f} {plan_q:>8.0f} "
            f"{apply_ms:>9.1f} {apply_q:>8.0f}"
        )
    print(
        "\norder: the heuristic alone, median of the rounds; vs NN: its route's length "
        "against nearest neighbour alone (median); plan / apply: the actions as the rep, "
        "SQL included."
    )


if __name__ == "__main__":
    main()
