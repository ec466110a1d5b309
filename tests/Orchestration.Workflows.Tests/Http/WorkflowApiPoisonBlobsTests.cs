using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Moq;
using Orchestration.Workflows.Triggers;
using Orchestration.Workflows.Tests.Infrastructure;

namespace Orchestration.Workflows.Tests.Http;

[TestClass]
public sealed class WorkflowApiPoisonBlobsTests
{
    sealed class Queues
    {
        public Queues()
        {
            Service.Setup(s => s.GetQueueClient(It.IsAny<string>())).Returns((string name) =>
            {
                QueueName = name;
                return Queue.Object;
            });
        }

        public Mock<QueueServiceClient> Service { get; } = new();

        public Mock<QueueClient> Queue { get; } = new();

        public string? QueueName { get; private set; }
    }

    [TestMethod]
    public async Task ListPoisonBlobsAsync_Messages_ListsEachParsedFromThePoisonQueue()
    {
        var queues = new Queues();
        PeekedMessage[] messages =
        [
            QueuesModelFactory.PeekedMessage("m1", PoisonQueue.Create("F", "samples-in", "a.csv", "\"1\"", "r1"), 1, DateTimeOffset.UnixEpoch, null),
            QueuesModelFactory.PeekedMessage("m2", PoisonQueue.Create("F", "samples-in", "b.csv", "\"2\"", "r2"), 1, null, null),
        ];
        queues.Queue.Setup(q => q.PeekMessagesAsync(It.IsAny<int?>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(Response.FromValue(messages, Mock.Of<Response>()));
        var request = HttpFake.Request("GET", "/api/blob-triggers/poison");

        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, await HttpFake.Api().ListPoisonBlobsAsync(queues.Service.Object, CancellationToken.None));

        Assert.AreEqual("webjobs-blobtrigger-poison", queues.QueueName);
        Assert.AreEqual(200, outcome.Status);
        CollectionAssert.AreEqual(
            new[] { "a.csv", "b.csv" },
            outcome.Json.EnumerateArray().Select(b => b.GetProperty("blobName").GetString()).ToArray());
        Assert.AreEqual("r2", outcome.Json[1].GetProperty("reason").GetString());
    }

    [TestMethod]
    public async Task ListPoisonBlobsAsync_QueueMissing_EmptyList()
    {
        var queues = new Queues();
        queues.Queue.Setup(q => q.PeekMessagesAsync(It.IsAny<int?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(404, "QueueNotFound"));
        var request = HttpFake.Request("GET", "/api/blob-triggers/poison");

        HttpOutcome outcome = await HttpFake.ExecuteAsync(request, await HttpFake.Api().ListPoisonBlobsAsync(queues.Service.Object, CancellationToken.None));

        Assert.AreEqual(200, outcome.Status);
        Assert.AreEqual(0, outcome.Json.GetArrayLength());
    }

    [TestMethod]
    public async Task ListPoisonBlobsAsync_StorageDown_Throws()
    {
        var queues = new Queues();
        queues.Queue.Setup(q => q.PeekMessagesAsync(It.IsAny<int?>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new RequestFailedException(503, "busy"));

        await Assert.ThrowsExactlyAsync<RequestFailedException>(() => HttpFake.Api().ListPoisonBlobsAsync(queues.Service.Object, CancellationToken.None));
    }
}
