"""Benchmark of check-in verification with coordinate datums.

Usage: .venv/bin/python tools/bench_geo.py [--count 10000] [--repeat 5]

What a check-in computes for its distance (``spm.visit._spm_locate``): the customer's
coordinates converted to WGS-84 (``spm_geo.to_wgs84``, prcoords' precise inverse) and the
great-circle distance to the phone. Times ``--count`` check-ins at random customers
across mainland China, per datum of the customers, best of ``--repeat`` runs, beside
prcoords' one-step (rough) inverse and how far off it is. No database is needed.
"""

import argparse
import os
import random
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load():
    import odoo.addons  # noqa: PLC0415

    # the addon of this checkout, as Odoo's addons path would find it
    odoo.addons.__path__.insert(0, ROOT)
    from odoo.addons.sales_process_mgmt.models import spm_geo  # noqa: PLC0415
    from odoo.addons.sales_process_mgmt.models.spm_visit import distance_m  # noqa: PLC0415

    return spm_geo, distance_m


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import prcoords  # noqa: PLC0415

    spm_geo, distance_m = load()
    rng = random.Random(42)
    # shops across mainland China (WGS-84), phones within 300 m of them
    shops = [(rng.uniform(22.0, 40.0), rng.uniform(103.0, 122.0)) for _ in range(args.count)]
    phones = [(lat + rng.uniform(-0.0027, 0.0027), lon) for lat, lon in shops]
    rough = {"gcj02": prcoords.gcj_wgs, "bd09": prcoords.bd_wgs}
    print(f"distance verification of {args.count:,} check-ins, best of {args.repeat} runs")
    for datum in ("wgs84", "gcj02", "bd09"):
        customers = [spm_geo.from_wgs84(lat, lon, datum) for lat, lon in shops]

        def verify(customers=customers, datum=datum):
            for customer, phone in zip(customers, phones, strict=True):
                position = spm_geo.to_wgs84(customer[0], customer[1], datum)
                distance_m(phone[0], phone[1], position[0], position[1])

        times = []
        for _run in range(args.repeat):
            start = time.perf_counter()
            verify()
            times.append(time.perf_counter() - start)
        best = min(times)
        errors = [
            distance_m(*spm_geo.to_wgs84(*customer, datum), *shop)
            for customer, shop in zip(customers, shops, strict=True)
        ]
        line = (
            f"  {datum:6} {best * 1000:8.1f} ms  ({best / args.count * 1e6:5.1f} µs per check-in,"
            f" median run {statistics.median(times) * 1000:.1f} ms)"
            f"  precise inverse off by at most {max(errors) * 1000:.3f} mm"
        )
        if datum in rough:
            off = max(
                distance_m(*rough[datum](customer), *shop)
                for customer, shop in zip(customers, shops, strict=True)
            )
            line += f", one-step inverse by up to {off:.2f} m"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
