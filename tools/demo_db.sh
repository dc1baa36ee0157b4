#!/usr/bin/env bash
# Creates the demo database DB afresh, as Odoo's database manager creates one for a
# company in China: country China and currency CNY from the start, so that installing
# Accounting also installs the Chinese chart of accounts (l10n_cn, which Odoo installs
# by itself for a company in China) before any journal entry exists: amounts in CNY,
# on the Chinese small-business chart (the addon does not depend on l10n_cn). Then the addon
# with its demo data and Chinese; the reps work in Chinese, admin keeps English.
#   tools/demo_db.sh DB [PORT]      (uses $VENV, default .venv, and its odoo.conf)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
CONF=$VENV/odoo.conf
DB=$1
PORT=${2:-8069}

"$VENV/bin/python" - "$CONF" "$DB" <<'PY'
import sys

import psycopg2

conf, db = sys.argv[1:]
conn = psycopg2.connect(dbname="postgres")
conn.autocommit = True
conn.cursor().execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
conn.close()

import odoo  # noqa: E402
from odoo.service import db as dbs  # noqa: E402

odoo.tools.config.parse_config(["-c", conf, "--log-level", "warn"])
dbs.exp_create_database(db, True, "en_US", "admin", "admin", "CN")
PY
# The chart first: Odoo would install it only after the addon's demo data, which needs
# the sales journal.
for modules in l10n_cn sales_process_mgmt; do
    "$VENV/bin/python" -m odoo -c "$CONF" -d "$DB" -i "$modules" --load-language zh_CN \
        --stop-after-init --log-level warn --http-port "$PORT" --max-cron-threads 0
done
"$VENV/bin/python" -m odoo shell -c "$CONF" -d "$DB" --log-level warn --no-http <<'PY' >/dev/null
env["res.lang"]._activate_lang("en_US")
env.ref("base.user_admin").lang = "en_US"
# l10n_cn's demo adds two sample companies: the demo users work in the distributor only.
company = env.ref("base.main_company")
env.ref("base.user_admin").write({"company_id": company.id, "company_ids": [(6, 0, company.ids)]})
env.cr.commit()
PY
