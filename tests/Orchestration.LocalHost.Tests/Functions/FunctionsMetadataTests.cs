using System.Reflection;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Http;

namespace Orchestration.LocalHost.Tests.Functions;

/// <summary>
/// The BUILT Functions app (its generated functions.metadata) against the catalog, both ways: nothing missing, nothing extra.
/// The test project builds the Functions project first (a non-assembly ProjectReference), in the same configuration.
/// </summary>
[TestClass]
public sealed class FunctionsMetadataTests
{
    static readonly Lazy<string> OutputFolder = new(FindOutputFolder);
    static readonly Lazy<IReadOnlyList<FunctionMetadata>> Functions = new(Load);

    /// <summary>The functions of the built app, as its functions.metadata lists them.</summary>
    internal static IReadOnlyList<FunctionMetadata> BuiltFunctions => Functions.Value;

    /// <summary>The HTTP functions that take a <c>DurableTaskClient</c>: all but the listing, the poison list and health.</summary>
    static readonly HashSet<string> HttpFunctionsWithoutClient =
        [ApiRoutes.ListWorkflowsFunction, ApiRoutes.PoisonBlobsFunction, ApiRoutes.HealthFunction];

    [TestMethod]
    public void Metadata_OrchestrationTriggers_MatchTheCatalogOrchestratorsExactly()
    {
        CollectionAssert.AreEquivalent(
            WorkflowCatalog.Orchestrators.Select(t => t.Name).ToArray(),
            WithTrigger("orchestrationTrigger").Select(f => f.Name).ToArray());
    }

    [TestMethod]
    public void Metadata_ActivityTriggers_MatchTheCatalogActivitiesExactly()
    {
        CollectionAssert.AreEquivalent(
            WorkflowCatalog.Activities.Select(t => t.Name).ToArray(),
            WithTrigger("activityTrigger").Select(f => f.Name).ToArray());
    }

