#!/usr/bin/env bash
# Builds the app package for Azure, checks it and deploys it (docs/deploy.md, step 3).
#
#   scripts/publish.sh <resource-group> <function-app>   dotnet publish, zip, verify, az functionapp deploy
#   scripts/publish.sh --package-only                    dotnet publish, zip and verify; nothing leaves the machine
#   scripts/publish.sh package <app-root> <zip>          zip an app root with the handler executable
#   scripts/publish.sh verify <zip>                      check a package before it is deployed
#
# Flex Consumption mounts the package read-only, so the handler named in host.json must already be executable inside
# the zip: this script sets the bit, and `verify` reads it back with zipinfo and refuses a package without it. Build on
# Linux or WSL; a zip made on a file system without Unix modes fails the check.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

die() { echo "publish: $*" >&2; exit 1; }

# Installs zip and unzip (zipinfo) when missing, as scripts/ensure-tools.sh does for the test tools.
ensure_zip_tools() {
  if command -v zip >/dev/null 2>&1 && command -v zipinfo >/dev/null 2>&1; then return; fi
  if [ "$(id -u)" = "0" ]; then apt_get="apt-get"; else apt_get="sudo apt-get"; fi
  $apt_get update -qq
  DEBIAN_FRONTEND=noninteractive $apt_get install -y -qq zip unzip >/dev/null
}

# The handler's path inside the app root: host.json's customHandler.description.defaultExecutablePath (read from stdin).
handler_path() {
  sed -n 's/.*"defaultExecutablePath"[[:space:]]*:[[:space:]]*"\([^"]*\)".*/\1/p' | head -n 1
}

# Every function of the app: the folders of Functions/ that hold a function.json.
function_names() {
  for file in "$repo"/Functions/*/function.json; do basename "$(dirname "$file")"; done | sort
}

package() {
  local root=$1 zip=$2 handler
  [ -f "$root/host.json" ] || die "$root/host.json is missing: not an app root"
  handler=$(handler_path <"$root/host.json")
  [ -n "$handler" ] || die "$root/host.json names no customHandler.description.defaultExecutablePath"
  [ -f "$root/$handler" ] || die "the handler $handler named in host.json is not in $root"
  chmod 755 "$root/$handler"
  mkdir -p "$(dirname "$zip")"
  zip="$(cd "$(dirname "$zip")" && pwd)/$(basename "$zip")"
  rm -f "$zip"
  # Entries relative to the app root (host.json at the top), with their Unix modes.
  (cd "$root" && zip -q -r -X "$zip" .)
  echo "packaged $root into $zip"
}

verify() {
  local zip=$1 handler mode entries problems=0 name
  [ -f "$zip" ] || die "$zip does not exist"
  entries=$(zipinfo -1 "$zip")
  grep -qx 'host.json' <<<"$entries" || die "$zip has no host.json at its root"
  handler=$(unzip -p "$zip" host.json | handler_path)
  [ -n "$handler" ] || die "host.json in $zip names no customHandler.description.defaultExecutablePath"
  if ! grep -qxF "$handler" <<<"$entries"; then
    echo "publish: the handler $handler is not in $zip" >&2; problems=1
  else
    # zipinfo's first column is the entry's mode as ls prints it, e.g. -rwxr-xr-x.
    mode=$(zipinfo "$zip" "$handler" | awk 'NR == 1 { print $1 }')
    if [[ ! "$mode" =~ ^-..x..x..x$ ]]; then
      echo "publish: the handler $handler is not executable in $zip (mode '$mode', expected -rwxr-xr-x): Flex Consumption mounts the package read-only and cannot start it" >&2
      problems=1
    fi
  fi
  for name in $(function_names); do
    if ! grep -qxF "$name/function.json" <<<"$entries"; then
      echo "publish: $name/function.json is not in $zip: the platform would not know that function" >&2; problems=1
    fi
  done
  if grep -qx 'appsettings.Development.json' <<<"$entries"; then
    echo "publish: $zip contains appsettings.Development.json (development secrets)" >&2; problems=1
  fi
  [ "$problems" = 0 ] || exit 1
  echo "verified $zip: $handler is executable ($mode), host.json and $(function_names | wc -l) function folders present"
}

publish_and_package() {
  rm -rf .artifacts/app
  dotnet publish Functions -c Release -r linux-x64 --self-contained -o .artifacts/app -nologo
  package .artifacts/app .artifacts/app.zip
  verify .artifacts/app.zip
}

case "${1:-}" in
  package)
    [ $# -eq 3 ] || die "usage: scripts/publish.sh package <app-root> <zip>"
    ensure_zip_tools; package "$2" "$3" ;;
  verify)
    [ $# -eq 2 ] || die "usage: scripts/publish.sh verify <zip>"
    ensure_zip_tools; verify "$2" ;;
  --package-only)
    ensure_zip_tools; publish_and_package ;;
  ""|-h|--help)
    sed -n '2,11p' "$0"; exit 2 ;;
  *)
    [ $# -eq 2 ] || die "usage: scripts/publish.sh <resource-group> <function-app>"
    ensure_zip_tools; publish_and_package
    az functionapp deploy -g "$1" -n "$2" --src-path .artifacts/app.zip --type zip
    echo "deployed; check it with: scripts/smoke.sh $1 $2" ;;
esac
