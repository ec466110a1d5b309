using System.Text.Json;
using System.Text.RegularExpressions;
using Orchestration.LocalHost.Tests.Functions;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Samples;

namespace Orchestration.LocalHost.Tests.Deploy;

/// <summary>
/// The configuration the app is deployed and run with: the container list deploy.sh reads, the production host.json,
/// the local.settings.sample.json that `func start` runs with, and the README that explains host.json.
/// </summary>
[TestClass]
public sealed partial class ConfigurationTests
{
    static readonly JsonDocumentOptions JsonWithComments = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>deploy/containers.txt: each container, and the blob trigger Event Grid notifies for it (or null).</summary>
    internal static IReadOnlyList<(string Container, string? Function)> ListedContainers() =>
        File.ReadAllLines(Repository.PathOf("deploy/containers.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(fields => (fields[0], fields[1] == "-" ? null : fields[1]))
            .ToList();

    [TestMethod]
    public void ContainersTxt_ListsExactlyTheContainersOfTheCatalogAndTheWorkflowDefinitions()
    {
        var expected = new HashSet<string>(WorkflowCatalog.BlobTriggers.Select(t => t.Container)) { BlobDigestOrchestrator.OutputContainer };
        foreach (string definition in Directory.GetFiles(Repository.PathOf("workflows"), "workflow.json", SearchOption.AllDirectories))
        {
            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(definition), JsonWithComments);
            // Each container by role, and the allow-list "sources" (an array) of containers a request may name.
            expected.UnionWith(document.RootElement.GetProperty("containers").EnumerateObject()
                .SelectMany(p => p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().Select(e => e.GetString()!) : [p.Value.GetString()!]));
        }

        string[] listed = ListedContainers().Select(c => c.Container).ToArray();
        CollectionAssert.AllItemsAreUnique(listed);
        CollectionAssert.AreEquivalent(expected.ToArray(), listed);
    }

    [TestMethod]
    public void ContainersTxt_NamesTheCatalogBlobTriggerOfEachWatchedContainer()
    {
        CollectionAssert.AreEquivalent(
            WorkflowCatalog.BlobTriggers.Select(t => $"{t.Container} {t.FunctionName}").ToArray(),
            ListedContainers().Where(c => c.Function is not null).Select(c => $"{c.Container} {c.Function}").ToArray());
    }

    [TestMethod]
    public void HostJson_HasTheProductionDurableBlobAndLoggingSettings()
    {
        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("host.json")));
        JsonElement durable = host.RootElement.GetProperty("extensions").GetProperty("durableTask");
        Assert.AreEqual("%TaskHubName%", durable.GetProperty("hubName").GetString(), "one task hub per deployment, from an app setting");
        Assert.IsGreaterThan(0, durable.GetProperty("maxConcurrentActivityFunctions").GetInt32());
        Assert.IsGreaterThan(0, durable.GetProperty("maxConcurrentOrchestratorFunctions").GetInt32());
        Assert.IsTrue(durable.GetProperty("extendedSessionsEnabled").GetBoolean());
        int partitions = durable.GetProperty("storageProvider").GetProperty("partitionCount").GetInt32();
        Assert.IsTrue(partitions is >= 1 and <= 16, $"partitionCount {partitions}: Azure Storage allows 1-16");
        Assert.IsGreaterThan(0, host.RootElement.GetProperty("extensions").GetProperty("blobs").GetProperty("maxDegreeOfParallelism").GetInt32());
        Assert.IsNotNull(host.RootElement.GetProperty("logging").GetProperty("logLevel").GetProperty("default").GetString());
    }

    [TestMethod]
    public void Readme_ExplainsEveryHostJsonSetting()
    {
        using JsonDocument host = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("host.json")));
        string readme = File.ReadAllText(Repository.PathOf("README.md"));
        string[] missing = LeafNames(host.RootElement).Where(name => !readme.Contains($"`{name}`", StringComparison.Ordinal)).ToArray();
        Assert.IsEmpty(missing, $"host.json settings the README does not explain: {string.Join(", ", missing)}");
    }

    [TestMethod]
    public void LocalSettingsSample_RunsAgainstAzuriteAsIs()
    {
        using JsonDocument sample = JsonDocument.Parse(File.ReadAllText(Repository.PathOf("local.settings.sample.json")));
        JsonElement values = sample.RootElement.GetProperty("Values");
        Assert.AreEqual("UseDevelopmentStorage=true", values.GetProperty("AzureWebJobsStorage").GetString(), "Azurite on its default ports");
        Assert.AreEqual("dotnet-isolated", values.GetProperty("FUNCTIONS_WORKER_RUNTIME").GetString(), "Core Tools needs it locally");

        // Every %Setting% the host resolves, in host.json and in the built functions' bindings, has a value.
        string bindings = string.Join("\n", FunctionsMetadataTests.BuiltFunctions.Select(f => f.Raw.GetRawText()));
        string referencing = File.ReadAllText(Repository.PathOf("host.json")) + bindings;
        string[] referenced = SettingReference().Matches(referencing).Select(m => m.Groups[1].Value).Distinct().ToArray();
        Assert.IsNotEmpty(referenced);
        foreach (string setting in referenced)
        {
            Assert.IsTrue(values.TryGetProperty(setting, out JsonElement value) && value.GetString() is { Length: > 0 }, $"'{setting}' has no value");
        }
    }

    /// <summary>The names of the settings in a JSON object: its leaves, and the objects that hold them, except "version".</summary>
    static IEnumerable<string> LeafNames(JsonElement element) =>
        element.EnumerateObject().SelectMany(p => p.Value.ValueKind == JsonValueKind.Object
            ? LeafNames(p.Value)
            : p.Name == "version" ? [] : new[] { p.Name });

    [GeneratedRegex("%([A-Za-z0-9_:.]+)%")]
    private static partial Regex SettingReference();
}
