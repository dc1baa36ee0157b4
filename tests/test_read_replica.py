"""The reports read from a PostgreSQL read replica.

Odoo 18 serves the ``@api.readonly`` calls of ``/web/dataset/call_kw`` (``read_group``,
which the pivot view sends, ``web_read_group``, ``web_search_read``, ``search_read``) on
a cursor of the replica when ``db_replica_host`` is set, and writes on the primary. The
addon's reports read without writes, sequences or temporary tables so that they can be
served there (``sales_process_mgmt/tests/test_report_read_only.py`` checks each one on a
read-only transaction); this test shows it on a real replica.

It makes a PostgreSQL primary and a streaming replica of its own in a temporary folder
(``initdb``, ``pg_basebackup -R``, free local ports, sockets in the folder), installs the
addon on the primary without demo data, adds a sales manager and a rep's target, and
serves Odoo with ``--db_replica_host`` and ``--db_replica_port``. Over HTTP the manager
logs in, opens the scorecard's pivot (the ``read_group`` calls the pivot view sends)
and its list grouped by rep (``web_read_group``), then creates a customer in the same
session. ``pg_stat_statements`` (loaded on both clusters; a standby keeps statistics of
the statements it ran itself) shows the scorecard's query on the replica and not on the
primary, and the customer's ``INSERT`` on the primary, with no write on the replica.

The database server the other tests use is never touched: everything here connects to
the temporary clusters by their ports, and the folder (clusters, filestore, logs) is
removed afterwards, the clusters stopped and Odoo ended, also when a step fails.
"""

import contextlib
import json
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import psycopg2
import pytest
import requests
from odoo_subprocess import BATCH_RUN, log_tail, odoo_command, odoo_env, run_odoo

from odoo.addons.sales_process_mgmt.tests.common_scorecard import DUTY_LINES

ADDON = "sales_process_mgmt"
DB = "spm_replica"
# The clusters' superuser, Odoo's database user (Odoo refuses to connect as "postgres").
DB_USER = "odoo"
MANAGER = ("replica_manager", "replica-manager-password")
TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "postgres")
# The scorecard's query, whatever the grouping: the frozen rows' table and the live
# rows' part for first orders (pg_stat_statements keeps the text, constants replaced).
SCORECARD_QUERY = ("spm_rep_scorecard_snapshot", "first_order")
# The pivot as the scorecard's menu opens it (report/spm_rep_scorecard_views.xml): its
# measures with their aggregators, rows by rep, columns by duty; the pivot view reads
# the total, each axis and the cells, each with one read_group.
PIVOT_MEASURES = ["attainment:avg", "weighted_score:sum"]
PIVOT_GROUPBYS = [[], ["user_id"], ["duty"], ["user_id", "duty"]]
# Odoo's log when a read-only request wrote and ran again on the primary, or when no
# replica cursor could be had (then every read went to the primary).
FALLBACK_LOGS = ("retrying with a read/write cursor", "Failed to open a readonly cursor")

# Run with ``odoo shell`` on the primary: a sales manager, a rep and the rep's target of
# the seven duties for the month of ``SPM_TODAY``.
MAKE_DATA = """
import json, os
from datetime import date
from odoo import Command
login, password = json.loads(os.environ["SPM_MANAGER"])
today = date.fromisoformat(os.environ["SPM_TODAY"])
Users = env["res.users"].with_context(no_reset_password=True)
Users.create({
    "name": "Replica Manager",
    "login": login,
    "password": password,
    "groups_id": [Command.set([env.ref("sales_team.group_sale_manager").id])],
})
rep = Users.create({
    "name": "Replica Rep",
    "login": "replica_rep",
    "groups_id": [Command.set([env.ref("sales_team.group_sale_salesman").id])],
})
env["spm.rep.target"].create({
    "user_id": rep.id,
    "period": "month",
    "date_from": today.replace(day=1),
    "line_ids": [
        Command.create({"duty": duty, "target": target, "weight": weight})
        for duty, target, weight in json.loads(os.environ["SPM_DUTY_LINES"])
    ],
})
env.cr.commit()
"""


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _postgres_bindir():
    """The folder of a PostgreSQL installation with all of ``TOOLS``: the one the
    ``initdb`` on PATH links to (PATH may hold links to some of the tools only), else
    ``pg_config --bindir``, else the newest of Debian's /usr/lib/postgresql/*/bin."""
    candidates = []
    initdb = shutil.which("initdb")
    if initdb:
        candidates.append(Path(initdb).resolve().parent)
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            bindir = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30
            ).stdout.strip()
            candidates.append(Path(bindir))
    candidates += sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if all((folder / tool).is_file() for tool in TOOLS):
            return folder
    pytest.fail(f"no PostgreSQL installation with {', '.join(TOOLS)} (looked in {candidates})")


