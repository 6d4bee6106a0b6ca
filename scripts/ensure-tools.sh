#!/usr/bin/env bash
# Installs what the local run and the tests need, only when missing: npm packages (Azurite),
# Debian's Chromium with CJK fonts (browser tests), zip and zipinfo (the publish script's tests), and the .NET packages.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x node_modules/.bin/azurite ]; then
  npm ci --no-audit --no-fund
fi

if [ "${SKIP_BROWSER_INSTALL:-}" != "1" ] && ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq chromium fonts-noto-cjk >/dev/null
fi

# Like the browser, only the tests need these (scripts/run-local.sh skips both).
if [ "${SKIP_BROWSER_INSTALL:-}" != "1" ] && ! { command -v zip && command -v zipinfo; } >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq zip unzip >/dev/null
fi

dotnet restore AlumniFunctions.sln --verbosity quiet
