using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Catalog;

namespace Orchestration.LocalHost.Tests.Deploy;

/// <summary>
/// deploy/deploy.sh and deploy/teardown.sh against a fake az and curl: the commands, their order, the flags that matter
/// and that no secret is ever printed. Azure itself is not reachable from where the tests run.
/// </summary>
[TestClass]
public sealed class DeployScriptTests
{
    const string App = "orchtest";
    const string Region = "westeurope";
    const string ResourceGroup = "rg-orchtest";
    const string Storage = "storchtest";
    const string StorageId = "/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-orchtest/providers/Microsoft.Storage/storageAccounts/storchtest";
    const string PrincipalId = "9f2b6c1e-0d1a-4c3b-8e7f-5a6b7c8d9e0f";
    const string FunctionKey = "FAKE-SECRET-KEY-123";
    const string BlobsExtensionKey = "FAKE-SECRET-BLOBS-KEY-456";
    const string InsightsConnection = "InstrumentationKey=FAKE-SECRET-IKEY-789;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/";

    static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);
    static FakeAzure fresh = null!;
    static ScriptResult freshRun = null!;
    static string package = null!;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>One deployment into an empty subscription, shared by the tests that read it.</summary>
    [ClassInitialize]
    public static async Task DeployFromNothing(TestContext context)
    {
        package = Path.Combine(Path.GetTempPath(), $"deploy-test-{Guid.NewGuid():N}.zip");
        await File.WriteAllBytesAsync(package, [], context.CancellationToken);
        fresh = FreshSubscription(new FakeAzure());
        freshRun = await DeployAsync(fresh, context.CancellationToken);
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        fresh?.Dispose();
        if (package is not null)
        {
            File.Delete(package);
        }
    }

    [TestMethod]
    public void Deploy_FromNothing_CreatesEachResourceBeforeWhatNeedsIt()
    {
        Assert.AreEqual(0, freshRun.ExitCode, freshRun.ToString());
        string[] order =
        [
            "group create",
            "storage account create",
            "storage container-rm create",
            "monitor log-analytics workspace create",
            "monitor app-insights component create",
            "functionapp create",
            "functionapp identity assign",
            "role assignment create",
            "functionapp config appsettings set",
            "functionapp config appsettings delete",
            "functionapp deployment source config-zip",
            "eventgrid system-topic create",
            "eventgrid system-topic event-subscription create",
        ];
        List<string> words = fresh.AzCalls.Select(Words).ToList();
        int[] firstIndexes = order.Select(command => words.IndexOf(command)).ToArray();
        for (int i = 0; i < order.Length; i++)
        {
            Assert.IsGreaterThanOrEqualTo(0, firstIndexes[i], $"'az {order[i]}' never ran:\n{string.Join("\n", words)}");
            Assert.IsTrue(i == 0 || firstIndexes[i] > firstIndexes[i - 1], $"'az {order[i]}' ran before 'az {order[i - 1]}'");
        }
    }

    [TestMethod]
    public void Deploy_FunctionApp_IsFlexConsumptionDotnetIsolated10WithASystemIdentity()
    {
        string[] create = Single(fresh, "functionapp create");
        Assert.AreEqual(Region, Option(create, "--flexconsumption-location"));
        Assert.AreEqual("dotnet-isolated", Option(create, "--runtime"));
        Assert.AreEqual("10.0", Option(create, "--runtime-version"));
        Assert.AreEqual("[system]", Option(create, "--assign-identity"));
        Assert.AreEqual("SystemAssignedIdentity", Option(create, "--deployment-storage-auth-type"));
        Assert.AreEqual(Storage, Option(create, "--storage-account"));
        Assert.IsNull(Option(create, "--consumption-plan-location"), "not the Linux Consumption plan");
        Assert.IsNull(Option(create, "--plan"), "no dedicated plan");
    }

    [TestMethod]
    public void Deploy_StorageAccount_AllowsNoSharedKeyAccess()
    {
        string[] create = Single(fresh, "storage account create");
        Assert.AreEqual("false", Option(create, "--allow-shared-key-access"));
        Assert.AreEqual("false", Option(create, "--allow-blob-public-access"));
    }

    [TestMethod]
    public void Deploy_Identity_GetsTheStorageRolesOfTheHostDurableAndBlobTriggers()
    {
        string[][] grants = Calls(fresh, "role assignment create").ToArray();
        CollectionAssert.AreEquivalent(
            new[] { "Storage Blob Data Owner", "Storage Queue Data Contributor", "Storage Table Data Contributor" },
            grants.Select(g => Option(g, "--role")).ToArray());
        foreach (string[] grant in grants)
        {
            Assert.AreEqual(PrincipalId, Option(grant, "--assignee-object-id"), "the app's system identity");
            Assert.AreEqual("ServicePrincipal", Option(grant, "--assignee-principal-type"));
            Assert.AreEqual(StorageId, Option(grant, "--scope"), "on the storage account");
        }
    }

    [TestMethod]
    public void Deploy_AppSettings_UseTheIdentityInsteadOfAConnectionString()
    {
        Dictionary<string, string> settings = Settings(Single(fresh, "functionapp config appsettings set"));
        Assert.AreEqual("managedidentity", settings["AzureWebJobsStorage__credential"]);
        foreach (string service in new[] { "blob", "queue", "table" })
        {
            Assert.AreEqual($"https://{Storage}.{service}.core.windows.net", settings[$"AzureWebJobsStorage__{service}ServiceUri"], service);
        }

        Assert.IsFalse(settings.ContainsKey("AzureWebJobsStorage"), "no connection string");
        CollectionAssert.AreEqual(
            new[] { "AzureWebJobsStorage" },
            Option(Single(fresh, "functionapp config appsettings delete"), "--setting-names")!.Split(' '),
            "the connection string functionapp create wrote is removed");
        foreach (string rejectedByFlex in new[] { "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE" })
        {
            Assert.IsFalse(settings.ContainsKey(rejectedByFlex), $"{rejectedByFlex}: Flex Consumption sets it in functionAppConfig");
        }
    }

    [TestMethod]
    public void Deploy_AppSettings_SetEverySettingTheAppReads()
    {
        Dictionary<string, string> settings = Settings(Single(fresh, "functionapp config appsettings set"));
        Assert.AreEqual("OrchestrationV1", settings["TaskHubName"]);
        Assert.AreEqual("2", settings["MALLOC_ARENA_MAX"]);
        Assert.AreEqual(InsightsConnection, settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        foreach (TimerDefinition timer in WorkflowCatalog.Timers)
        {
            Assert.AreEqual(timer.DefaultSchedule, settings[timer.ScheduleSetting], timer.FunctionName);
        }
    }

    [TestMethod]
    public void Deploy_Containers_AreTheListedOnesAndThePackageContainer()
    {
        string[] created = Calls(fresh, "storage container-rm create").Select(c => Option(c, "--name")!).ToArray();
        CollectionAssert.AreEquivalent(
            ConfigurationTests.ListedContainers().Select(c => c.Container).Append($"deploy-{App}").ToArray(),
            created);
        Assert.AreEqual(
            $"deploy-{App}",
            Option(Single(fresh, "functionapp create"), "--deployment-storage-container-name"));
    }

    [TestMethod]
    public void Deploy_EventGrid_SendsBlobCreatedToEachBlobTriggerOfTheCatalog()
    {
        string[] topic = Single(fresh, "eventgrid system-topic create");
        Assert.AreEqual("Microsoft.Storage.StorageAccounts", Option(topic, "--topic-type"));
        Assert.AreEqual(StorageId, Option(topic, "--source"));

        string[][] subscriptions = Calls(fresh, "eventgrid system-topic event-subscription create").ToArray();
        Assert.HasCount(WorkflowCatalog.BlobTriggers.Count, subscriptions);
        foreach (BlobTriggerDefinition trigger in WorkflowCatalog.BlobTriggers)
        {
            string[]? subscription = subscriptions.SingleOrDefault(
                s => Option(s, "--subject-begins-with") == $"/blobServices/default/containers/{trigger.Container}/");
            Assert.IsNotNull(subscription, $"no subscription for {trigger.Container}");
            Assert.AreEqual(
                $"https://{App}.azurewebsites.net/runtime/webhooks/blobs?functionName=Host.Functions.{trigger.FunctionName}&code={BlobsExtensionKey}",
                Option(subscription, "--endpoint"),
                trigger.FunctionName);
            Assert.AreEqual("webhook", Option(subscription, "--endpoint-type"));
            Assert.AreEqual("Microsoft.Storage.BlobCreated", Option(subscription, "--included-event-types"));
            Assert.AreEqual(Option(topic, "--name"), Option(subscription, "--system-topic-name"));
        }
    }

    [TestMethod]
    public void Deploy_Package_IsDeployedOnce()
    {
        Assert.AreEqual(package, Option(Single(fresh, "functionapp deployment source config-zip"), "--src"));
    }

    [TestMethod]
    public void Deploy_SmokeTest_StartsHelloSequenceWithTheKeyInAHeader()
    {
        string[] start = fresh.CurlCalls.Single();
        Assert.AreEqual("POST", Option(start, "-X"));
        StringAssert.StartsWith(start[^1], $"https://{App}.azurewebsites.net/api/workflows/hello-sequence?instanceId=smoke-");
        StringAssert.EndsWith(start[^1], "&wait=30");
        StringAssert.Contains(fresh.CurlHeaders, $"x-functions-key: {FunctionKey}");
        Assert.IsFalse(start.Any(a => a.Contains(FunctionKey, StringComparison.Ordinal)), "the key is not on curl's command line");
        StringAssert.Contains(freshRun.Stdout, "completed");
    }

    [TestMethod]
    public void Deploy_Output_NeverShowsASecret()
    {
        foreach (string secret in new[] { FunctionKey, BlobsExtensionKey, InsightsConnection, "FAKE-SECRET" })
        {
            Assert.DoesNotContain(secret, freshRun.Output, StringComparison.Ordinal);
        }

        StringAssert.Contains(freshRun.Stdout, "&code=***", "the Event Grid endpoints are shown, masked");
    }

    [TestMethod]
    public async Task Deploy_OverAnExistingDeployment_CreatesNothingAndUpdatesTheApp()
    {
        using FakeAzure az = ExistingDeployment(new FakeAzure());

        ScriptResult run = await DeployAsync(az, TestContext.CancellationToken);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        string[] creates = az.AzCalls.Select(Words).Where(w => w.EndsWith(" create", StringComparison.Ordinal)).Distinct().ToArray();
        CollectionAssert.AreEquivalent(
            new[] { "role assignment create", "eventgrid system-topic event-subscription create" },
            creates,
            "only what is idempotent by nature runs again");
        StringAssert.Contains(run.Stdout, "already granted");
        Dictionary<string, string> settings = Settings(Single(az, "functionapp config appsettings set"));
        Assert.AreEqual("OrchestrationV1", settings["TaskHubName"], "the app keeps its task hub");
        Assert.IsFalse(settings.ContainsKey("HousekeepingSchedule"), "schedules set since are kept");
        Assert.IsNotNull(Single(az, "functionapp deployment source config-zip"));
    }

    [TestMethod]
    public async Task Deploy_ExistingAppOnAnotherTaskHub_RefusesToChangeItInPlace()
    {
        using FakeAzure az = ExistingDeployment(new FakeAzure());

        ScriptResult run = await DeployAsync(az, TestContext.CancellationToken, "--task-hub", "OrchestrationV2");

        Assert.AreNotEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stderr, "side by side");
        Assert.IsFalse(az.AzCalls.Select(Words).Any(w => w is "functionapp config appsettings set" or "functionapp deployment source config-zip"));
    }

    [TestMethod]
    public async Task Deploy_NameAzureRejects_FailsBeforeAnyCommand()
    {
        using var az = new FakeAzure();

        ScriptResult run = await ScriptRun.RunAsync(
            Repository.PathOf("deploy/deploy.sh"), ["Orch_Test", Region], az.Bin, Timeout, TestContext.CancellationToken);

        Assert.AreNotEqual(0, run.ExitCode, run.ToString());
        Assert.IsEmpty(az.AzCalls);
    }

    [TestMethod]
    public async Task DryRun_PrintsEveryCommandAndRunsNone()
    {
        using var az = new FakeAzure();

        ScriptResult run = await ScriptRun.RunAsync(
            Repository.PathOf("deploy/deploy.sh"), [App, Region, "--dry-run"], az.Bin, Timeout, TestContext.CancellationToken);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        Assert.IsEmpty(az.AzCalls, "no az command ran");
        Assert.IsEmpty(az.CurlCalls, "no request was sent");
        string[] printed = run.Stdout.Split('\n').Where(l => l.StartsWith("+ ", StringComparison.Ordinal)).ToArray();
        foreach (string command in new[] { "az group create", "az storage account create", "az functionapp create", "az role assignment create",
            "az functionapp config appsettings set", "az functionapp deployment source config-zip", "az eventgrid system-topic create" })
        {
            Assert.IsTrue(printed.Any(l => l.StartsWith($"+ {command} ", StringComparison.Ordinal)), $"'{command}' is not printed:\n{run.Stdout}");
        }

        Assert.AreEqual(WorkflowCatalog.BlobTriggers.Count, printed.Count(l => l.StartsWith("+ az eventgrid system-topic event-subscription create ", StringComparison.Ordinal)));
        Assert.IsTrue(printed.Any(l => l.Contains("/deploy/package.sh --output ", StringComparison.Ordinal)), "the build is printed, not run");
    }

    [TestMethod]
    public async Task Teardown_WithYes_DeletesTheResourceGroup()
    {
        using FakeAzure az = new FakeAzure().Answer("group exists", null, "true");

        ScriptResult run = await ScriptRun.RunAsync(
            Repository.PathOf("deploy/teardown.sh"), [App, "--yes"], az.Bin, Timeout, TestContext.CancellationToken);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        string[] delete = Single(az, "group delete");
        Assert.AreEqual(ResourceGroup, Option(delete, "--name"));
        CollectionAssert.Contains(delete, "--yes");
    }

    [TestMethod]
    public async Task Teardown_WithoutYesOrATerminal_DeletesNothing()
    {
        using FakeAzure az = new FakeAzure().Answer("group exists", null, "true");

        ScriptResult run = await ScriptRun.RunAsync(
            Repository.PathOf("deploy/teardown.sh"), [App], az.Bin, Timeout, TestContext.CancellationToken);

        Assert.AreNotEqual(0, run.ExitCode, run.ToString());
        Assert.IsFalse(az.AzCalls.Any(c => Words(c) == "group delete"));
    }

    [TestMethod]
    public async Task Teardown_DryRun_PrintsTheDeleteAndRunsNothing()
    {
        using var az = new FakeAzure();

        ScriptResult run = await ScriptRun.RunAsync(
            Repository.PathOf("deploy/teardown.sh"), [App, "--dry-run"], az.Bin, Timeout, TestContext.CancellationToken);

        Assert.AreEqual(0, run.ExitCode, run.ToString());
        StringAssert.Contains(run.Stdout, $"+ az group delete --name {ResourceGroup} --yes --no-wait");
        Assert.IsEmpty(az.AzCalls);
    }

    static Task<ScriptResult> DeployAsync(FakeAzure az, CancellationToken cancellationToken, params string[] options) =>
        ScriptRun.RunAsync(
            Repository.PathOf("deploy/deploy.sh"),
            [App, Region, "--package", package, .. options],
            az.Bin,
            Timeout,
            cancellationToken);

    /// <summary>What the real commands answer in a subscription where nothing of the app exists yet.</summary>
    static FakeAzure FreshSubscription(FakeAzure az) => Answers(az)
        .Answer("group exists", null, "false")
        .AnswerJson("storage container-rm exists", """{"exists": false}""", "exists")
        .Missing("storage account show")
        .Missing("monitor log-analytics workspace show")
        .Missing("monitor app-insights component show")
        .Missing("functionapp show")
        .Missing("eventgrid system-topic show");

    /// <summary>What they answer once the app has been deployed.</summary>
    static FakeAzure ExistingDeployment(FakeAzure az) => Answers(az)
        .Answer("group exists", null, "true")
        .AnswerJson("storage container-rm exists", """{"exists": true}""", "exists")
        .Answer("role assignment create", null, "", exitCode: 1, stderr: "ERROR: (RoleAssignmentExists) The role assignment already exists.")
        .Answer("functionapp config appsettings list", "[?name=='TaskHubName'].value | [0]", "OrchestrationV1");

    /// <summary>The documents the show, list and assign commands return (trimmed to the fields that matter).</summary>
    static FakeAzure Answers(FakeAzure az) => az
        .AnswerJson("account show", """{"id": "0b1f6471-1bf0-4dda-aec3-111122223333", "name": "Test", "state": "Enabled", "isDefault": true}""", "id")
        .AnswerJson("cloud show", """{"name": "AzureCloud", "suffixes": {"storageEndpoint": "core.windows.net"}}""", "suffixes.storageEndpoint")
        .AnswerJson("storage account show", $$"""{"id": "{{StorageId}}", "name": "{{Storage}}", "allowSharedKeyAccess": false}""", "id")
        .AnswerJson(
            "monitor log-analytics workspace show",
            """{"id": "/subscriptions/0b1f6471-1bf0-4dda-aec3-111122223333/resourceGroups/rg-orchtest/providers/Microsoft.OperationalInsights/workspaces/log-orchtest", "name": "log-orchtest"}""",
            "id")
        .AnswerJson(
            "monitor app-insights component show",
            $$"""{"name": "appi-orchtest", "connectionString": "{{InsightsConnection}}", "instrumentationKey": "FAKE-SECRET-IKEY-789"}""",
            "connectionString")
        .AnswerJson("functionapp show", $$"""{"name": "{{App}}", "defaultHostName": "{{App}}.azurewebsites.net", "state": "Running"}""", "defaultHostName")
        .AnswerJson("functionapp identity assign", $$"""{"principalId": "{{PrincipalId}}", "tenantId": "72f988bf-0000-0000-0000-000000000000", "type": "SystemAssigned"}""", "principalId")
        .AnswerJson(
            "functionapp keys list",
            $$$"""{"functionKeys": {"default": "{{{FunctionKey}}}"}, "masterKey": "FAKE-SECRET-MASTER", "systemKeys": {"blobs_extension": "{{{BlobsExtensionKey}}}", "durabletask_extension": "FAKE-SECRET-DURABLE"}}""",
            "functionKeys.default",
            "systemKeys.blobs_extension")
        .HttpResponse(200, """{"instanceId":"smoke-1","name":"HelloSequenceOrchestrator","workflow":"hello-sequence","runtimeStatus":"Completed","output":["Hello, Azure!"]}""");

    /// <summary>The command's words before its first option: "functionapp create".</summary>
    static string Words(string[] call) => string.Join(' ', call.TakeWhile(a => !a.StartsWith('-')));

    static IEnumerable<string[]> Calls(FakeAzure az, string words) => az.AzCalls.Where(c => Words(c) == words);

    static string[] Single(FakeAzure az, string words)
    {
        string[][] calls = Calls(az, words).ToArray();
        Assert.HasCount(1, calls, $"'az {words}' calls");
        return calls[0];
    }

    /// <summary>The value after <paramref name="name"/>, or null when the option is not there.</summary>
    static string? Option(string[] call, string name)
    {
        int index = Array.IndexOf(call, name);
        return index >= 0 && index + 1 < call.Length ? call[index + 1] : null;
    }

    /// <summary>The KEY=VALUE arguments after --settings.</summary>
    static Dictionary<string, string> Settings(string[] call) =>
        call.SkipWhile(a => a != "--settings").Skip(1).TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal))
            .Select(a => a.Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
}