def _cluster_account():
    """(uid, gid) the clusters run as, None to run them as this process.

    PostgreSQL refuses to run as root ("root" execution of the PostgreSQL server is
    not permitted), and ``make test`` may run as root (a container). Then the clusters'
    tools run as ``nobody``, which owns no file, so they can reach nothing but the
    temporary folder, given to it (else as the ``postgres`` account of the server
    packages, the owner of the machine's own server's files). The switch is made by
    subprocess itself (setgid, no supplementary group, setuid, then exec): no
    ``su``/``runuser`` session, PAM or password, and it works wherever the test runs as
    root. The clusters' superuser (``DB_USER``) is a database role only; Odoo, still
    root here, connects to it over TCP on 127.0.0.1."""
    if os.geteuid() != 0:
        return None
    for name in ("nobody", "postgres"):
        with contextlib.suppress(KeyError):
            account = pwd.getpwnam(name)
            return account.pw_uid, account.pw_gid
    pytest.fail("running as root and no unprivileged account (nobody, postgres) to run PostgreSQL")


class Cluster:
    """A PostgreSQL cluster in ``folder``, listening on 127.0.0.1:``port`` and on a
    socket in ``socket_dir``; its tools run as ``account``."""

    def __init__(self, bindir, folder, port, socket_dir, account):
        self.bindir = bindir
        self.folder = folder
        self.port = port
        self.socket_dir = socket_dir
        self.account = account
        self.log = folder.parent / f"{folder.name}.log"
        self.started = False

    def run(self, tool, *args, timeout=300):
        """Run ``tool`` of the installation as the cluster's account; fail with its
        output and the server's log."""
        switch = {}
        if self.account:
            switch = {"user": self.account[0], "group": self.account[1], "extra_groups": []}
        # no PG* variable of this process: the tools talk to this cluster only
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(self.socket_dir), "LC_ALL": "C"}
        command = [str(self.bindir / tool), *map(str, args)]
        done = subprocess.run(
            command,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=timeout,
            cwd=self.socket_dir,
            **switch,
        )
        if done.returncode:
            pytest.fail(
                f"{' '.join(command)} exited with {done.returncode}\n{done.stdout[-2000:]}\n"
                f"{done.stderr[-2000:]}\n{log_tail(self.log, 3000)}"
            )
        return done.stdout

    def configure(self, **settings):
        """Append ``settings`` to postgresql.conf (the last value of a setting wins)."""
        lines = [f"{name} = {value}" for name, value in settings.items()]
        with open(self.folder / "postgresql.conf", "a") as conf:
            conf.write("\n".join(["", "# the read replica test", *lines, ""]))

    def start(self):
        # -l: the server's output goes to the log, not to the pipes read above
        self.run("pg_ctl", "start", "-w", "-t", "120", "-D", self.folder, "-l", self.log)
        self.started = True

    def stop(self):
        # not when it was never started or has stopped by itself
        if self.started and (self.folder / "postmaster.pid").exists():
            self.started = False
            self.run("pg_ctl", "stop", "-m", "immediate", "-w", "-D", self.folder, timeout=60)

    def connect(self, dbname=DB):
        conn = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=DB_USER, dbname=dbname, connect_timeout=10
        )
        conn.autocommit = True
        return conn

    def query(self, sql, params=None, dbname=DB):
        with contextlib.closing(self.connect(dbname)) as conn, conn.cursor() as cr:
            cr.execute(sql, params)
            return cr.fetchall() if cr.description else None

    def statements(self):
        """(query, calls) of what the cluster ran in the database since the last reset."""
        return self.query(
            """
            SELECT statement.query, statement.calls
              FROM pg_stat_statements statement
              JOIN pg_database db ON db.oid = statement.dbid
             WHERE db.datname = current_database()
            """
        )

    def reset_statements(self):
        self.query("SELECT pg_stat_statements_reset()")


