"""What the benchmark commands share: scratch databases, the registry, timing.

A benchmark builds its scratch database once (``ensure_database``; ``fresh=True`` drops
it first), opens it with ``open_registry`` and measures a callable with ``measure``:
wall time and SQL queries, both after flushing, so that a measure includes the writes
the operation queues.
"""

import os
import statistics
import subprocess
import sys
import time

import psycopg2

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.environ.get("VENV", os.path.join(ROOT, ".venv"))
CONF = os.environ.get("SPM_ODOO_CONF", os.path.join(VENV, "odoo.conf"))
ADDON = "sales_process_mgmt"


def addon_depends():
    import ast  # noqa: PLC0415

    with open(os.path.join(ROOT, ADDON, "__manifest__.py"), encoding="utf-8") as manifest:
        return ast.literal_eval(manifest.read())["depends"]


def database_exists(db):
    conn = psycopg2.connect(dbname="postgres")
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
            return bool(cr.fetchone())
    finally:
        conn.close()


def drop_database(db):
    conn = psycopg2.connect(dbname="postgres")
    conn.autocommit = True
    try:
        with conn.cursor() as cr:
            cr.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
    finally:
        conn.close()


def ensure_database(db, modules=(ADDON,), fresh=False):
    """A database with ``modules`` installed, without demo data (made once)."""
    if fresh:
        drop_database(db)
    elif database_exists(db):
        return
    print(f"[bench] creating {db} with {', '.join(modules)} (no demo data)...", flush=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "odoo",
            "-c",
            CONF,
            "-d",
            db,
            "-i",
            ",".join(modules),
            "--without-demo=all",
            "--stop-after-init",
            "--max-cron-threads=0",
            "--log-level=warn",
            "--no-http",
        ],
        check=True,
    )


_configured = False


def open_registry(db):
    """The registry of ``db``; Odoo's configuration is read once per process."""
    global _configured  # noqa: PLW0603
    import odoo  # noqa: PLC0415
    from odoo.modules.registry import Registry  # noqa: PLC0415
    from odoo.tools import config  # noqa: PLC0415

    if not _configured:
        config.parse_config(["-c", CONF, "--log-level", "warn", "--max-cron-threads", "0"])
        odoo.service.server.load_server_wide_modules()
        _configured = True
    return Registry(db)


def measure(env, operation, clock=time.perf_counter):
    """``(seconds, queries)`` of ``operation()``, its pending writes flushed. ``clock``:
    wall time by default; ``time.process_time`` counts the CPU time of this process only
    (not the database server's), which other work on a shared machine disturbs less."""
    env.flush_all()
    queries = env.cr.sql_log_count
    start = clock()
    operation()
    env.flush_all()
    return clock() - start, env.cr.sql_log_count - queries


def median(samples):
    """Median time in ms and median query count of ``[(seconds, queries), ...]``."""
    return (
        statistics.median(seconds for seconds, __ in samples) * 1000,
        statistics.median(queries for __, queries in samples),
    )


def fastest(samples):
    """Time in ms of the fastest of ``[(seconds, queries), ...]``."""
    return min(seconds for seconds, __ in samples) * 1000


def run_scheduled_job(registry, cron_xmlid, model, method, batch_size):
    """Call ``model.method(batch_size=...)`` (a job of ``spm_cron.run_batches`` shape)
    as the scheduler does, one batch per transaction, until nothing remains:
    ``(batch times, total seconds, queries, done)``."""
    import odoo  # noqa: PLC0415

    batches, queries, total_done = [], 0, 0
    start = time.perf_counter()
    while True:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            before = cr.sql_log_count
            batch_start = time.perf_counter()
            _cron, progress = env.ref(cron_xmlid)._add_progress()
            records = env[model].with_context(ir_cron_progress_id=progress.id)
            done = getattr(records, method)(batch_size=batch_size)
            env.flush_all()
            remaining = progress.remaining
            queries += cr.sql_log_count - before
        batches.append(time.perf_counter() - batch_start)
        total_done += done
        if not done or not remaining:
            return batches, time.perf_counter() - start, queries, total_done


def columns(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s "
        "ORDER BY ordinal_position",
        [table],
    )
    return [row[0] for row in cr.fetchall()]


def copy_rows(cr, table, overrides, source, params):
    """Insert one row into ``table`` per row of ``source`` (SQL after FROM, the template
    row aliased ``t``), every column as in the template but ``overrides``."""
    cols = columns(cr, table)
    select = ", ".join(overrides.get(col, f"t.{col}") for col in cols)
    cr.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM {source}", params)
