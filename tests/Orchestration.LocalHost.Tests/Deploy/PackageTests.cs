using System.IO.Compression;
using System.Text.Json;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Catalog;

namespace Orchestration.LocalHost.Tests.Deploy;

/// <summary>
/// The zip deploy/package.sh builds for Azure (dotnet publish -c Release -r linux-x64, blob triggers on Event Grid):
/// what Flex Consumption needs at its root and nothing that must not travel. The publish takes both cores for a while,
/// so these run on their own, after the parallel tests, rather than starving the engine tests of CPU.
/// </summary>
[TestClass]
[DoNotParallelize]
public sealed class PackageTests
{
    static string folder = null!;
    static string[] entries = null!;
    static string metadataJson = null!;
    static string hostJson = null!;

    [ClassInitialize]
    public static async Task BuildPackage(TestContext context)
    {
        folder = Directory.CreateTempSubdirectory("package-test-").FullName;
        string path = Path.Combine(folder, "app.zip");
        ScriptResult run = await ScriptRun.RunAsync(
            Repository.PathOf("deploy/package.sh"),
            ["--output", path],
            pathFirst: null,
            TimeSpan.FromMinutes(5),
            context.CancellationToken,
            // No MSBuild nodes or build servers left behind by a test.
            new Dictionary<string, string> { ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0" });
        Assert.AreEqual(0, run.ExitCode, run.ToString());
        using ZipArchive zip = ZipFile.OpenRead(path);
        entries = zip.Entries.Select(e => e.FullName).ToArray();
        metadataJson = Read(zip, "functions.metadata");
        hostJson = Read(zip, "host.json");
    }

    [ClassCleanup]
    public static void Cleanup()
    {
        if (folder is not null)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public void Package_Root_HasWhatTheFunctionsHostReads()
    {
        foreach (string file in new[] { "host.json", "functions.metadata", "extensions.json", "worker.config.json", "Orchestration.Functions.dll" })
        {
            CollectionAssert.Contains(entries, file, "at the root of the zip");
        }
    }

    [TestMethod]
    public void Package_HiddenAzureFunctionsFolder_IsIncluded()
    {
        Assert.IsTrue(entries.Any(e => e.StartsWith(".azurefunctions/", StringComparison.Ordinal) && !e.EndsWith('/')),
            "the extension bundle of the isolated worker (.azurefunctions/) is missing");
    }

    [TestMethod]
    public void Package_NativeLibraries_AreLinuxX64Only()
    {
        CollectionAssert.Contains(entries, "libvips.so.42", "libvips for linux-x64, flattened to the root by the RID-specific publish");
        string[] otherPlatforms = entries.Where(e => e.StartsWith("runtimes/", StringComparison.Ordinal)
            || e.EndsWith(".dylib", StringComparison.Ordinal)).ToArray();
        Assert.IsEmpty(otherPlatforms, string.Join(", ", otherPlatforms));
    }

    [TestMethod]
    public void Package_HasNoLocalSettings()
    {
        Assert.IsFalse(entries.Any(e => Path.GetFileName(e) == "local.settings.json"));
    }

    [TestMethod]
    public void Package_WorkflowDefinitionsAndFont_AreIncluded()
    {
        CollectionAssert.IsSubsetOf(
            new[] { "workflows/image-pipeline/workflow.json", "workflows/fraud-scan/workflow.json", "assets/fonts/DejaVuSans.ttf" },
            entries);
    }

    [TestMethod]
    public void Package_BlobTriggers_WaitForEventGrid()
    {
        using JsonDocument functions = JsonDocument.Parse(metadataJson);
        foreach (BlobTriggerDefinition definition in WorkflowCatalog.BlobTriggers)
        {
            JsonElement function = functions.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == definition.FunctionName);
            JsonElement trigger = function.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "blobTrigger");
            Assert.AreEqual("EventGrid", trigger.GetProperty("source").GetString(), definition.FunctionName);
            Assert.AreEqual($"{definition.Container}/{{name}}", trigger.GetProperty("path").GetString(), definition.FunctionName);
        }
    }

    [TestMethod]
    public void Package_HostJson_IsTheRepositorys()
    {
        Assert.AreEqual(File.ReadAllText(Repository.PathOf("host.json")), hostJson);
    }

    static string Read(ZipArchive zip, string entry)
    {
        ZipArchiveEntry? found = zip.GetEntry(entry);
        Assert.IsNotNull(found, $"{entry} is not in the package");
        using var reader = new StreamReader(found.Open());
        return reader.ReadToEnd();
    }
}
