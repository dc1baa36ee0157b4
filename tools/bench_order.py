"""Order path of plain Odoo and of the addon, side by side in one run.

    .venv/bin/python tools/bench_order.py [--lines 50] [--rounds 20] [--fresh]
        [--plain-db spm_bench_plain] [--addon-db spm_bench_order]
        [--operations confirm,form save,lines.write,create] [--cpu]

Two scratch databases get the same data: ``spm_bench_plain`` has the addon's
dependencies but not the addon ("plain Odoo"), ``spm_bench_order`` has the addon with a
company discount policy whose floor (maximum discount) and budget apply and a collection
rule with every hold switched on (the customer is on none). Each round measures every
operation once per database, the two variants interleaved, each in a fresh transaction
that is rolled back; the variant measured first changes every round:

  confirm       action_confirm of a quotation of --lines lines
  form save     the write a form save sends: one update command per line changing
                its discount
  lines.write   order_line.write({'discount': ...}) in one call
  create        create a quotation of --lines lines

Prints what the addon database has switched on, then the median time and queries of
both variants and the ratios addon / plain, the ratio of the fastest runs (the one
least disturbed by other work on the machine) and the median of each round's ratio
(*paired*: the two variants of a round run one after the other). ``--operations`` runs
some of them only.
"""

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_common import (
    ADDON,
    addon_depends,
    ensure_database,
    fastest,
    measure,
    median,
    open_registry,
)

PLAIN_DB = "spm_bench_plain"
ADDON_DB = "spm_bench_order"
PREFIX = "Order bench"
OPERATIONS = ("confirm", "form save", "lines.write", "create")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--fresh", action="store_true", help="rebuild both databases")
    parser.add_argument(
        "--cpu",
        action="store_true",
        help="time the CPU of the Odoo process (not the database server's) instead of the "
        "wall clock: steadier on a machine busy with other work",
    )
    parser.add_argument("--plain-db", default=PLAIN_DB, help="database without the addon")
    parser.add_argument("--addon-db", default=ADDON_DB, help="database with the addon")
    parser.add_argument(
        "--operations",
        default=",".join(OPERATIONS),
        help="comma-separated, among: " + ", ".join(OPERATIONS),
    )
    args = parser.parse_args()
    args.operations = [name.strip() for name in args.operations.split(",")]
    unknown = set(args.operations) - set(OPERATIONS)
    if unknown:
        parser.error(f"unknown operations: {', '.join(sorted(unknown))}")
    return args


def setup(registry, lines):
    """Products, a customer and (with the addon) the rules, once per database; each
    part is made when it is missing, so that a database left by an earlier run is
    completed rather than measured without its rules."""
    import odoo  # noqa: PLC0415
    from odoo import Command  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        env.company.account_use_credit_limit = True
        Product = env["product.product"]
        existing = Product.search_count([("name", "=like", f"{PREFIX}%")])
        Product.create(
            [
                {
                    "name": f"{PREFIX} product {i:03d}",
                    "type": "consu",
                    "list_price": 100.0 + i,
                    "standard_price": 40.0 + i % 7,
                    "taxes_id": [Command.clear()],
                }
                for i in range(existing, lines)
            ]
        )
        Partner = env["res.partner"]
        if not Partner.search_count([("name", "=", f"{PREFIX} customer")]):
            Partner.create({"name": f"{PREFIX} customer", "is_company": True, "credit_limit": 1e9})
        # The registry holds models, not modules: the addon is there when its models are.
        if "spm.discount.policy" not in registry:
            return
        Policy = env["spm.discount.policy"]
        policy_values = {
            "floor_discount_enabled": True,
            "max_discount": 30.0,
            "budget_enabled": True,
            "budget_default_amount": 1e9,
        }
        policy = Policy.search([("company_id", "=", env.company.id), ("team_id", "=", False)])
        if policy:
            policy.write(policy_values)
        else:
            Policy.create(
                {"name": f"{PREFIX} policy", "company_id": env.company.id, **policy_values}
            )
        rules = env["spm.collection.rule"].search([("company_id", "=", env.company.id)])
        holds = {"block_orders_after_days": 30}
        holds.update(
            (name, True)
            for name in ("hold_overdue", "hold_deferrals", "hold_credit_limit")
            if name in rules._fields
        )
        rules.write(holds)


