#!/usr/bin/env bash
# `make demo`: serve the Proxbox development stack on 127.0.0.1 until Ctrl-C.
# NetBox (runserver) and an RQ worker; their logs go to .stack/logs/.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
eval "$("$ROOT/scripts/stack.sh" env)"
STACK=$ROOT/.stack
LOGS=$STACK/logs
mkdir -p "$LOGS"
PORT=${PROXBOX_DEMO_PORT:-8000}
BIND=127.0.0.1

pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT INT TERM

netbox runserver "$BIND:$PORT" --insecure --noreload >"$LOGS/netbox.log" 2>&1 &
pids+=($!)
netbox rqworker high default low >"$LOGS/rqworker.log" 2>&1 &
pids+=($!)

for _ in $(seq 120); do
    if curl -fsS -o /dev/null "http://$BIND:$PORT/login/"; then break; fi
    kill -0 "${pids[0]}" 2>/dev/null || { echo "NetBox failed to start; see $LOGS/netbox.log" >&2; tail -20 "$LOGS/netbox.log" >&2; exit 1; }
    sleep 1
done

cat <<MSG

  Proxbox demo is up.
    NetBox:    http://$BIND:$PORT/   (user ${PROXBOX_ADMIN_USER:-admin} / password ${PROXBOX_ADMIN_PASSWORD:-admin})
    Proxbox:   http://$BIND:$PORT/plugins/proxbox/endpoints/proxmox/
    API token: $(cat "$STACK/admin-token")
    Logs:      $LOGS/
  Ctrl-C stops everything.

MSG
if [ "${PROXBOX_DEMO_EXIT:-0}" = 1 ]; then exit 0; fi
wait -n "${pids[@]}"
