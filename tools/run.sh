#!/usr/bin/env bash
# `make run`: prepare everything, create the demo database once (tools/demo_db.sh: a
# company in China in CNY, the addon with its demo data, Chinese loaded), print the URL
# and the logins, serve Odoo on :8069.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
CONF=$VENV/odoo.conf
DB=${SPM_DB:-spm_demo}
PORT=${SPM_PORT:-8069}

"$ROOT/tools/prepare.sh"

# The demo is made once: a database where the addon is installed. A database
# left half-made by an interrupted first run is made again.
installed=$("$VENV/bin/python" -c "
import psycopg2
with psycopg2.connect(dbname='postgres') as conn, conn.cursor() as cr:
    cr.execute('SELECT 1 FROM pg_database WHERE datname = %s', ['$DB'])
    exists = cr.fetchone()
if exists:
    try:
        with psycopg2.connect(dbname='$DB') as conn, conn.cursor() as cr:
            cr.execute(\"SELECT state FROM ir_module_module WHERE name = 'sales_process_mgmt'\")
            row = cr.fetchone()
    except psycopg2.Error:
        row = None
    print('installed' if row and row[0] == 'installed' else 'partial')
")
if [ "$installed" = partial ]; then
    echo "[run] $DB exists without the addon installed (an interrupted first run): making it again"
    "$VENV/bin/python" -c "
import psycopg2
conn = psycopg2.connect(dbname='postgres'); conn.autocommit = True
conn.cursor().execute('DROP DATABASE \"$DB\" WITH (FORCE)')
"
    installed=
fi
if [ "$installed" != installed ]; then
    echo "[run] Creating the demo database $DB (a few minutes, once)"
    VENV=$VENV "$ROOT/tools/demo_db.sh" "$DB" "$PORT"
    update=()
else
    echo "[run] Reusing the demo database $DB (updating the addon)"
    update=(-u sales_process_mgmt)
fi

cat <<MSG

  Sales Process Management is served at  http://localhost:$PORT/odoo  (database $DB)
  Logins:  admin / admin   (sales manager, administrator)
           rep   / rep     (sales rep 王磊, Chinese interface)
           rep2  / rep2    (sales rep 李娜, Chinese interface)
  Stop with Ctrl-C. Start afresh: drop the database (dropdb $DB) and run make run.

MSG
exec "$VENV/bin/odoo" -c "$CONF" -d "$DB" --db-filter "^$DB\$" --http-port "$PORT" "${update[@]}"
