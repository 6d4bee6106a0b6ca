#!/usr/bin/env bash
# Runs the whole system locally: Azurite (Table + Queue storage, in memory), the function app on
# http://localhost:7071 with its local trigger host (timers, Service Bus queues over Azurite) and the
# development SendGrid sink (outbox at http://localhost:7071/dev/outbox). Ctrl+C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
SKIP_BROWSER_INSTALL=1 scripts/ensure-tools.sh

node_modules/.bin/azurite --silent --inMemoryPersistence --skipApiVersionCheck --disableTelemetry \
  --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 &
azurite_pid=$!
trap 'kill $azurite_pid 2>/dev/null || true' EXIT

echo "Function app: http://localhost:7071  outbox: http://localhost:7071/dev/outbox"
echo "Post a signed sample departure from another terminal: scripts/post-departure.sh"
ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development \
  dotnet run --project Functions --no-restore --no-launch-profile
