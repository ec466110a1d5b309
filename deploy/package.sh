#!/usr/bin/env bash
# Builds the Functions app for Azure and zips it for deployment:
#   dotnet publish -c Release -r linux-x64 -p:BlobTriggerSource=EventGrid, then a zip of the folder's CONTENTS
#   (host.json at the root, and the hidden .azurefunctions/ folder, which a shell glob would skip).
#
# Usage: deploy/package.sh [--output FILE.zip]     (default: artifacts/deploy/app.zip)
# Prints the zip's path as its last line. deploy/deploy.sh calls it; the tests call it to inspect the package.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="$repo/artifacts/deploy/app.zip"

usage() { sed -n '2,7s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }

while (($# > 0)); do
  case "$1" in
    -o | --output)
      [[ $# -ge 2 ]] || { echo "package.sh: $1 needs a value" >&2; exit 2; }
      output="$2"
      shift 2
      ;;
    -h | --help) usage; exit 0 ;;
    *) echo "package.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

command -v zip >/dev/null || { echo "package.sh: 'zip' is not installed" >&2; exit 1; }
mkdir -p "$(dirname "$output")"
output="$(cd "$(dirname "$output")" && pwd)/$(basename "$output")"

# A fresh folder each time, so nothing from an earlier publish ends up in the package.
publish_dir="$(mktemp -d "${TMPDIR:-/tmp}/orchestration-publish.XXXXXX")"
trap 'rm -rf "$publish_dir"' EXIT

# linux-x64: what Flex Consumption runs, and it keeps other platforms' native libraries (libvips) out of the zip.
# EventGrid: the blob triggers wait for Event Grid instead of scanning containers (Triggers.cs, deploy.sh).
dotnet publish "$repo/src/Orchestration.Functions/Orchestration.Functions.csproj" \
  -c Release -r linux-x64 --self-contained false -p:BlobTriggerSource=EventGrid \
  -o "$publish_dir" -nologo -v quiet

for required in host.json functions.metadata extensions.json worker.config.json .azurefunctions; do
  [[ -e "$publish_dir/$required" ]] || { echo "package.sh: the publish output has no $required" >&2; exit 1; }
done

rm -f "$output"
# '.' takes hidden entries too; local secrets never travel (the csproj already keeps them out of publish).
(cd "$publish_dir" && zip -qr -X "$output" . -x 'local.settings.json')
echo "$output"
