using Microsoft.DurableTask.Client;
using Orchestration.LocalHost.Engine;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Samples;

namespace Orchestration.LocalHost.Tests.Engine;

/// <summary>The engine starts on the backend asked for, and Auto means "durable when there is storage".</summary>
[TestClass]
public sealed class SmokeTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow(false, EngineBackend.InMemory)]
    [DataRow(true, EngineBackend.AzureStorage)]
    public async Task StartAsync_AutoBackend_IsAzureStorageExactlyWhenStorageIsConfigured(bool storageConfigured, EngineBackend expected)
    {
        var settings = new Dictionary<string, string>();
        if (storageConfigured)
        {
            settings["AzureWebJobsStorage"] = Infrastructure.Azurite.ConnectionString;
        }

        await using TestHost host = await TestHost.StartAsync(new TestHostOptions { Backend = EngineBackend.Auto, Settings = settings }, TestContext.CancellationToken);

        Assert.AreEqual(expected, host.App.Backend);
        string id = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HelloSequenceOrchestrator), new HelloSequenceInput(["Smoke"]), TestContext.CancellationToken);
        OrchestrationMetadata done = await Instances.CompleteAsync(host.Client, id, Instances.Short, TestContext.CancellationToken);
        CollectionAssert.AreEqual(new[] { "Hello, Smoke!" }, done.ReadOutputAs<string[]>());
    }
}