def describe(registry):
    """What the addon database has switched on, to be printed with the figures."""
    import odoo  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        policy = env["spm.discount.policy"].search(
            [("company_id", "=", env.company.id), ("team_id", "=", False)], limit=1
        )
        rules = env["spm.collection.rule"].search([("company_id", "=", env.company.id)])
        parts = []
        if policy.floor_discount_enabled:
            parts.append(f"floor (maximum discount {policy.max_discount:g} %)")
        if policy.budget_enabled:
            parts.append("budget")
        holds = [
            name.removeprefix("hold_").replace("_", " ")
            for name in ("hold_overdue", "hold_deferrals", "hold_credit_limit")
            if name in rules._fields and any(rules.mapped(name))
        ]
        if holds:
            parts.append(f"credit holds ({', '.join(holds)})")
        return ", ".join(parts) or "no rule"


def operations(env, lines):
    from odoo import Command  # noqa: PLC0415

    products = env["product.product"].search(
        [("name", "=like", f"{PREFIX}%")], order="name", limit=lines
    )
    partner = env["res.partner"].search([("name", "=", f"{PREFIX} customer")], limit=1)

    def new_quotation():
        return env["sale.order"].create(
            {
                "partner_id": partner.id,
                "user_id": env.uid,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_uom_qty": 1 + i % 9, "discount": 2.0}
                    )
                    for i, product in enumerate(products)
                ],
            }
        )

    def prepared(make):
        """An operation on a quotation made beforehand, not measured."""

        def run():
            order = new_quotation()
            env.flush_all()
            env.invalidate_all()
            return make(order)

        return run

    return {
        "confirm": prepared(lambda order: order.action_confirm),
        "form save": prepared(
            lambda order: (
                lambda: order.write(
                    {
                        "order_line": [
                            Command.update(line.id, {"discount": 5.0}) for line in order.order_line
                        ]
                    }
                )
            )
        ),
        "lines.write": prepared(lambda order: lambda: order.order_line.write({"discount": 7.0})),
        "create": lambda: new_quotation,
    }


def run_once(registry, lines, name, clock):
    import odoo  # noqa: PLC0415

    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = env(user=admin)
        operation = operations(env, lines)[name]()
        env.invalidate_all()
        sample = measure(env, operation, clock)
        cr.rollback()
    return sample


def main():
    args = parse_args()
    ensure_database(args.plain_db, addon_depends(), fresh=args.fresh)
    ensure_database(args.addon_db, (ADDON,), fresh=args.fresh)
    registries = {"plain": open_registry(args.plain_db), "addon": open_registry(args.addon_db)}
    for registry in registries.values():
        setup(registry, args.lines)
    print(f"[bench] the addon database has on: {describe(registries['addon'])}", flush=True)
    names = args.operations
    clock = time.process_time if args.cpu else time.perf_counter
    samples = {(name, variant): [] for name in names for variant in registries}
    for round_ in range(args.rounds):
        for name in names:
            variants = list(registries.items())
            for variant, registry in variants if round_ % 2 else reversed(variants):
                samples[name, variant].append(run_once(registry, args.lines, name, clock))
    what = "CPU time of the Odoo process" if args.cpu else "wall time"
    print(
        f"\n{args.lines}-line order, {what}, median of {args.rounds} rounds, variants "
        "interleaved:\n"
    )
    print(
        f"{'operation':<12} {'plain Odoo':>17} {'with the addon':>17} {'ratio':>14} "
        f"{'fastest runs':>23} {'paired':>7}"
    )
    for name in names:
        plain, addon = samples[name, "plain"], samples[name, "addon"]
        plain_ms, plain_q = median(plain)
        addon_ms, addon_q = median(addon)
        plain_best, addon_best = fastest(plain), fastest(addon)
        # each round's two variants ran one after the other: their ratio is the least
        # disturbed by the machine slowing down or speeding up between rounds
        paired = statistics.median(a / p for (a, __), (p, __) in zip(addon, plain, strict=True))
        print(
            f"{name:<12} {plain_ms:8.1f} ms {plain_q:4.0f} q {addon_ms:8.1f} ms {addon_q:4.0f} q "
            f"{addon_ms / plain_ms:6.2f}x {addon_q - plain_q:+4.0f} q "
            f"{plain_best:6.1f} / {addon_best:6.1f} ms {addon_best / plain_best:5.2f}x "
            f"{paired:6.2f}x"
        )


if __name__ == "__main__":
    main()
