#!/usr/bin/env bash
# `make screenshots`: the screenshots of the Apps page and README, taken from the
# Chinese demo (a fresh database made by tools/demo_db.sh) served on a free port:
# My Day and a visit (its stamped photos) on the phone as the rep 王磊 in Chinese, his collection kanban on
# the desktop, and as admin the customer archive, the DSO pivot and an order waiting
# for discount approval. Look at every picture before committing it.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
CONF=$VENV/odoo.conf
DB=${SPM_SHOTS_DB:-spm_screenshots}
OUT=$ROOT/sales_process_mgmt/static/description
PY=$VENV/bin/python

[ -n "${SPM_SKIP_PREPARE:-}" ] || "$ROOT/tools/prepare.sh"
PORT=${SPM_SHOTS_PORT:-$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

if [ -z "${SPM_SHOTS_REUSE:-}" ]; then
    echo "[screenshots] Creating the demo database $DB (a few minutes)"
    "$ROOT/tools/demo_db.sh" "$DB" "$PORT"
fi

mkdir -p "$ROOT/build"
"$PY" -m odoo -c "$CONF" -d "$DB" --db-filter "^$DB\$" --http-port "$PORT" \
    --gevent-port $((PORT + 1)) --max-cron-threads 0 --workers 0 --log-level warn \
    --logfile "$ROOT/build/screenshots-odoo.log" &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
    curl -fs -o /dev/null "http://localhost:$PORT/web/login" && break
    sleep 1
done

id_of() { # xml id of the addon's demo -> database id
    "$PY" -c "
import psycopg2
with psycopg2.connect(dbname='$DB') as conn, conn.cursor() as cr:
    cr.execute(\"SELECT res_id FROM ir_model_data WHERE module = 'sales_process_mgmt' AND name = %s\", ['$1'])
    print(cr.fetchone()[0])
"
}
action=/odoo/action-sales_process_mgmt
shot() { # name path [screenshot.py options]
    local name=$1 path=$2
    shift 2
    "$PY" "$ROOT/tools/screenshot.py" "$path" "$OUT/$name.png" \
        --base "http://localhost:$PORT" --db "$DB" "$@"
}
phone=(--login rep --password rep --width 390 --height 844)
desktop=(--login admin --password admin --width 1280 --height 800)

shot screenshot_my_day "$action.spm_visit_my_day_action" "${phone[@]}"
shot screenshot_visit "$action.spm_visit_my_day_action/$(id_of spm_visit_wang_huatong_1_demo)" "${phone[@]}" \
    --click ".o_notebook_headers a[name=photos]"
shot screenshot_archive "$action.spm_partner_archive_action" "${desktop[@]}"
# the rep's own tasks, on the desktop in Chinese
shot screenshot_collection "$action.spm_collection_task_action" --login rep --password rep \
    --width 1280 --height 800
# columns folded: one row per rep, the measures side by side
shot screenshot_dso "$action.spm_collection_report_action" "${desktop[@]}" \
    --click "thead .o_pivot_header_cell_opened"
shot screenshot_approval "$action.spm_sale_order_to_approve_action/$(id_of spm_sale_order_zhilian_demo)" "${desktop[@]}"
echo "[screenshots] Saved in ${OUT#"$ROOT"/}: look at each before committing"
