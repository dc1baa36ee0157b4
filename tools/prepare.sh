#!/usr/bin/env bash
# Prepares everything `make run` and `make test` need, idempotently:
#   - a .venv with a Python that Odoo 18.0 supports (3.12 preferred);
#   - Odoo 18.0 installed into it from $ODOO_SRC, else from the cache directory,
#     else from the official source download;
#   - the project's own Python dependencies (requirements-dev.txt) and the addon;
#   - a PostgreSQL server reachable with libpq's defaults / PG* variables;
#   - Chromium (browser tours), wkhtmltopdf and CJK fonts (PDF reports).
# A second run reuses what is there and only reinstalls the addon.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
CACHE=${SPM_CACHE:-$HOME/.cache/sales_process_mgmt}
ODOO_CACHE=$CACHE/odoo-18.0
ODOO_URL=${ODOO_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}
CONF=$VENV/odoo.conf

say() { printf '[prepare] %s\n' "$*"; }
die() {
    printf '\n[prepare] ERROR: %s\n\n' "$*" >&2
    exit 1
}
is_odoo18() { [ -f "$1/odoo/release.py" ] && grep -q 'version_info = (18, 0' "$1/odoo/release.py"; }
can_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
    can_apt || return 1
    if [ ! -f /tmp/.spm-apt-updated ]; then
        apt-get update -qq && touch /tmp/.spm-apt-updated
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

find_python() {
    local candidates=("${PYTHON:-}" python3.12)
    candidates+=("$HOME"/.pyenv/versions/3.12*/bin/python3.12)
    candidates+=(python3.11 "$HOME"/.pyenv/versions/3.11*/bin/python3.11 python3.10)
    candidates+=(python3.13 "$HOME"/.pyenv/versions/3.13*/bin/python3.13 python3)
    for py in "${candidates[@]}"; do
        [ -n "$py" ] && command -v "$py" >/dev/null 2>&1 || continue
        if "$py" -c 'import sys; sys.exit(not (3, 10) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null; then
            command -v "$py"
            return
        fi
    done
    die "No Python 3.10-3.13 found (Odoo 18.0 supports these). Install python3.12 or set PYTHON=/path/to/python3.12."
}

locate_odoo() {
    if [ -n "${ODOO_SRC:-}" ]; then
        is_odoo18 "$ODOO_SRC" || die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree (no odoo/release.py for 18.0)."
        echo "$ODOO_SRC"
        return
    fi
    if is_odoo18 "$ODOO_CACHE"; then
        echo "$ODOO_CACHE"
        return
    fi
    say "Downloading the official Odoo 18.0 source into $ODOO_CACHE" >&2
    local tmp
    tmp=$(mktemp -d)
    if curl -fsSL --retry 2 "$ODOO_URL" -o "$tmp/odoo.tar.gz" 2>/dev/null &&
        mkdir -p "$tmp/src" && tar -xzf "$tmp/odoo.tar.gz" --strip-components=1 -C "$tmp/src" &&
        is_odoo18 "$tmp/src"; then
        mkdir -p "$CACHE" && rm -rf "$ODOO_CACHE" && mv "$tmp/src" "$ODOO_CACHE" && rm -rf "$tmp"
        echo "$ODOO_CACHE"
        return
    fi
    rm -rf "$tmp"
    die "Odoo 18.0 source not found and could not be downloaded. Provide it in one of these ways:
  1. export ODOO_SRC=/path/to/odoo   (a checkout of the odoo/odoo repository, branch 18.0)
  2. unpack an Odoo 18.0 source tree into $ODOO_CACHE
  3. let this step download $ODOO_URL (needs network access to it)
then run the command again."
}

# What a fresh Debian/Ubuntu lacks to build the venv and Odoo's requirements
# (psycopg2 compiles against libpq).
ensure_build_tools() {
    can_apt || return 0
    local missing=()
    for pkg in python3-venv python3-dev libpq-dev build-essential; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} = 0 ] && return
    say "Installing ${missing[*]}"
    apt_install "${missing[@]}" || die "Could not install ${missing[*]} with apt-get."
}

ensure_venv() {
    if [ ! -x "$VENV/bin/python" ]; then
        ensure_build_tools
        local py
        py=$(find_python)
        say "Creating $VENV with $py"
        "$py" -m venv "$VENV"
        "$VENV/bin/pip" install -q --upgrade pip wheel setuptools
    fi
}

