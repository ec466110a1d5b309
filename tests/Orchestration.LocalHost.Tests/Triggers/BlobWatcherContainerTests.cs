using Microsoft.Extensions.DependencyInjection;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.LocalHost.Triggers;
using static Orchestration.LocalHost.Tests.Triggers.TriggerTestData;

namespace Orchestration.LocalHost.Tests.Triggers;

/// <summary>The watcher on an account where nothing exists yet (its own Azurite, so no other test created the containers).</summary>
[TestClass]
public sealed class BlobWatcherContainerTests : DedicatedStorageTest<BlobWatcherContainerTests>
{
    [TestMethod]
    public async Task Start_WatchedContainerMissing_WatcherCreatesItAndHandlesUploads()
    {
        Assert.IsFalse((await Storage.SamplesIn.ExistsAsync(Ct)).Value, "precondition: a fresh account has no samples-in");
        string hostId = NewHostId();
        var handler = new ScriptedBlobTriggerHandler(0, _ => false);
        await using TestHost host = await TestHost.StartAsync(
            new TestHostOptions
            {
                BlobTriggers = true,
                Settings = Storage.HostSettings(hostId),
                Configure = b => b.Services.AddSingleton<IBlobTriggerHandler>(handler),
            },
            Ct);

        await Eventually.HoldsAsync(async () => (await Storage.SamplesIn.ExistsAsync(Ct)).Value, Patience, "the watcher to create samples-in");
        await Eventually.HoldsAsync(
            async () => (await Storage.Blobs.GetBlobContainerClient(BlobReceipts.ContainerName).ExistsAsync(Ct)).Value,
            Patience,
            $"the watcher to create {BlobReceipts.ContainerName}");

        string name = UniqueName("first");
        string etag = await Storage.UploadAsync(name, [1, 2], Ct);
        await Eventually.HoldsAsync(
            async () => (await Storage.ReadReceiptAsync(hostId, name, etag, Ct))?.Status == BlobReceipts.Started,
            Patience,
            "the first upload into the container the watcher created to be handled");
        Assert.AreEqual(1, handler.Calls.CallsFor(name));
    }
}