def _make_clusters(tmp, stack):
    """A primary and its streaming replica (hot standby) in ``tmp``, both started and
    accepting connections; ``stack`` stops them."""
    bindir = _postgres_bindir()
    account = _cluster_account()
    if account:
        os.chown(tmp, *account)
    primary = Cluster(bindir, tmp / "primary", _free_port(), tmp, account)
    replica = Cluster(bindir, tmp / "replica", _free_port(), tmp, account)
    primary.run(
        "initdb",
        "-D",
        primary.folder,
        "-U",
        DB_USER,
        "--auth=trust",
        "--encoding=UTF8",
        "--locale=C",
        "--no-sync",
    )
    primary.configure(
        listen_addresses="'127.0.0.1'",
        port=primary.port,
        unix_socket_directories=f"'{tmp}'",
        wal_level="replica",
        max_wal_senders=4,
        hot_standby="on",
        shared_preload_libraries="'pg_stat_statements'",
        shared_buffers="64MB",
        # a throwaway cluster: no wait on the disk
        fsync="off",
        full_page_writes="off",
    )
    (primary.folder / "pg_hba.conf").write_text(
        "local all all trust\n"
        "local replication all trust\n"
        "host all all 127.0.0.1/32 trust\n"
        "host replication all 127.0.0.1/32 trust\n"
    )
    stack.callback(primary.stop)
    primary.start()
    # the replica: a copy of the primary that streams its WAL (-R: standby.signal and
    # primary_conninfo), on a port of its own
    primary.run(
        "pg_basebackup",
        "-h",
        "127.0.0.1",
        "-p",
        primary.port,
        "-U",
        DB_USER,
        "-D",
        replica.folder,
        "-R",
        "-X",
        "stream",
        "-c",
        "fast",
    )
    replica.configure(port=replica.port)
    stack.callback(replica.stop)
    replica.start()
    [[in_recovery]] = replica.query("SELECT pg_is_in_recovery()", dbname="postgres")
    assert in_recovery, "the replica is not a standby"
    return primary, replica


def _wait_replayed(primary, replica, timeout=120):
    """Wait until the replica has replayed all the primary has written to its WAL so far."""
    [[lsn]] = primary.query("SELECT pg_current_wal_insert_lsn()::text", dbname="postgres")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        [[done]] = replica.query(
            "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [lsn], dbname="postgres"
        )
        if done:
            return
        time.sleep(0.2)
    pytest.fail(f"the replica did not replay the primary's WAL up to {lsn} in {timeout} s")