ensure_odoo() {
    local src stamp want
    src=$(locate_odoo)
    stamp=$VENV/.spm-odoo-stamp
    want="$src $(sha1sum "$src/requirements.txt" "$ROOT/requirements-dev.txt" | sha1sum | cut -c1-16)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$VENV/bin/python" -c 'import odoo.cli' 2>/dev/null; then
        ODOO_DIR=$src
        return
    fi
    say "Installing Odoo 18.0 from $src (a few minutes the first time)"
    ensure_build_tools
    # python-ldap only serves auth_ldap and needs system headers to build: left out.
    grep -v '^python-ldap' "$src/requirements.txt" >"$VENV/odoo-requirements.txt"
    "$VENV/bin/pip" install -q -r "$VENV/odoo-requirements.txt"
    # compat mode: a normal editable install would be hidden by the addon's wheel,
    # which also lives under site-packages/odoo/addons.
    "$VENV/bin/pip" install -q --no-deps -e "$src" --config-settings editable_mode=compat
    "$VENV/bin/pip" install -q -r "$ROOT/requirements-dev.txt"
    echo "$want" >"$stamp"
    ODOO_DIR=$src
}

ensure_postgres() {
    local probe='import psycopg2; psycopg2.connect(dbname="postgres").close()'
    "$VENV/bin/python" -c "$probe" 2>/dev/null && return
    if can_apt; then
        if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
            say "No PostgreSQL answers: installing one"
            apt_install postgresql || die "Could not install PostgreSQL with apt-get."
        fi
        say "Starting PostgreSQL"
        for v in /etc/postgresql/*; do
            pg_ctlcluster --skip-systemctl-redirect "$(basename "$v")" main start 2>/dev/null || true
        done
        sleep 2
        su postgres -c "psql -qc \"DO \\\$\\\$BEGIN CREATE ROLE \\\"$(id -un)\\\" SUPERUSER LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END\\\$\\\$\"" >/dev/null 2>&1 || true
        "$VENV/bin/python" -c "$probe" 2>/dev/null && return
    fi
    die "No PostgreSQL server answers with libpq's defaults (PGHOST=${PGHOST:-socket} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)}).
Start one, or set the PG* variables to reach one, with a role that may create databases."
}

ensure_system_tools() {
    if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null &&
        ! command -v google-chrome >/dev/null; then
        say "Installing chromium (browser tours)"
        apt_install chromium || die "Chromium is missing: install it (the browser tours of make test need it)."
    fi
    # PDF reports: wkhtmltopdf and a CJK font. Not every release packages
    # wkhtmltopdf (Debian 13 does not): then reports render as HTML only.
    command -v wkhtmltopdf >/dev/null || apt_install wkhtmltopdf ||
        say "WARNING: wkhtmltopdf is not available: PDF reports will not render (tests do not need it)."
    compgen -G '/usr/share/fonts/*/noto/NotoSansCJK*' >/dev/null ||
        fc-list :lang=zh 2>/dev/null | grep -q . || apt_install fonts-noto-cjk ||
        say "WARNING: no CJK font: Chinese text in PDF reports will not render."
}

write_config() {
    local addons=$ODOO_DIR/odoo/addons
    [ -d "$ODOO_DIR/addons" ] && addons=$ODOO_DIR/addons,$addons
    cat >"$CONF" <<CONF
[options]
addons_path = $addons
data_dir = $VENV/odoo-data
db_host = ${PGHOST:-False}
db_port = ${PGPORT:-False}
db_user = ${PGUSER:-False}
db_password = ${PGPASSWORD:-False}
list_db = True
CONF
}

ensure_venv
ensure_odoo
ensure_postgres
ensure_system_tools
write_config
# The addon itself, as a user installs it: a wheel under odoo/addons (built
# afresh, so that files removed from the tree do not linger in the wheel).
rm -rf "$ROOT/build/lib" "$ROOT"/build/bdist.* "$ROOT"/*.egg-info
if ! out=$("$VENV/bin/pip" install -q --no-deps --no-build-isolation --force-reinstall "$ROOT" 2>&1); then
    printf '%s\n' "$out" >&2
    die "Could not install the addon from $ROOT."
fi
say "Ready: Odoo 18.0 from $ODOO_DIR, config $CONF"
