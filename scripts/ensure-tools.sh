#!/usr/bin/env bash
# Installs what the local run and the tests need, only when missing: npm packages (Azurite; again when the lock changed),
# Debian's Chromium with CJK fonts (browser tests), zip, zipinfo and python3 (the publish and smoke scripts' tests), and
# the .NET packages.
set -euo pipefail
cd "$(dirname "$0")/.."

# Stale when a package in package-lock.json is missing from, or at another version in, what npm last installed (npm
# records it in node_modules/.package-lock.json; optional packages may be left out). Compared only when the lock is the
# newer file: a checkout touches it without changing it.
npm_packages_stale() {
  [ ! -x node_modules/.bin/azurite ] && return 0
  [ package-lock.json -nt node_modules/.package-lock.json ] || return 1
  node -e '
    const read = file => { try { return JSON.parse(require("fs").readFileSync(file, "utf8")).packages ?? {}; } catch { return null; } };
    const wanted = read("package-lock.json"), installed = read("node_modules/.package-lock.json");
    const stale = !wanted || !installed
      || Object.entries(wanted).some(([path, p]) => path !== "" && (installed[path] ? installed[path].version !== p.version : !p.optional))
      || Object.keys(installed).some(path => !(path in wanted));
    process.exit(stale ? 0 : 1);'
}

if npm_packages_stale; then
  npm ci --no-audit --no-fund
fi

# Installs Debian packages as root, or through sudo; without either, says what to install.
apt_install() {
  local apt_get="apt-get"
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 || { echo "ensure-tools: install $* (as root: apt-get install $*), then run this again" >&2; exit 1; }
    apt_get="sudo apt-get"
  fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq "$@" >/dev/null
}

# Only the tests need these (scripts/run-local.sh skips them): Chromium and CJK fonts for the browser tests, zip and
# zipinfo for the publish script's tests, python3 for the smoke script's tests.
if [ "${SKIP_BROWSER_INSTALL:-}" != "1" ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  if command -v dpkg-query >/dev/null 2>&1 && ! dpkg-query -W -f='${Status}' fonts-noto-cjk 2>/dev/null | grep -q 'install ok installed'; then
    missing+=(fonts-noto-cjk)
  fi
  { command -v zip && command -v zipinfo; } >/dev/null 2>&1 || missing+=(zip unzip)
  command -v python3 >/dev/null 2>&1 || missing+=(python3)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
fi

dotnet restore AlumniFunctions.sln --verbosity quiet