def _stop_server(server):
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _serve(args, logfile, url, timeout=300):
    """Odoo serving HTTP on ``url`` with ``args``, once it answers there."""
    server = subprocess.Popen(
        odoo_command(args, logfile),
        env=odoo_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"Odoo exited with {server.returncode}\n{log_tail(logfile)}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(f"{url}/web/login", timeout=10).status_code == 200:
                return server
        time.sleep(1)
    _stop_server(server)
    pytest.fail(f"Odoo did not answer on {url} in {timeout} s\n{log_tail(logfile)}")


@pytest.fixture(scope="module")
def replicated():
    """Odoo serving the addon from a primary and its replica: a dict with the clusters
    (``primary``, ``replica``), the server's ``url`` and ``log``, ``seconds`` per step."""
    tmp = Path(tempfile.mkdtemp(prefix="spm-replica-"))
    seconds = {}
    with contextlib.ExitStack() as stack:
        stack.callback(shutil.rmtree, tmp, ignore_errors=True)
        start = time.monotonic()
        primary, replica = _make_clusters(tmp, stack)
        seconds["clusters"] = time.monotonic() - start
        # Odoo as the tests' own configuration has it, on the primary, its files in the
        # temporary folder
        on_primary = [
            "--db_host",
            "127.0.0.1",
            "--db_port",
            str(primary.port),
            "--db_user",
            DB_USER,
            "--data-dir",
            str(tmp / "odoo-data"),
        ]
        start = time.monotonic()
        run_odoo(
            ["-d", DB, "-i", ADDON, "--without-demo=all", *on_primary, *BATCH_RUN],
            tmp / "install.log",
        )
        seconds["install"] = time.monotonic() - start
        today = datetime.now(timezone.utc).date()
        run_odoo(
            ["shell", "-d", DB, *on_primary, "--no-http", "--log-level", "warn"],
            tmp / "data.log",
            stdin=MAKE_DATA,
            extra_env={
                "SPM_MANAGER": json.dumps(MANAGER),
                "SPM_TODAY": today.isoformat(),
                "SPM_DUTY_LINES": json.dumps(DUTY_LINES),
            },
        )
        # created on the primary, the extension's view is on the replica too
        primary.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
        url = f"http://127.0.0.1:{_free_port()}"
        log = tmp / "server.log"
        start = time.monotonic()
        server = _serve(
            [
                "-d",
                DB,
                "--db-filter",
                f"^{DB}$",
                *on_primary,
                # both: without the host Odoo builds no replica pool, without the port
                # it connects the pool to the host's default port
                "--db_replica_host",
                "127.0.0.1",
                "--db_replica_port",
                str(replica.port),
                "--http-interface",
                "127.0.0.1",
                "--http-port",
                url.rsplit(":", 1)[1],
                "--workers",
                "0",
                "--max-cron-threads",
                "0",
                "--log-level",
                "info",
            ],
            log,
            url,
        )
        stack.callback(_stop_server, server)
        seconds["server"] = time.monotonic() - start
        _wait_replayed(primary, replica)
        yield {
            "primary": primary,
            "replica": replica,
            "url": url,
            "log": log,
            "today": today,
            "seconds": seconds,
        }


class Client:
    """A JSON-RPC client of Odoo at ``url`` keeping its session, as the web client."""

    def __init__(self, url):
        self.url = url
        self.session = requests.Session()

    def rpc(self, route, params):
        response = self.session.post(
            f"{self.url}{route}",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": params},
            timeout=120,
        )
        response.raise_for_status()
        answer = response.json()
        assert "error" not in answer, f"{route}: {answer['error']}"
        return answer["result"]

    def call_kw(self, model, method, args, **kwargs):
        return self.rpc(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": args, "kwargs": kwargs},
        )


def test_the_replica_streams_from_the_primary(replicated):
    primary, replica = replicated["primary"], replicated["replica"]
    streaming = primary.query(
        "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", dbname="postgres"
    )
    assert streaming == [(1,)], "the primary streams to no standby"
    assert replica.query("SELECT pg_is_in_recovery()") == [(True,)]
    # the addon and the test's data came from the primary
    assert replica.query("SELECT count(*) FROM spm_rep_target") == [(1,)]
    print(f"read replica test, seconds per step: {replicated['seconds']}")


def test_the_scorecard_reads_on_the_replica_and_the_write_goes_to_the_primary(replicated):
    primary, replica, url = replicated["primary"], replicated["replica"], replicated["url"]
    today = replicated["today"].isoformat()
    primary.reset_statements()
    replica.reset_statements()

    client = Client(url)
    login, password = MANAGER
    user = client.rpc("/web/session/authenticate", {"db": DB, "login": login, "password": password})
    context = user["user_context"]
    # the menu's default filter: the current period
    domain = [["date_from", "<=", today], ["date_to", ">=", today]]
    pivot = [
        client.call_kw(
            "spm.rep.scorecard",
            "read_group",
            [],
            domain=domain,
            fields=PIVOT_MEASURES,
            groupby=groupby,
            lazy=False,
            context=context,
        )
        for groupby in PIVOT_GROUPBYS
    ]
    # the list grouped by rep
    by_rep = client.call_kw(
        "spm.rep.scorecard",
        "web_read_group",
        [],
        domain=domain,
        fields=["weighted_score:sum"],
        groupby=["user_id"],
        context=context,
    )
    # a write in the same session
    [customer_id] = client.call_kw(
        "res.partner", "create", [[{"name": "Replica test customer"}]], context=context
    )

    # the reads saw the rep's seven duties
    [rep_group] = pivot[1]
    assert rep_group["user_id"][1] == "Replica Rep", rep_group
    assert rep_group["__count"] == len(DUTY_LINES), rep_group
    assert len(pivot[3]) == len(DUTY_LINES), pivot[3]
    assert by_rep["length"] == 1, by_rep

    log = replicated["log"].read_text(errors="replace")
    fallbacks = [line for line in log.splitlines() if any(text in line for text in FALLBACK_LOGS)]
    assert not fallbacks, "reads that went to the primary:\n" + "\n".join(fallbacks)

    def scorecard(statements):
        return sum(
            calls for query, calls in statements if all(part in query for part in SCORECARD_QUERY)
        )

    def writes(statements):
        return [
            (query, calls)
            for query, calls in statements
            if re.match(r"\s*(INSERT|UPDATE|DELETE)\b", query, re.IGNORECASE)
        ]

    on_replica, on_primary = replica.statements(), primary.statements()
    reads = len(PIVOT_GROUPBYS) + 1
    assert scorecard(on_replica) >= reads, (
        f"the scorecard's query ran {scorecard(on_replica)} times on the replica, for "
        f"{reads} reads:\n{on_replica}"
    )
    assert scorecard(on_primary) == 0, "the scorecard's query ran on the primary"
    assert not writes(on_replica), f"writes on the replica: {writes(on_replica)}"
    inserts = [query for query, _calls in writes(on_primary) if 'INTO "res_partner"' in query]
    assert inserts, f"the customer's INSERT is not among the primary's writes: {writes(on_primary)}"
    assert primary.query("SELECT name FROM res_partner WHERE id = %s", [customer_id]) == [
        ("Replica test customer",)
    ]
    # and the replica follows
    _wait_replayed(primary, replica)
    assert replica.query("SELECT count(*) FROM res_partner WHERE id = %s", [customer_id]) == [(1,)]
