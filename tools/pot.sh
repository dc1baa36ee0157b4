#!/usr/bin/env bash
# Regenerates sales_process_mgmt/i18n/sales_process_mgmt.pot from a database
# where the addon is installed (SPM_DB, default the test database) and merges
# new messages into zh_CN.po (untranslated until someone translates them).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
DB=${SPM_DB:-spm_test}
I18N=$ROOT/sales_process_mgmt/i18n
"$VENV/bin/python" -m odoo -c "$VENV/odoo.conf" -d "$DB" -u sales_process_mgmt --stop-after-init --log-level warn
"$VENV/bin/python" -m odoo -c "$VENV/odoo.conf" -d "$DB" --i18n-export "$I18N/sales_process_mgmt.pot" \
    --modules sales_process_mgmt --stop-after-init --log-level warn
if [ -f "$I18N/zh_CN.po" ]; then
    "$VENV/bin/python" - "$I18N" <<'PY'
import sys
import polib
i18n = sys.argv[1]
po = polib.pofile(f"{i18n}/zh_CN.po")
po.merge(polib.pofile(f"{i18n}/sales_process_mgmt.pot"))
po.save()
PY
fi
echo "Updated $I18N"
