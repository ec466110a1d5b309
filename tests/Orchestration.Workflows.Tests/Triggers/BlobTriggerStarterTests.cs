using System.Text.RegularExpressions;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Storage;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Tests.Infrastructure;
using Orchestration.Workflows.Triggers;

namespace Orchestration.Workflows.Tests.Triggers;

[TestClass]
public sealed partial class BlobTriggerStarterTests
{
    static readonly BlobTriggerDefinition Trigger = new("BlobTrigger_SamplesIn", "samples-in", "blob-digest");

    [GeneratedRegex("^blob-digest-[0-9a-f]{32}$")]
    private static partial Regex DigestId();

    static BlobTriggerStarter Starter() => new(NullLogger<BlobTriggerStarter>.Instance);

    [TestMethod]
    public void InstanceIdFor_KnownBlob_IsWorkflowDashFirst32HexOfSha256()
    {
        // printf 'samples-in\nreport.csv\n"0x8DC1"' | sha256sum → c23c94b22f7ef94e356a07b94e8913c3...
        string id = BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-in", "report.csv", "\"0x8DC1\""));

        Assert.AreEqual("blob-digest-c23c94b22f7ef94e356a07b94e8913c3", id);
    }

    [TestMethod]
    public void InstanceIdFor_SameBlobTwice_SameId()
    {
        Assert.AreEqual(
            BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-in", "a.txt", "\"1\"")),
            BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-in", "a.txt", "\"1\"")));
    }

    [TestMethod]
    public void InstanceIdFor_DifferentETagNameOrContainer_DifferentIds()
    {
        string[] ids =
        [
            BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-in", "a.txt", "\"1\"")),
            BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-in", "a.txt", "\"2\"")),
            BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-in", "b.txt", "\"1\"")),
            BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-xx", "a.txt", "\"1\"")),
            BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-in", "A.txt", "\"1\"")),
        ];

        Assert.HasCount(ids.Length, ids.Distinct().ToList());
    }

    [TestMethod]
    [DataRow("plain.txt")]
    [DataRow("with space and ünïcödé 日本.csv")]
    [DataRow("../../etc/passwd")]
    [DataRow("..")]
    [DataRow("a/b\\c#d?e%20f")]
    [DataRow("emoji 😀.bin")]
    public void InstanceIdFor_AnyName_FixedLengthLowerHexAfterPrefix(string name)
    {
        string id = BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-in", name, "\"0x1\""));

        Assert.MatchesRegex(DigestId(), id);
        Assert.AreEqual("blob-digest-".Length + 32, id.Length);
    }

    [TestMethod]
    public void InstanceIdFor_1024CharName_FixedLengthValidInstanceId()
    {
        string id = BlobTriggerStarter.InstanceIdFor("blob-digest", new BlobRef("samples-in", new string('x', 1024), "\"0x1\""));

        Assert.MatchesRegex(DigestId(), id);
        Assert.IsNull(WorkflowApi.ValidateInstanceId(id));
    }

    [TestMethod]
    public async Task StartAsync_NewBlob_SchedulesOnceWithDeterministicIdAndFullDedupe()
    {
        var client = new ClientFake();
        var blob = new BlobRef("samples-in", "new.csv", "\"0x7\"");
        string expectedId = BlobTriggerStarter.InstanceIdFor("blob-digest", blob);
        client.WithInstance(expectedId, null);

        string id = await Starter().StartAsync(client.Object, Trigger, blob, CancellationToken.None);

        Assert.AreEqual(expectedId, id);
        ScheduledStart start = client.Starts.Single();
        Assert.AreEqual("BlobDigestOrchestrator", start.Orchestrator);
        Assert.AreEqual(blob, start.Input);
        Assert.AreEqual(expectedId, start.Options?.InstanceId);
        CollectionAssert.AreEquivalent(
            Enum.GetValues<OrchestrationRuntimeStatus>().Select(s => s.ToString()).ToList(),
            start.Options?.DedupeStatuses?.ToList(),
            "an existing instance in any state must never be replaced by a re-delivery");
    }

    [TestMethod]
    [DataRow(OrchestrationRuntimeStatus.Running)]
    [DataRow(OrchestrationRuntimeStatus.Completed)]
    [DataRow(OrchestrationRuntimeStatus.Failed)]
    public async Task StartAsync_InstanceExists_ReturnsIdWithoutScheduling(OrchestrationRuntimeStatus status)
    {
        var client = new ClientFake();
        var blob = new BlobRef("samples-in", "seen.csv", "\"0x7\"");
        string expectedId = BlobTriggerStarter.InstanceIdFor("blob-digest", blob);
        client.WithInstance(expectedId, status, "BlobDigestOrchestrator");

        string id = await Starter().StartAsync(client.Object, Trigger, blob, CancellationToken.None);

        Assert.AreEqual(expectedId, id);
        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_ScheduleRacesAndAlreadyExists_ReturnsIdWithoutThrowing()
    {
        var client = new ClientFake();
        var blob = new BlobRef("samples-in", "race.csv", "\"0x7\"");
        client.Mock.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RpcException("Status(StatusCode=\"AlreadyExists\", Detail=\"An orchestration with this id already exists\")"));

        string id = await Starter().StartAsync(client.Object, Trigger, blob, CancellationToken.None);

        Assert.AreEqual(BlobTriggerStarter.InstanceIdFor("blob-digest", blob), id);
    }

    [TestMethod]
    public async Task StartAsync_ScheduleFailsOtherwise_Throws()
    {
        var client = new ClientFake();
        client.Mock.Setup(c => c.ScheduleNewOrchestrationInstanceAsync(It.IsAny<TaskName>(), It.IsAny<object?>(), It.IsAny<StartOrchestrationOptions?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RpcException("Status(StatusCode=\"Unavailable\", Detail=\"no backend\")"));

        await Assert.ThrowsExactlyAsync<RpcException>(
            () => Starter().StartAsync(client.Object, Trigger, new BlobRef("samples-in", "x", "\"1\""), CancellationToken.None));
    }

    [TestMethod]
    public async Task StartAsync_BlobWithoutETag_ThrowsArgumentAndSchedulesNothing()
    {
        var client = new ClientFake();

        await Assert.ThrowsExactlyAsync<ArgumentException>(
            () => Starter().StartAsync(client.Object, Trigger, new BlobRef("samples-in", "x"), CancellationToken.None));

        Assert.IsEmpty(client.Starts);
    }

    [TestMethod]
    public async Task StartAsync_TriggerNamesUnknownWorkflow_ThrowsInvalidOperation()
    {
        var client = new ClientFake();

        InvalidOperationException ex = await Assert.ThrowsExactlyAsync<InvalidOperationException>(
            () => Starter().StartAsync(client.Object, new BlobTriggerDefinition("F", "samples-in", "nope"), new BlobRef("samples-in", "x", "\"1\""), CancellationToken.None));

        Assert.Contains("'nope'", ex.Message);
    }
}
