#!/usr/bin/env bash
# Runs the whole system locally: Azurite (Table + Queue storage), the function app on
# http://localhost:7071 with its local trigger host (timers, Service Bus queues over Azurite) and the
# development SendGrid sink (outbox at http://localhost:7071/dev/outbox). Ctrl+C stops everything.
#
# Azurite keeps its data in .local/azurite (git-ignored), so a restart of the app or of this script
# keeps every alumnus, consent and queued message. Start from nothing with:  scripts/run-local.sh --fresh
set -euo pipefail
cd "$(dirname "$0")/.."

data=.local/azurite
case "${1:-}" in
  "") ;;
  --fresh) rm -rf "$data"; echo "Starting with empty storage ($data removed)." ;;
  *) echo "usage: scripts/run-local.sh [--fresh]" >&2; exit 2 ;;
esac
mkdir -p "$data"

# Another Azurite (or anything) on its ports would leave ours hanging while the app quietly used the other one's data.
for port in 10000 10001 10002; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use (Azurite needs 10000-10002: blob, queue, table). Stop what listens there" \
      "(another Azurite or run-local.sh?) and run this again." >&2
    exit 1
  fi
done

SKIP_BROWSER_INSTALL=1 scripts/ensure-tools.sh

node_modules/.bin/azurite --silent --location "$data" --skipApiVersionCheck --disableTelemetry \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
azurite_pid=$!
trap 'kill $azurite_pid 2>/dev/null || true' EXIT

# The app starts only once our Azurite is alive and its table endpoint answers.
for _ in $(seq 1 60); do
  if ! kill -0 "$azurite_pid" 2>/dev/null; then
    echo "Azurite exited before it was ready (see above); the app was not started." >&2
    exit 1
  fi
  if curl -s -o /dev/null http://127.0.0.1:10002/devstoreaccount1; then
    break
  fi
  sleep 0.5
done
if ! curl -s -o /dev/null http://127.0.0.1:10002/devstoreaccount1; then
  echo "Azurite's table endpoint (127.0.0.1:10002) did not answer within 30 seconds; the app was not started." >&2
  exit 1
fi

echo "Function app: http://localhost:7071  outbox: http://localhost:7071/dev/outbox  storage: $data"
echo "Post a signed sample departure from another terminal: scripts/post-departure.sh"
ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development \
  dotnet run --project Functions --no-restore --no-launch-profile
