#!/usr/bin/env bash
# Deploys the Functions app to Azure with the az CLI, from nothing (or over an earlier deployment) to a running app:
# resource group, storage account without shared-key access, Log Analytics + Application Insights, a Flex Consumption
# function app (dotnet-isolated 10.0) with a system-assigned identity and its storage roles, identity-based
# AzureWebJobsStorage settings, the blob containers, the package, Event Grid subscriptions for the blob triggers, and
# a smoke test. Every step checks or is idempotent, so re-running it updates the app in place.
#
# Usage: deploy/deploy.sh NAME REGION [options]
#   NAME    the function app's name, global in Azure (https://NAME.azurewebsites.net): 2-60 of a-z, 0-9, '-'
#   REGION  a region with Flex Consumption (az functionapp list-flexconsumption-locations -o table)
# Options:
#   -g, --resource-group RG   resource group (default rg-NAME)
#   -s, --storage-account SA  storage account, 3-24 of a-z, 0-9 (default st + NAME's letters and digits)
#   --task-hub HUB            Durable task hub of a new app (default OrchestrationV1); an existing app keeps its own
#   --package FILE.zip        deploy this package instead of building one with deploy/package.sh
#   --instance-memory MB      Flex instance size: 512, 2048 or 4096 (default 2048)
#   --max-instances N         Flex scale-out limit (default 40)
#   --skip-smoke-test         do not run the hello-sequence workflow at the end
#   --dry-run                 print every command (secrets masked) and run none of them, not even the build
#   -h, --help                this text
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

usage() { sed -n '8,21s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
fail() { echo "deploy.sh: $*" >&2; exit 1; }

# --- arguments ------------------------------------------------------------------------------------------------------

app="" region="" resource_group="" storage="" task_hub="" package="" instance_memory=2048 max_instances=40
smoke_test=true dry_run=false
positional=()
while (($# > 0)); do
  case "$1" in
    -g | --resource-group | -s | --storage-account | --task-hub | --package | --instance-memory | --max-instances)
      [[ $# -ge 2 ]] || fail "$1 needs a value"
      case "$1" in
        -g | --resource-group) resource_group="$2" ;;
        -s | --storage-account) storage="$2" ;;
        --task-hub) task_hub="$2" ;;
        --package) package="$2" ;;
        --instance-memory) instance_memory="$2" ;;
        --max-instances) max_instances="$2" ;;
      esac
      shift 2
      ;;
    --skip-smoke-test) smoke_test=false; shift ;;
    --dry-run) dry_run=true; shift ;;
    -h | --help) usage; exit 0 ;;
    -*) usage >&2; fail "unknown option '$1'" ;;
    *) positional+=("$1"); shift ;;
  esac
