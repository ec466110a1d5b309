#!/usr/bin/env bash
# The run command: installs the pinned Azurite (npm ci) when needed, builds the local host, then runs it with
# --azurite: it starts Azurite itself (data in .azurite/), restarts it with the same data and ports if it dies, and
# stops (exit code 1, saying why) if it cannot. Extra arguments are passed through to the local host.
# SIGINT (Ctrl-C) and SIGTERM stop the host and its Azurite, also when this script runs in the background of another
# script (`./run.sh &`), whose shell starts it with SIGINT ignored. RUN_NO_BUILD=1 skips the build (it must exist).
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

if [[ "${RUN_NO_BUILD:-}" != 1 ]]; then
  dotnet build src/Orchestration.LocalHost -c Release -nologo -v quiet >&2
fi

# The host runs as this very process (exec, no `dotnet run` in between), so a signal sent to run.sh's pid reaches it.
# A background job of a non-interactive shell starts with SIGINT and SIGQUIT ignored, and .NET then leaves them
# ignored: GNU env puts them back to default first (BSD env, e.g. macOS, has no such option; there Ctrl-C in a terminal
# and SIGTERM still work).
signals=()
if env --default-signal=INT,QUIT true 2>/dev/null; then
  signals=(env --default-signal=INT,QUIT)
fi

exec "${signals[@]}" dotnet src/Orchestration.LocalHost/bin/Release/net10.0/Orchestration.LocalHost.dll --azurite "$@"
