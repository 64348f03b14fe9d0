#!/usr/bin/env bash
# System packages the tests need: a PostgreSQL server (Debian's postgresql) for the database tests.
# Installs only what is missing; needs root (CI runs as root) or passwordless sudo.
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -eq 0 ]; then
  exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
echo "installing system packages for the tests: ${need[*]}"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null; }; then
  echo "could not install ${need[*]}; tests that need them will be skipped with a message" >&2
fi
