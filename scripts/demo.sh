#!/usr/bin/env bash
# `make demo`: the whole Proxbox stack on 127.0.0.1 until Ctrl-C: NetBox (runserver), an RQ worker,
# proxbox-api and a simulated Proxmox VE fleet. It points Proxbox at them (Proxmox endpoints with the
# simulator's CA, the NetBox endpoint with a token of a dedicated sync user, the proxbox-api endpoint),
# runs a first Full Update, and prints the URL, the login and the tokens. Logs go to .stack/logs/.
#
#   PROXBOX_DEMO_PORT      NetBox's port (default 8000); proxbox-api and the simulator take free ports
#   PROXBOX_DEMO_GUESTS    guests in the simulated fleet (default 60)
#   PROXBOX_DEMO_EXIT=1    set up, run the Full Update, print, then stop everything (exit 1 if it failed)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
eval "$("$ROOT/scripts/stack.sh" env)"
STACK=$ROOT/.stack
LOGS=$STACK/logs
mkdir -p "$LOGS"
PORT=${PROXBOX_DEMO_PORT:-8000}
BIND=127.0.0.1
GUESTS=${PROXBOX_DEMO_GUESTS:-60}

free_port() { python -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
fail() { printf '\033[31m[demo] %s\033[0m\n' "$*" >&2; exit 1; }

# The service key, generated once per checkout and kept with the stack's other secrets.
KEY_FILE=$STACK/proxbox-api-key
[ -s "$KEY_FILE" ] || (umask 077; python -c 'import secrets; print(secrets.token_urlsafe(32))' >"$KEY_FILE")
API_KEY=$(cat "$KEY_FILE")
API_PORT=${PROXBOX_DEMO_API_PORT:-$(free_port)}
SIM_FILE=$STACK/demo-simulator.json
rm -f "$SIM_FILE"

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

python -m proxmox_sim --clusters 1 --nodes 3 --standalone 1 --guests "$GUESTS" --seed 7 --epoch now --quiet \
    --write-endpoints "$SIM_FILE" >"$LOGS/simulator.log" 2>&1 &
pids+=($!)
PROXBOX_API_API_KEY=$API_KEY PROXBOX_API_PORT=$API_PORT PROXBOX_API_HOST=$BIND proxbox-api >"$LOGS/proxbox-api.log" 2>&1 &
pids+=($!)
netbox runserver "$BIND:$PORT" --insecure --noreload >"$LOGS/netbox.log" 2>&1 &
pids+=($!)
netbox rqworker high default low >"$LOGS/rqworker.log" 2>&1 &
pids+=($!)

wait_for() {  # name, log, command...
    local name=$1 log=$2; shift 2
    for _ in $(seq 180); do
        "$@" >/dev/null 2>&1 && return 0
        for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null || { tail -20 "$log" >&2; fail "$name stopped; see $log"; }; done
        sleep 1
    done
    fail "$name did not come up; see $log"
}
wait_for simulator "$LOGS/simulator.log" test -s "$SIM_FILE"
wait_for proxbox-api "$LOGS/proxbox-api.log" curl -fsS "http://$BIND:$API_PORT/health"
wait_for NetBox "$LOGS/netbox.log" curl -fsS -o /dev/null "http://$BIND:$PORT/login/"

echo "[demo] configuring Proxbox and running a first Full Update (${GUESTS} guests)..." >&2
out=$(PROXBOX_DEMO_SIM_FILE=$SIM_FILE PROXBOX_DEMO_NETBOX_URL="http://$BIND:$PORT/" \
    PROXBOX_DEMO_API_URL="http://$BIND:$API_PORT/" PROXBOX_DEMO_API_KEY=$API_KEY \
    netbox shell --no-imports -c "$(cat "$ROOT/scripts/demo_setup.py")" 2>>"$LOGS/demo-setup.log" | tail -5)
eval "$(grep -E '^(SYNC_TOKEN|RUN_ID|RUN_STATUS|RUN_CREATED)=' <<<"$out")"
[ -n "${RUN_ID:-}" ] || fail "setting up the demo failed; see $LOGS/demo-setup.log"

cat <<MSG

  Proxbox demo is up.
    NetBox:       http://$BIND:$PORT/   (user ${PROXBOX_ADMIN_USER:-admin} / password ${PROXBOX_ADMIN_PASSWORD:-admin})
    Full Update:  http://$BIND:$PORT/plugins/proxbox/sync-runs/$RUN_ID/   ($RUN_STATUS, $RUN_CREATED objects created)
    Endpoints:    http://$BIND:$PORT/plugins/proxbox/endpoints/proxmox/
    API token:    $(cat "$STACK/admin-token")   (admin)
    Sync token:   $SYNC_TOKEN   (user proxbox-sync, used by proxbox-api)
    proxbox-api:  http://$BIND:$API_PORT/   (key in $KEY_FILE)
    Logs:         $LOGS/
  Ctrl-C stops everything.

MSG
if [ "${PROXBOX_DEMO_EXIT:-0}" = 1 ]; then
    [ "$RUN_STATUS" = completed ] || [ "$RUN_STATUS" = partial ] || fail "the Full Update $RUN_STATUS; see the run page or $LOGS/rqworker.log"
    exit 0
fi
wait -n "${pids[@]}"
