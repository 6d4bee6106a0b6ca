#!/usr/bin/env bash
# After a deployment: is the app alive, does the platform know every function, and does its sign-in guard the console?
# (docs/deploy.md, step 4)
#
#   scripts/smoke.sh <resource-group> <function-app>   GET /api/health, compare the platform's function list, then
#                                                      ask for the console without a sign-in and with a forged one
#   scripts/smoke.sh compare <listing.json>            compare a saved `az functionapp function list -o json` (or the
#                                                      ARM REST .../functions answer) with the repository's functions
#   scripts/smoke.sh health <body.json>                read a saved /api/health answer
#   scripts/smoke.sh client-address <resource-group> <function-app> spend|probe
#                                                      does the rate limiter tell two clients apart? `spend` uses up
#                                                      this network's per-address budget; `probe`, run within the
#                                                      minute from another network, must still be served (ADR 0013)
#
# The expected functions are the folders of Functions/ that hold a function.json, never a list kept by hand.
# Needs the Azure CLI (signed in), curl and python3. Waits up to SMOKE_WAIT_SECONDS (default 90) for a cold start.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

die() { echo "smoke: $*" >&2; exit 1; }

expected_functions() {
  for file in "$repo"/Functions/*/function.json; do basename "$(dirname "$file")"; done | sort
}

# Compares a function listing (file $1) with the expected names (file $2). Exit 0 when every function is listed and none
# is disabled; prints what is missing, disabled or unexpected.
compare() {
  python3 - "$1" "$2" <<'PY'
import json, sys
listing = json.load(open(sys.argv[1], encoding="utf-8"))
expected = [line.strip() for line in open(sys.argv[2], encoding="utf-8") if line.strip()]
items = listing.get("value", []) if isinstance(listing, dict) else listing
listed, disabled = set(), set()
for item in items:
    properties = item.get("properties") or {}
    name = properties.get("name") or str(item.get("name", "")).split("/")[-1]
    listed.add(name)
    if item.get("isDisabled") or properties.get("isDisabled"):
        disabled.add(name)
missing = [name for name in expected if name not in listed]
extra = sorted(listed - set(expected))
for name in missing:
    print(f"smoke: {name} is not listed by the platform: the host did not load its function.json", file=sys.stderr)
for name in sorted(disabled):
    print(f"smoke: {name} is disabled on the platform", file=sys.stderr)
for name in extra:
    print(f"smoke: note: the platform lists {name}, which this repository does not have")
if missing or disabled:
    sys.exit(1)
print(f"all {len(expected)} functions are listed: {', '.join(expected)}")
PY
}

# Reads a /api/health answer (file $1): exit 0 when it is a health report; a degraded report names what is off.
health() {
  python3 - "$1" <<'PY'
import json, sys
try:
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    status = report["status"]
except (ValueError, KeyError, TypeError):
    print("smoke: /api/health did not answer with a health report", file=sys.stderr)
    sys.exit(1)
print(f"health: {status}")
for off in report.get("disabledFunctions", []):
    print(f"health: {off['function']} is switched off: app setting {off['setting']} is {off['reason']} (docs/deploy.md, step 6)")
sys.exit(0 if status in ("healthy", "degraded") else 1)
PY
}

live() {
  local group=$1 app=$2 wait=${SMOKE_WAIT_SECONDS:-90} host status deadline
  work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
  expected_functions >"$work/expected"
  host=$(az functionapp show -g "$group" -n "$app" --query defaultHostName -o tsv)
  [ -n "$host" ] || die "no function app $app in $group"
  deadline=$((SECONDS + wait))

  # 1. One HTTP route: the request goes through the Functions host to the handler, so a 200 means both started.
  until status=$(curl -sS -o "$work/health.json" -w '%{http_code}' --max-time 30 "https://$host/api/health" 2>/dev/null) && [ "$status" = 200 ]; do
    [ $SECONDS -lt $deadline ] || die "GET https://$host/api/health answered ${status:-nothing} for ${wait}s; see the start-up log in Application Insights"
    sleep 5
  done
  health "$work/health.json"

  # 2. The platform's own list of the app's functions (the host syncs it after a deployment, so allow it a moment).
  until az functionapp function list -g "$group" -n "$app" -o json >"$work/functions.json" && compare "$work/functions.json" "$work/expected" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      [ -s "$work/functions.json" ] || die "az functionapp function list -g $group -n $app gave no answer (signed in? rights on the app?)"
      compare "$work/functions.json" "$work/expected"; exit 1
    fi
    sleep 5
  done

  # 3. The console is the platform's sign-in's to guard (ADR 0018): unsigned, the browser must be sent to sign in, and a
  #    principal header made up by the caller must not get in (the platform strips it). A 200 means the console is open.
  console_guarded "https://$host/api/console/home"
}

# Asks for a console page ($1) as nobody and as a forged admin. Exit 0 when the first is sent to sign in and the second
# is sent to sign in or refused: the platform's sign-in is on and strips the forged header.
console_guarded() {
  local url=$1 forged answer status location
  forged=$(printf '%s' '{"auth_typ":"aad","name_typ":"name","role_typ":"roles","claims":[{"typ":"oid","val":"00000000-0000-0000-0000-000000000000"},{"typ":"roles","val":"Alumni.Admin"}]}' | base64 | tr -d '\n')
  for who in nobody forged; do
    if [ "$who" = nobody ]; then
      answer=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 30 -H 'Accept: text/html' "$url") || die "GET $url failed"
    else
      answer=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 30 -H 'Accept: text/html' \
        -H "X-MS-CLIENT-PRINCIPAL: $forged" -H "X-MS-CLIENT-PRINCIPAL-IDP: aad" "$url") || die "GET $url failed"
    fi
    status=${answer%% *}; location=${answer#* }
    case "$status:$location" in
      30[12378]:*/.auth/login/*|30[12378]:https://login.microsoftonline.com/*) ;;
      401:*|403:*)
        [ "$who" = forged ] || die "GET $url without a sign-in answered $status, not a redirect to sign in: the platform's sign-in is not on (infra/modules/auth.bicep; docs/deploy.md, section 8), so nobody can open the console" ;;
      2*)
        die "GET $url as $who answered $status: THE CONSOLE IS OPEN. The platform's sign-in is not guarding it; stop the app now (az functionapp stop), or turn built-in authentication off (the app then ignores the header and refuses everyone), until it does (docs/deploy.md, section 8)" ;;
      *) die "GET $url as $who answered $status${location:+, to $location}, not a redirect to sign in or a refusal: stop the app (az functionapp stop) until the console is shown guarded" ;;
    esac
  done
  echo "console: guarded (sent to sign in without one, and with a forged principal sent to sign in or refused)"
}

# The rate limiter's view of the caller (docs/deploy.md, step 4). A link with a forged token is counted against the
# client address (a 400 each) until the address's budget is spent (a 429). From a second network the same link must
# still get its 400: a 429 there means both networks share one budget, so the limiter counts an address of the
# platform's, not the client's.
client_address() {
  local group=$1 app=$2 step=$3 host url status sent=0
  host=$(az functionapp show -g "$group" -n "$app" --query defaultHostName -o tsv)
  [ -n "$host" ] || die "no function app $app in $group"
  url="https://$host/api/alumni/join?token=smoke-client-address"
  case "$step" in
    spend)
      while status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "$url") && [ "$status" = 400 ]; do
        sent=$((sent + 1))
        [ $sent -lt 1000 ] || die "1000 requests and no 429: is the rate limiter on?"
      done
      [ "$status" = 429 ] || die "GET $url answered ${status:-nothing}, not 400 or 429"
      echo "client-address: this network's budget is spent after $sent requests; within a minute, run"
      echo "  scripts/smoke.sh client-address $group $app probe"
      echo "from another network (Azure Cloud Shell, a phone's hotspot)" ;;
    probe)
      status=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 30 "$url") || die "GET $url failed"
      case "$status" in
        400) echo "client-address: this network has a budget of its own: the rate limiter tells clients apart" ;;
        429) echo "smoke: this network shares the spent budget: the rate limiter counts an address of the platform's, not the client's (docs/deploy.md, step 4)" >&2; exit 1 ;;
        *) die "GET $url answered $status, not 400 or 429" ;;
      esac ;;
    *) die "usage: scripts/smoke.sh client-address <resource-group> <function-app> spend|probe" ;;
  esac
}

case "${1:-}" in
  client-address)
    [ $# -eq 4 ] || die "usage: scripts/smoke.sh client-address <resource-group> <function-app> spend|probe"
    client_address "$2" "$3" "$4" ;;
  compare)
    [ $# -eq 2 ] || die "usage: scripts/smoke.sh compare <listing.json>"
    expected=$(mktemp); trap 'rm -f "$expected"' EXIT
    expected_functions >"$expected"
    compare "$2" "$expected" ;;
  health)
    [ $# -eq 2 ] || die "usage: scripts/smoke.sh health <body.json>"
    health "$2" ;;
  ""|-h|--help)
    sed -n '2,16p' "$0"; exit 2 ;;
  *)
    [ $# -eq 2 ] || die "usage: scripts/smoke.sh <resource-group> <function-app>"
    live "$1" "$2" ;;
esac
