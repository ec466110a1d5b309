using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Triggers;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Http;
using Orchestration.Workflows.Triggers;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.Triggers;

/// <summary>Failures are retried with back-off; after MaxDequeueCount attempts the blob is parked in the poison queue for good.</summary>
[TestClass]
public sealed class BlobTriggerPoisonTests : DedicatedStorageTest<BlobTriggerPoisonTests>
{
    const int MaxDequeueCount = 5;

    [TestMethod]
    public async Task FailingHandler_FailsEveryAttempt_ParksBlobAfterMaxDequeueCountAndStopsTrying()
    {
        string hostId = NewHostId();
        string name = UniqueName("poison");
        var handler = new ScriptedBlobTriggerHandler(int.MaxValue, n => n == name);
        await using (TestHost host = await StartHostAsync(hostId, handler))
        {
            string etag = await Storage.UploadAsync(name, [42], Ct);
            BlobReceipt receipt = await Eventually.ReturnsAsync(
                async () => await Storage.ReadReceiptAsync(hostId, name, etag, Ct) is { Status: BlobReceipts.Poisoned } r ? r : null,
                Patience,
                $"the receipt of {name} to say Poisoned");

            string reason = $"InvalidOperationException: boom {name}";
            Assert.AreEqual(MaxDequeueCount, handler.Calls.CallsFor(name), "attempts before parking");
            Assert.AreEqual(MaxDequeueCount, receipt.Failures);
            Assert.AreEqual(reason, receipt.Reason);

            IReadOnlyList<PoisonQueue.Message> messages = await Storage.PoisonMessagesForAsync(name, Ct);
            Assert.HasCount(1, messages);
            Assert.AreEqual("samples-in", messages[0].ContainerName);
            Assert.AreEqual(name, messages[0].BlobName);
            Assert.AreEqual(etag, messages[0].ETag);
            Assert.AreEqual(BlobTriggerFunctions.SamplesIn, messages[0].FunctionId);
            Assert.AreEqual(reason, messages[0].Reason);

            using HttpResponseMessage response = await host.Http.GetAsync(new Uri("api/blob-triggers/poison", UriKind.Relative), Ct);
            Assert.AreEqual(HttpStatusCode.OK, response.StatusCode);
            List<PoisonBlob> listed = (await response.Content.ReadFromJsonAsync<List<PoisonBlob>>(DurableJson.Options, Ct))!;
            PoisonBlob? parked = listed.SingleOrDefault(p => p.BlobName == name);
            Assert.IsNotNull(parked, $"GET /api/blob-triggers/poison lists {name}");
            Assert.AreEqual("samples-in", parked.ContainerName);
            Assert.AreEqual(reason, parked.Reason);

            // No bounded wait: two more rounds that listed the parked blob are proven by two markers being handed over.
            await AwaitPollsAsync(handler, polls: 2);
            Assert.AreEqual(MaxDequeueCount, handler.Calls.CallsFor(name), "a parked blob is never handed over again");
            Assert.HasCount(1, await Storage.PoisonMessagesForAsync(name, Ct), "parked once");
        }

        // And not after a restart either: the receipt, not the watcher's memory, says it is settled.
        await using (await StartHostAsync(hostId, handler))
        {
            await AwaitPollsAsync(handler, polls: 1);
            Assert.AreEqual(MaxDequeueCount, handler.Calls.CallsFor(name), "a parked blob is not retried after a restart");
            Assert.HasCount(1, await Storage.PoisonMessagesForAsync(name, Ct), "parked once, even after a restart");
        }
    }

    [TestMethod]
    public async Task FlakyHandler_FailsTwiceThenSucceeds_EndsStartedAfterThreeCalls()
    {
        string hostId = NewHostId();
        string name = UniqueName("flaky");
        var handler = new ScriptedBlobTriggerHandler(2, n => n == name);
        await using TestHost host = await StartHostAsync(hostId, handler);

        string etag = await Storage.UploadAsync(name, [7, 7, 7], Ct);
        BlobReceipt receipt = await Eventually.ReturnsAsync(
            async () => await Storage.ReadReceiptAsync(hostId, name, etag, Ct) is { IsSettled: true } r ? r : null,
            Patience,
            $"the receipt of {name} to settle");

        Assert.AreEqual(BlobReceipts.Started, receipt.Status);
        Assert.AreEqual(3, handler.Calls.CallsFor(name));
        Assert.AreEqual(2, receipt.Failures);
        Assert.AreEqual(ScriptedBlobTriggerHandler.InstanceIdFor(name), receipt.InstanceId);
        await AwaitPollsAsync(handler, polls: 1);
        Assert.AreEqual(3, handler.Calls.CallsFor(name), "a started blob is not handed over again");
        Assert.IsEmpty(await Storage.PoisonMessagesForAsync(name, Ct));
    }

    Task<TestHost> StartHostAsync(string hostId, ScriptedBlobTriggerHandler handler) =>
        TestHost.StartAsync(
            new TestHostOptions
            {
                BlobTriggers = true,
                Settings = Storage.HostSettings(hostId),
                Configure = b => b.Services.AddSingleton<IBlobTriggerHandler>(handler),
            },
            Ct);

    /// <summary>Waits for <paramref name="polls"/> more watcher rounds, each proven by a new marker being handed over.</summary>
    async Task AwaitPollsAsync(ScriptedBlobTriggerHandler handler, int polls)
    {
        for (int i = 0; i < polls; i++)
        {
            string marker = UniqueName("marker");
            await Storage.UploadAsync(marker, [1], Ct);
            await Eventually.HoldsAsync(() => Task.FromResult(handler.Calls.CallsFor(marker) > 0), Patience, $"the watcher to hand over marker {marker}");
        }
    }
}
