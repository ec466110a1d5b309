#!/usr/bin/env bash
# Removes what deploy/deploy.sh made: the whole resource group (function app and its Flex plan, storage account with
# every blob and all Durable state, Event Grid system topic and subscriptions, Application Insights, Log Analytics).
# deploy.sh creates nothing outside the group, and the identity's role assignments go with the storage account.
#
# Usage: deploy/teardown.sh NAME [options]
#   NAME                      the NAME given to deploy.sh
#   -g, --resource-group RG   resource group (default rg-NAME)
#   --yes                     do not ask for confirmation (needed without a terminal)
#   --dry-run                 print the command and run nothing
#   -h, --help                this text
set -euo pipefail

usage() { sed -n '6,11s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
fail() { echo "teardown.sh: $*" >&2; exit 1; }

app="" resource_group="" yes=false dry_run=false
while (($# > 0)); do
  case "$1" in
    -g | --resource-group)
      [[ $# -ge 2 ]] || fail "$1 needs a value"
      resource_group="$2"
      shift 2
      ;;
    --yes) yes=true; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; fail "unknown option '$1'" ;;
    *)
      [[ -z "$app" ]] || fail "unexpected argument '$1'"
      app="$1"
      shift
      ;;
  esac
done
[[ -n "$app" ]] || { usage >&2; fail "expected NAME"; }
resource_group="${resource_group:-rg-$app}"

command=(az group delete --name "$resource_group" --yes --no-wait)
printf '+ %s\n' "$(printf '%q ' "${command[@]}")"
$dry_run && exit 0

command -v az >/dev/null || fail "'az' is not installed"
if [[ "$(az group exists --name "$resource_group")" != true ]]; then
  echo "teardown.sh: resource group $resource_group does not exist; nothing to do"
  exit 0
fi
if ! $yes; then
  [[ -t 0 ]] || fail "no terminal to confirm on: pass --yes"
  read -r -p "Delete resource group $resource_group and everything in it, data included? Type its name to confirm: " answer
  [[ "$answer" == "$resource_group" ]] || fail "not confirmed; nothing deleted"
fi
"${command[@]}"
echo "teardown.sh: deleting $resource_group in the background (az group show -n $resource_group shows progress)"