done
((${#positional[@]} == 2)) || { usage >&2; fail "expected NAME and REGION"; }
app="${positional[0]}"
region="${positional[1]}"
resource_group="${resource_group:-rg-$app}"
storage="${storage:-$(printf 'st%s' "${app//[^a-z0-9]/}" | cut -c1-24)}"

[[ "$app" =~ ^[a-z0-9][a-z0-9-]{0,58}[a-z0-9]$ ]] || fail "NAME '$app': 2-60 of a-z, 0-9 and '-', not at either end"
[[ "$storage" =~ ^[a-z0-9]{3,24}$ ]] || fail "storage account '$storage': 3-24 of a-z and 0-9"
[[ -z "$task_hub" || "$task_hub" =~ ^[A-Za-z][A-Za-z0-9]{2,44}$ ]] ||
  fail "task hub '$task_hub': 3-45 letters and digits, starting with a letter"
[[ "$instance_memory" =~ ^(512|2048|4096)$ ]] || fail "--instance-memory: 512, 2048 or 4096"
[[ "$max_instances" =~ ^[1-9][0-9]*$ ]] || fail "--max-instances: a positive number"
[[ -z "$package" || -f "$package" || "$dry_run" == true ]] || fail "--package '$package' does not exist"

# Names of the other resources, derived so that a re-run finds what the last run made.
insights="appi-$app"
workspace="log-$app"
deployment_container="$(printf 'deploy-%s' "$app" | cut -c1-63)" # the Flex package container, one per app
system_topic="evgt-$storage"                                        # Event Grid allows one system topic per account
storage_roles=(
  "Storage Blob Data Owner"        # host: keys, leases, blob receipts; the app's blobs; the Flex package
  "Storage Queue Data Contributor" # Durable control and work-item queues; blob trigger's queue and poison queue
  "Storage Table Data Contributor" # Durable history and instance tables
)

# --- running commands -----------------------------------------------------------------------------------------------

secrets=()     # values that are never printed: show_command masks them
exec 3>&1      # the command trace goes here, even from inside $(...)

# quote WORD: WORD as the shell reads it back, in single quotes only when it needs them.
quote() {
  if [[ "$1" =~ ^[A-Za-z0-9_@%+=:,./-]+$ ]]; then
    printf '%s' "$1"
  else
    printf "'%s'" "${1//\'/\'\\\'\'}"
  fi
}

show_command() {
  local line="+" word secret
  for word in "$@"; do
    line+=" $(quote "$word")"
  done
  for secret in "${secrets[@]}"; do
    [[ -n "$secret" ]] && line="${line//"$secret"/***}"
  done
  printf '%s\n' "$line" >&3
}

# run COMMAND...: prints the command; runs it unless --dry-run.
run() {
  show_command "$@"
  $dry_run || "$@"
}

# capture PLACEHOLDER COMMAND...: the command's output; in a dry run, PLACEHOLDER.
capture() {
  local placeholder="$1"
  shift
  show_command "$@"
  if $dry_run; then
    printf '%s\n' "$placeholder"
  else
    "$@"
  fi
}

# exists COMMAND...: whether a `show` finds the resource. A dry run assumes nothing exists, so it prints every create.
exists() {
  show_command "$@"
  ! $dry_run && "$@" >/dev/null 2>&1
}

# retry TRIES SECONDS COMMAND...: for what Azure makes ready a little later (role propagation, the host's keys).
retry() {
  local tries="$1" delay="$2" attempt=1
  shift 2
  until "$@"; do
    ((attempt < tries)) || return 1
    echo "  not ready yet; trying again in ${delay}s ($attempt/$tries)" >&2
    sleep "$delay"
    attempt=$((attempt + 1))
  done
}

# nonempty COMMAND...: runs the command and fails unless it printed something.
nonempty() {
  local output
  output="$("$@")" && [[ -n "$output" ]] && printf '%s\n' "$output"
}

step() { printf '\n== %s\n' "$*" >&3; }

# --- prerequisites --------------------------------------------------------------------------------------------------

if ! $dry_run; then
  for tool in az curl; do
    command -v "$tool" >/dev/null || fail "'$tool' is not installed"
  done
  if [[ -z "$package" ]]; then
    command -v dotnet >/dev/null || fail "'dotnet' is not installed (or pass --package)"
    command -v zip >/dev/null || fail "'zip' is not installed (or pass --package)"
  fi
fi

step "Subscription"
subscription="$(capture "<subscription id>" az account show --query id -o tsv)" ||
  fail "not signed in to Azure: run 'az login' (and 'az account set -s SUBSCRIPTION')"
echo "  subscription $subscription, app $app in $resource_group ($region)" >&3
run az extension add --name application-insights --upgrade --only-show-errors
for provider in Microsoft.Web Microsoft.Storage Microsoft.Insights Microsoft.OperationalInsights Microsoft.EventGrid; do
  run az provider register --namespace "$provider" --wait
done

# --- resources ------------------------------------------------------------------------------------------------------

step "Resource group $resource_group"
if [[ "$(capture false az group exists --name "$resource_group")" != true ]]; then
  run az group create --name "$resource_group" --location "$region" -o none
fi

step "Storage account $storage"
if ! exists az storage account show --name "$storage" --resource-group "$resource_group"; then
  # Shared keys off: the host, Durable Functions, the app and the deployment all sign in with the app's identity.
  run az storage account create --name "$storage" --resource-group "$resource_group" --location "$region" \
    --sku Standard_LRS --kind StorageV2 --min-tls-version TLS1_2 --https-only true \
    --allow-blob-public-access false --allow-shared-key-access false -o none
fi
storage_id="$(capture "<storage account id>" az storage account show --name "$storage" \
  --resource-group "$resource_group" --query id -o tsv)"
storage_suffix="$(capture core.windows.net az cloud show --query suffixes.storageEndpoint -o tsv)"

step "Blob containers"
# deploy/containers.txt: the app's containers (and which blob trigger watches each); plus the Flex package's own.
containers=("$deployment_container")
triggered_containers=()
triggered_functions=()
while read -r container function _; do
  [[ -z "$container" || "$container" == \#* ]] && continue
  containers+=("$container")
  if [[ "$function" != - ]]; then
    triggered_containers+=("$container")
    triggered_functions+=("$function")
  fi
done <"$repo/deploy/containers.txt"
for container in "${containers[@]}"; do
  # Through the management plane: works without shared keys and without a data role for whoever deploys.
  if [[ "$(capture false az storage container-rm exists --storage-account "$storage" \
    --resource-group "$resource_group" --name "$container" --query exists -o tsv)" != true ]]; then
    run az storage container-rm create --storage-account "$storage" --resource-group "$resource_group" \
      --name "$container" --public-access off -o none
  fi
done

step "Application Insights $insights (Log Analytics workspace $workspace)"
if ! exists az monitor log-analytics workspace show --workspace-name "$workspace" --resource-group "$resource_group"; then
  run az monitor log-analytics workspace create --workspace-name "$workspace" --resource-group "$resource_group" \
    --location "$region" -o none
fi
workspace_id="$(capture "<workspace id>" az monitor log-analytics workspace show --workspace-name "$workspace" \
  --resource-group "$resource_group" --query id -o tsv)"
if ! exists az monitor app-insights component show --app "$insights" --resource-group "$resource_group"; then
  run az monitor app-insights component create --app "$insights" --resource-group "$resource_group" \
    --location "$region" --kind web --application-type web --workspace "$workspace_id" -o none
fi
insights_connection="$(capture "<connection string>" az monitor app-insights component show --app "$insights" \
  --resource-group "$resource_group" --query connectionString -o tsv)"
secrets+=("$insights_connection")

step "Function app $app (Flex Consumption, dotnet-isolated 10.0)"
new_app=false
if ! exists az functionapp show --name "$app" --resource-group "$resource_group"; then
  new_app=true
  # Flex Consumption: scales to zero, bills per execution. The package goes to a blob container, read with the
  # app's own identity. Application Insights is wired below by setting, so create makes none of its own.
  run az functionapp create --name "$app" --resource-group "$resource_group" --storage-account "$storage" \
    --flexconsumption-location "$region" --runtime dotnet-isolated --runtime-version 10.0 \
    --instance-memory "$instance_memory" --maximum-instance-count "$max_instances" \
    --assign-identity '[system]' --deployment-storage-name "$storage" \
    --deployment-storage-container-name "$deployment_container" \
    --deployment-storage-auth-type SystemAssignedIdentity --disable-app-insights true -o none
fi
# Idempotent, and it also gives an app made some other way its system identity.
principal_id="$(capture "<principal id>" az functionapp identity assign --name "$app" \
  --resource-group "$resource_group" --query principalId -o tsv)"

step "Storage roles for the app's identity"
grant_role() {
  local role="$1" errors
  show_command az role assignment create --assignee-object-id "$principal_id" \
    --assignee-principal-type ServicePrincipal --role "$role" --scope "$storage_id" -o none
  $dry_run && return 0
  # --assignee-object-id with a principal type skips the Graph look-up, which fails for an identity this new.
  if ! errors="$(az role assignment create --assignee-object-id "$principal_id" \
    --assignee-principal-type ServicePrincipal --role "$role" --scope "$storage_id" -o none 2>&1)"; then
    [[ "$errors" == *RoleAssignmentExists* ]] || { echo "$errors" >&2; return 1; }
    echo "  '$role' was already granted" >&3
  fi
}
for role in "${storage_roles[@]}"; do
  grant_role "$role"
done

step "App settings"
if ! $new_app; then
  # Changing the task hub of a live app would strand its in-flight orchestrations in the old hub.
  current_hub="$(capture "" az functionapp config appsettings list --name "$app" --resource-group "$resource_group" \
    --query "[?name=='TaskHubName'].value | [0]" -o tsv)"
  if [[ -n "$task_hub" && -n "$current_hub" && "$task_hub" != "$current_hub" ]]; then
    fail "$app runs task hub '$current_hub'; changing it in place strands in-flight orchestrations." \
      "Deploy the new version side by side instead (README, 'Rolling out a new version')."
  fi
  task_hub="${task_hub:-${current_hub:-OrchestrationV1}}"
fi
task_hub="${task_hub:-OrchestrationV1}"
settings=(
  # Identity-based host storage (no connection string): read by the host, Durable Functions, the blob triggers and
  # the app's own clients (Orchestration.Workflows/Storage).
  "AzureWebJobsStorage__credential=managedidentity"
  "AzureWebJobsStorage__blobServiceUri=https://$storage.blob.$storage_suffix"
  "AzureWebJobsStorage__queueServiceUri=https://$storage.queue.$storage_suffix"
  "AzureWebJobsStorage__tableServiceUri=https://$storage.table.$storage_suffix"
  "TaskHubName=$task_hub"
  "APPLICATIONINSIGHTS_CONNECTION_STRING=$insights_connection"
  "MALLOC_ARENA_MAX=2" # libvips' freed buffers otherwise pile up in one glibc arena per thread
)
if $new_app; then
  # Defaults on creation only: a re-run keeps whatever schedule was set since.
  settings+=("HousekeepingSchedule=0 15 3 * * *" "HousekeepingRetentionDays=30" "FraudScanSchedule=0 30 21 * * 1-5")
fi
run az functionapp config appsettings set --name "$app" --resource-group "$resource_group" -o none \
  --settings "${settings[@]}"
# The connection string that `functionapp create` wrote: useless without shared keys, and a key left lying around.
run az functionapp config appsettings delete --name "$app" --resource-group "$resource_group" \
  --setting-names AzureWebJobsStorage -o none

step "Package"
if [[ -z "$package" ]]; then
  package="$repo/artifacts/deploy/app.zip"
  run "$repo/deploy/package.sh" --output "$package" >/dev/null
fi

step "Deploy"
# The first deployment can come before the new identity's roles have reached the storage account: retry a while.
show_command az functionapp deployment source config-zip --name "$app" --resource-group "$resource_group" \
  --src "$package" -o none
$dry_run || retry 6 30 az functionapp deployment source config-zip --name "$app" --resource-group "$resource_group" \
  --src "$package" -o none || fail "the deployment failed"

step "Event Grid subscriptions for the blob triggers"
host_name="$(capture "$app.azurewebsites.net" az functionapp show --name "$app" --resource-group "$resource_group" \
  --query defaultHostName -o tsv)"
# The blobs extension's system key exists once the host has started with an Event Grid blob trigger.
show_command az functionapp keys list --name "$app" --resource-group "$resource_group" \
  --query systemKeys.blobs_extension -o tsv
if $dry_run; then
  blobs_key="<blobs_extension key>"
else
  blobs_key="$(retry 20 15 nonempty az functionapp keys list --name "$app" --resource-group "$resource_group" \
    --query systemKeys.blobs_extension -o tsv)" || fail "the host did not report its blobs_extension key"
fi
secrets+=("$blobs_key")
if ! exists az eventgrid system-topic show --name "$system_topic" --resource-group "$resource_group"; then
  run az eventgrid system-topic create --name "$system_topic" --resource-group "$resource_group" \
    --location "$region" --topic-type Microsoft.Storage.StorageAccounts --source "$storage_id" -o none
fi
for i in "${!triggered_containers[@]}"; do
  container="${triggered_containers[$i]}"
  function="${triggered_functions[$i]}"
  # Named after the container, so a side-by-side deployment on the same account takes the events over.
  # Create-or-update: a re-run points the subscription at the current host and key.
  run az eventgrid system-topic event-subscription create --name "$container" \
    --resource-group "$resource_group" --system-topic-name "$system_topic" --endpoint-type webhook \
    --endpoint "https://$host_name/runtime/webhooks/blobs?functionName=Host.Functions.$function&code=$blobs_key" \
    --included-event-types Microsoft.Storage.BlobCreated \
    --subject-begins-with "/blobServices/default/containers/$container/" -o none
done

# --- smoke test -----------------------------------------------------------------------------------------------------

if $smoke_test; then
  step "Smoke test: hello-sequence"
  function_key="$(capture "<function key>" az functionapp keys list --name "$app" --resource-group "$resource_group" \
    --query functionKeys.default -o tsv)"
  secrets+=("$function_key")
  api="https://$host_name/api"
  instance="smoke-$(date -u +%Y%m%d%H%M%S)"
  work="$(mktemp -d "${TMPDIR:-/tmp}/orchestration-smoke.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  # The key goes to curl in a file, never on its command line.
  (umask 077 && printf 'x-functions-key: %s\n' "$function_key" >"$work/headers")

  # request STATUS_FILE CURL_ARGS...: the response body in $work/body, its HTTP status in STATUS_FILE.
  request() {
    local status_file="$1"
    shift
    run curl -sS -o "$work/body" -w '%{http_code}' -H "@$work/headers" "$@" >"$status_file" || echo 000 >"$status_file"
  }
  request "$work/status" -X POST -H 'Content-Type: application/json' --data '{"names":["Azure"]}' \
    "$api/workflows/hello-sequence?instanceId=$instance&wait=30"
  if ! $dry_run; then
    # 200: finished within the wait. 202: still running, poll its status (200 once it has finished).
    # Anything else (a cold host answering 503, say): ask again, up to two minutes in all.
    for _ in $(seq 24); do
      [[ "$(cat "$work/status")" == 200 ]] && break
      sleep 5
      request "$work/status" "$api/instances/$instance"
    done
    grep -q '"runtimeStatus":"Completed"' "$work/body" ||
      fail "smoke test: $instance did not complete (HTTP $(cat "$work/status")): $(head -c 500 "$work/body")"
    echo "  $instance completed: $(head -c 300 "$work/body")" >&3
  fi
fi

step "Done"
cat >&3 <<EOF
  App:      https://$host_name  (every route but /api/health needs a function key:
            az functionapp keys list -n $app -g $resource_group --query functionKeys.default -o tsv)
  Storage:  $storage (containers: ${containers[*]:1})
  Logs:     Application Insights '$insights' in $resource_group
  Remove:   deploy/teardown.sh $app --resource-group $resource_group
EOF
