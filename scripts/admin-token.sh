#!/usr/bin/env bash
# Prints a Development admin token (8 hours) and nothing else, so it can stand inside a command:
#   curl -H "Authorization: Bearer $(scripts/admin-token.sh)" http://localhost:7071/api/manage/alumni
# It signs with AdminAuth:DevelopmentSigningKey from Functions/appsettings.Development.json; no other
# environment accepts such a token. No launch profile: `dotnet run` would print a line about it first.
set -euo pipefail
cd "$(dirname "$0")/.."
ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development \
  dotnet run --project Functions --no-launch-profile -- admin-token
