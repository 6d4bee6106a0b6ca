#!/usr/bin/env bash
# Runs every test: unit, Azurite integration, contract, browser (Chromium) and infrastructure (Bicep).
# Tests start and stop their own Azurite on free ports.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/ensure-tools.sh

results=$(mktemp -d)
status=0
dotnet test AlumniFunctions.sln --no-restore --configuration Release \
  --logger "console;verbosity=normal" --logger "trx" --results-directory "$results" 2>&1 | tee "$results/output.log" || status=$?

# One closing line over all test projects, in the form CI reads.
count() { grep -hoE "$1=\"[0-9]+\"" "$results"/*.trx 2>/dev/null | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}'; }
passed=$(count passed)
failed=$(count failed)
echo "Tests: ${passed:-0} passed, ${failed:-0} failed"
exit $status
