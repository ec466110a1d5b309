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

# libvips frees image buffers to glibc, which keeps one arena per thread that ever allocated: two arenas cut the image
# pipeline's peak working set by ~150 MB at no measurable cost (bench/README.md). Set it the same way in Azure.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"

exec dotnet run --project src/Orchestration.LocalHost -c Release -- --azurite "$@"
