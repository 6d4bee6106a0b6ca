#!/usr/bin/env bash
# Posts the sample departure (docs/samples/departure.json, or the file given) to the local app, signed
# with the development HRIS secret from Functions/appsettings.Development.json (Standard Webhooks).
# HRIS_PATH=/api/hris/departures/batch posts a nightly batch instead (docs/samples/departures-batch.json).
set -euo pipefail
cd "$(dirname "$0")/.."
body_file="${1:-docs/samples/departure.json}"
url="${APP_URL:-http://localhost:7071}${HRIS_PATH:-/api/hris/departures}"
secret=$(node -p 'require("./Functions/appsettings.Development.json").Hris.WebhookSecrets[0]')
id="msg_$(date +%s%N)"
timestamp=$(date +%s)
key_hex=$(printf '%s' "${secret#whsec_}" | base64 -d | od -An -tx1 | tr -d ' \n')
signature=$( { printf '%s.%s.' "$id" "$timestamp"; cat "$body_file"; } | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key_hex" -binary | base64)
curl -sS -i -X POST "$url" -H 'Content-Type: application/json' \
  -H "webhook-id: $id" -H "webhook-timestamp: $timestamp" -H "webhook-signature: v1,$signature" \
  --data-binary "@$body_file"
echo
