#!/usr/bin/env bash
# The run command: installs the pinned Azurite (npm ci) when needed, then starts the local host, which starts
# Azurite itself (--azurite). Extra arguments are passed through to the local host.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"

if [[ ! -d node_modules/azurite || ! -f node_modules/.package-lock.json \
      || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "run.sh: installing Azurite (npm ci)..." >&2
  npm ci --no-audit --no-fund >&2
fi

exec dotnet run --project src/Orchestration.LocalHost -c Release -- --azurite "$@"
