"""Odoo run in a subprocess with the tests' own configuration (the file pytest-odoo was
given with ``--odoo-config``, hence its addons path) and the interpreter running the
tests (the venv's): the upgrade tests and the read replica test build databases of
their own so."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import odoo

# An install or upgrade run to its end, without server or scheduler.
BATCH_RUN = [
    "--stop-after-init",
    "--no-http",
    "--workers",
    "0",
    "--max-cron-threads",
    "0",
    "--log-level",
    "warn",
]


def odoo_command(args, logfile):
    """The command line of the venv's Odoo with the test configuration and ``args``."""
    return [
        sys.executable,
        "-m",
        "odoo",
        *args,
        "-c",
        odoo.tools.config.rcfile,
        "--logfile",
        str(logfile),
    ]


def odoo_env(pythonpath=None, extra_env=None):
    """The environment of an Odoo subprocess: this one's, ``pythonpath`` first on
    ``PYTHONPATH``, plus ``extra_env``."""
    env = dict(os.environ, **(extra_env or {}))
    if pythonpath:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return env


def log_tail(logfile, chars=6000):
    path = Path(logfile)
    return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def run_odoo(args, logfile, pythonpath=None, stdin=None, extra_env=None):
    """Run the venv's Odoo with the test configuration; fail with the log's tail."""
    command = odoo_command(args, logfile)
    done = subprocess.run(
        command,
        check=False,
        env=odoo_env(pythonpath, extra_env),
        input=stdin,
        text=True,
        capture_output=True,
    )
    if done.returncode:
        pytest.fail(
            f"{' '.join(command)} exited with {done.returncode}\n{done.stderr[-3000:]}\n"
            f"{log_tail(logfile)}"
        )