    [TestMethod]
    public void Metadata_HttpTriggers_MatchApiRoutesExactly()
    {
        FunctionMetadata[] http = WithTrigger("httpTrigger").ToArray();
        CollectionAssert.AreEquivalent(ApiRoutes.Endpoints.Select(e => e.FunctionName).ToArray(), http.Select(f => f.Name).ToArray());
        foreach (HttpEndpointDefinition endpoint in ApiRoutes.Endpoints)
        {
            JsonElement trigger = http.Single(f => f.Name == endpoint.FunctionName).Trigger;
            Assert.AreEqual(endpoint.Route, trigger.GetProperty("route").GetString(), endpoint.FunctionName);
            string[] methods = trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()).ToArray();
            CollectionAssert.AreEqual(new[] { endpoint.Method }, methods, $"{endpoint.FunctionName}: exactly one method");
            Assert.AreEqual(endpoint.Anonymous ? "Anonymous" : "Function", trigger.GetProperty("authLevel").GetString(), endpoint.FunctionName);
        }
    }

    [TestMethod]
    public void Metadata_HttpRoutes_AreUniquePerMethod()
    {
        string[] keys = ApiRoutes.Endpoints.Select(e => $"{e.Method} {e.Route}").ToArray();
        CollectionAssert.AllItemsAreUnique(keys);
    }

    [TestMethod]
    public void Metadata_HttpFunctionsThatNeedAClient_HaveADurableClientBinding()
    {
        foreach (FunctionMetadata function in WithTrigger("httpTrigger"))
        {
            bool needsClient = !HttpFunctionsWithoutClient.Contains(function.Name);
            Assert.AreEqual(needsClient, function.HasBinding("durableClient"), $"{function.Name}: durableClient binding");
            Assert.IsTrue(function.Bindings.Any(b => b.GetProperty("type").GetString() == "http" && b.GetProperty("direction").GetString() == "Out"), $"{function.Name}: http output");
        }
    }

    [TestMethod]
    public void Metadata_BlobTriggers_MatchTheCatalogExactly()
    {
        FunctionMetadata[] blobs = WithTrigger("blobTrigger").ToArray();
        CollectionAssert.AreEquivalent(WorkflowCatalog.BlobTriggers.Select(t => t.FunctionName).ToArray(), blobs.Select(f => f.Name).ToArray());
        foreach (BlobTriggerDefinition definition in WorkflowCatalog.BlobTriggers)
        {
            FunctionMetadata function = blobs.Single(f => f.Name == definition.FunctionName);
            Assert.AreEqual($"{definition.Container}/{{name}}", function.Trigger.GetProperty("path").GetString(), definition.FunctionName);
            Assert.IsTrue(function.HasBinding("durableClient"), $"{definition.FunctionName} starts '{definition.Workflow}': it needs a durableClient");
            Assert.IsNotNull(WorkflowCatalog.FindWorkflow(definition.Workflow), $"{definition.FunctionName} starts an unknown workflow '{definition.Workflow}'");
        }
    }

    [TestMethod]
    public void Metadata_BlobTriggers_ScanContainersInTheDefaultBuild()
    {
        // What Azurite and func start can serve; deploy/package.sh builds the Event Grid variant (PackageTests).
        foreach (FunctionMetadata function in WithTrigger("blobTrigger"))
        {
            string? source = function.Trigger.TryGetProperty("source", out JsonElement value) ? value.GetString() : null;
            Assert.IsTrue(source is null or "LogsAndContainerScan", $"{function.Name}: source {source}");
        }
    }

    [TestMethod]
    public void Metadata_TimerTriggers_MatchTheCatalogExactly()
    {
        FunctionMetadata[] timers = WithTrigger("timerTrigger").ToArray();
        CollectionAssert.AreEquivalent(WorkflowCatalog.Timers.Select(t => t.FunctionName).ToArray(), timers.Select(f => f.Name).ToArray());
        foreach (TimerDefinition definition in WorkflowCatalog.Timers)
        {
            FunctionMetadata function = timers.Single(f => f.Name == definition.FunctionName);
            Assert.AreEqual($"%{definition.ScheduleSetting}%", function.Trigger.GetProperty("schedule").GetString(), definition.FunctionName);
            Assert.IsTrue(function.HasBinding("durableClient"), $"{definition.FunctionName}: durableClient binding");
        }
    }

    [TestMethod]
    public void Metadata_EveryFunction_IsInTheCatalogAndHasOneTrigger()
    {
        string[] catalog =
        [
            .. WorkflowCatalog.Orchestrators.Select(t => t.Name),
            .. WorkflowCatalog.Activities.Select(t => t.Name),
            .. ApiRoutes.Endpoints.Select(e => e.FunctionName),
            .. WorkflowCatalog.BlobTriggers.Select(t => t.FunctionName),
            .. WorkflowCatalog.Timers.Select(t => t.FunctionName),
        ];
        CollectionAssert.AllItemsAreUnique(catalog, "a function name is used twice in the catalog");
        string[] built = Functions.Value.Select(f => f.Name).ToArray();
        CollectionAssert.AllItemsAreUnique(built);
        CollectionAssert.AreEquivalent(catalog, built, $"in the build but not the catalog: [{string.Join(", ", built.Except(catalog))}]; in the catalog but not the build: [{string.Join(", ", catalog.Except(built))}]");
        foreach (FunctionMetadata function in Functions.Value)
        {
            Assert.AreEqual(1, function.Bindings.Count(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)), $"{function.Name}: one trigger");
            Assert.AreEqual("Orchestration.Functions.dll", function.Raw.GetProperty("scriptFile").GetString(), function.Name);
            Assert.AreEqual("dotnet-isolated", function.Raw.GetProperty("language").GetString(), function.Name);
        }
    }

    [TestMethod]
    public void Output_HostJsonAndExtensionsJson_ArePresentBesideTheMetadata()
    {
        string hostJson = Path.Combine(OutputFolder.Value, "host.json");
        string extensionsJson = Path.Combine(OutputFolder.Value, "extensions.json");
        Assert.IsTrue(File.Exists(hostJson), hostJson);
        Assert.IsTrue(File.Exists(extensionsJson), extensionsJson);

        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(hostJson));
        Assert.AreEqual("2.0", host.RootElement.GetProperty("version").GetString());
        Assert.AreEqual(ApiRoutes.Prefix, host.RootElement.GetProperty("extensions").GetProperty("http").GetProperty("routePrefix").GetString(), "the route prefix the catalog's routes assume");

        using JsonDocument extensions = JsonDocument.Parse(File.ReadAllText(extensionsJson));
        string[] names = extensions.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetProperty("name").GetString()!).ToArray();
        CollectionAssert.IsSubsetOf(new[] { "DurableTask", "AzureStorageBlobs" }, names, string.Join(", ", names));
    }

    static IEnumerable<FunctionMetadata> WithTrigger(string type) => Functions.Value.Where(f => f.TriggerType == type);

    static IReadOnlyList<FunctionMetadata> Load()
    {
        string path = Path.Combine(OutputFolder.Value, "functions.metadata");
        Assert.IsTrue(File.Exists(path), $"{path} is missing: build src/Orchestration.Functions in the same configuration first.");
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray().Select(f => new FunctionMetadata(f.Clone())).ToList();
    }

    /// <summary><c>src/Orchestration.Functions/bin/&lt;this assembly's configuration&gt;/&lt;this assembly's TFM&gt;</c>.</summary>
    static string FindOutputFolder()
    {
        string framework = new DirectoryInfo(AppContext.BaseDirectory).Name;
        string configuration = typeof(FunctionsMetadataTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
            ?? throw new AssertFailedException("the test assembly has no AssemblyConfiguration attribute");
        string folder = Repository.PathOf($"src/Orchestration.Functions/bin/{configuration}/{framework}");
        Assert.IsTrue(Directory.Exists(folder), $"{folder} is missing: the Functions app was not built in {configuration}.");
        return folder;
    }

    internal sealed record FunctionMetadata(JsonElement Raw)
    {
        public string Name => Raw.GetProperty("name").GetString()!;

        public IReadOnlyList<JsonElement> Bindings => Raw.GetProperty("bindings").EnumerateArray().ToList();

        public JsonElement Trigger => Bindings.Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));

        public string? TriggerType => Bindings.Select(b => b.GetProperty("type").GetString()).FirstOrDefault(t => t?.EndsWith("Trigger", StringComparison.Ordinal) == true);

        public bool HasBinding(string type) => Bindings.Any(b => b.GetProperty("type").GetString() == type);
    }
}
