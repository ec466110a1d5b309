using System.Buffers;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.Storage;

namespace Orchestration.LocalHost.Tests.Storage;

/// <summary>
/// <see cref="StagedBlockStream"/> against the tests' Azurite: exact content whatever the size, the shared limit on blocks
/// in flight (counted by a client that wraps the real one and can hold its uploads), failures thrown from the writer as
/// they were, nothing committed without a flush, and every pooled buffer given back.
/// </summary>
[TestClass]
public sealed class StagedBlockStreamTests
{
    /// <summary>Small blocks, so that a few kilobytes make many of them.</summary>
    const int BlockBytes = 4096;

    static readonly BlobServiceClient Blobs = new(Infrastructure.Azurite.ConnectionString);
    static readonly TimeSpan Patience = Deadlines.Short;

    BlobContainerClient container = null!;

    public TestContext TestContext { get; set; } = null!;

    CancellationToken Ct => TestContext.CancellationToken;

    [TestInitialize]
    public async Task CreateContainerAsync()
    {
        container = Blobs.GetBlobContainerClient($"staged-{Guid.NewGuid():N}");
        await container.CreateAsync(cancellationToken: Ct);
    }

    [TestCleanup]
    public async Task DeleteContainerAsync() => await container.DeleteIfExistsAsync(cancellationToken: CancellationToken.None);

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    [DataRow(BlockBytes)]
    [DataRow(BlockBytes + 1)]
    [DataRow((7 * BlockBytes) + 123)]
    public async Task WriteThenFlush_AnySize_BlobHoldsExactlyTheBytesInBlocksOfTheBlockSize(int size)
    {
        var pool = new CountingPool();
        var uploader = new BlockUploader(BlockBytes, maxBlocksInFlight: 3, pool);
        byte[] content = Bytes(size, seed: size);
        BlockBlobClient blob = container.GetBlockBlobClient("blob");

        using (StagedBlockStream stream = uploader.OpenWrite(blob))
        {
            WriteInRandomPieces(stream, content, seed: size);
            Assert.AreEqual(size, stream.Position);
            stream.Flush();
        }

        CollectionAssert.AreEqual(content, await DownloadAsync(blob));
        BlockList blocks = (await blob.GetBlockListAsync(BlockListTypes.All, cancellationToken: Ct)).Value;
        Assert.AreEqual((size + BlockBytes - 1) / BlockBytes, blocks.CommittedBlocks.Count());
        Assert.IsTrue(blocks.CommittedBlocks.SkipLast(1).All(b => b.SizeLong == BlockBytes), "every block but the last is full");
        Assert.IsTrue(blocks.CommittedBlocks.Select(b => b.Name.Length).Distinct().Count() <= 1, "block ids all of one length");
        Assert.AreEqual(0, pool.Outstanding, "every buffer back in the pool");
        Assert.AreEqual(0, uploader.BlocksInFlight);
    }

    [TestMethod]
    public async Task ManyBlocks_SeveralStreamsWrittenAtOnce_EachBlobExact_AndNeverMoreBlocksInFlightThanTheSharedLimit()
    {
        const int Limit = 3;
        var pool = new CountingPool();
        var uploader = new BlockUploader(BlockBytes, Limit, pool);
        var watch = new UploadWatch(held: true);
        byte[][] contents = [.. Enumerable.Range(0, 6).Select(i => Bytes((20 * BlockBytes) + (i * 321), seed: 100 + i))];
        BlockBlobClient[] blobs = [.. contents.Select((_, i) => container.GetBlockBlobClient($"part-{i}"))];

        // Synchronous writes, on their own threads, as the partition step writes: they block when the limit is reached.
        Task[] writers = [.. contents.Select((content, i) => Task.Factory.StartNew(
            () =>
            {
                using StagedBlockStream stream = uploader.OpenWrite(new WatchedBlob(blobs[i], watch));
                WriteInRandomPieces(stream, content, seed: i);
                stream.Flush();
            },
            Ct,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default))];
        // Uploads are held until the limit is reached, so that the count below proves it is reached and not passed.
        await Eventually.HoldsAsync(() => Task.FromResult(watch.Started >= Limit), Patience, "the first blocks to be staged");
        watch.Open();
        await Task.WhenAll(writers);

        for (int i = 0; i < contents.Length; i++)
        {
            CollectionAssert.AreEqual(contents[i], await DownloadAsync(blobs[i]), $"blob {i}");
        }

        Assert.AreEqual(Limit, watch.MaxInFlight, "the limit is over all the streams of the uploader");
        Assert.AreEqual(contents.Sum(c => (c.Length + BlockBytes - 1) / BlockBytes), watch.Started, "every block staged once");
        Assert.AreEqual(0, pool.Outstanding);
    }

    [TestMethod]
    public async Task InFlightLimit_Reached_TheNextFullBlockOfAnyStreamWaitsUntilOneIsStored()
    {
        var uploader = new BlockUploader(BlockBytes, maxBlocksInFlight: 2);
        var watch = new UploadWatch(held: true);
        byte[] first = Bytes(2 * BlockBytes, seed: 1);
        byte[] second = Bytes(BlockBytes + 5, seed: 2);
        BlockBlobClient firstBlob = container.GetBlockBlobClient("first");
        BlockBlobClient secondBlob = container.GetBlockBlobClient("second");
        await using StagedBlockStream a = uploader.OpenWrite(new WatchedBlob(firstBlob, watch));
        await using StagedBlockStream b = uploader.OpenWrite(new WatchedBlob(secondBlob, watch));

        await a.WriteAsync(first.AsMemory(0, BlockBytes), Ct);
        await b.WriteAsync(second.AsMemory(0, BlockBytes), Ct);
        Assert.AreEqual(2, watch.Started);
        Assert.AreEqual(2, uploader.BlocksInFlight);

        // Both slots are taken by uploads held at the gate: nothing can free one, so this write must be waiting.
        Task waiting = a.WriteAsync(first.AsMemory(BlockBytes), Ct).AsTask();
        Assert.IsFalse(waiting.IsCompleted, "a third block waits for a slot instead of being staged");
        Assert.AreEqual(2, watch.Started);

        watch.Open();
        await waiting;
        await b.WriteAsync(second.AsMemory(BlockBytes), Ct);
        await a.FlushAsync(Ct);
        await b.FlushAsync(Ct);

        CollectionAssert.AreEqual(first, await DownloadAsync(firstBlob));
        CollectionAssert.AreEqual(second, await DownloadAsync(secondBlob));
        Assert.AreEqual(2, watch.MaxInFlight);
    }

    [TestMethod]
    public async Task PartitionWriter_OverStagedStreams_EveryPartitionReadsBackTheSameEvents()
    {
        const int Partitions = 5;
        var pool = new CountingPool();
        var uploader = new BlockUploader(BlockBytes, maxBlocksInFlight: 4, pool);
        var random = new Random(5);
        var written = new EventCollector();
        for (int i = 0; i < 20_000; i++)
        {
            written.Events.Add(Event(random, $"S{random.Next(40)}"));
        }

        IReadOnlyList<PartitionSummary> summaries;
        using (var writer = new PartitionWriter(Partitions, p => uploader.OpenWrite(container.GetBlockBlobClient($"p{p}"))))
        {
            written.Events.ForEach(e => writer.OnEvent(e));
            summaries = writer.Complete();
        }

        Assert.HasCount(Partitions, summaries);
        foreach (PartitionSummary summary in summaries)
        {
            byte[] blob = await DownloadAsync(container.GetBlockBlobClient($"p{summary.Partition}"));
            Assert.AreEqual(summary.Bytes, blob.Length);
            Assert.IsGreaterThan(10, (int)(summary.Bytes / BlockBytes), "many blocks per partition");
            var read = new EventCollector();
            PartitionReader.Read(new MemoryStream(blob), read);
            CollectionAssert.AreEqual(written.Events.Where(e => Partitioning.Of(e.Symbol, Partitions) == summary.Partition).ToList(), read.Events);
        }

        Assert.AreEqual(0, pool.Outstanding);
    }

    [TestMethod]
    public async Task Flush_SecondWriteOfTheSameBlob_ReplacesItExactly()
    {
        var uploader = new BlockUploader(BlockBytes, maxBlocksInFlight: 2);
        BlockBlobClient blob = container.GetBlockBlobClient("again");
        byte[] longer = Bytes((5 * BlockBytes) + 9, seed: 1);
        byte[] shorter = Bytes(BlockBytes + 1, seed: 2);

        await using (StagedBlockStream stream = uploader.OpenWrite(blob))
        {
            await stream.WriteAsync(longer, Ct);
            await stream.FlushAsync(Ct);
        }

        await using (StagedBlockStream stream = uploader.OpenWrite(blob))
        {
            await stream.WriteAsync(shorter, Ct);
            await stream.FlushAsync(Ct);
        }

        CollectionAssert.AreEqual(shorter, await DownloadAsync(blob));
        Assert.AreEqual(2, (await blob.GetBlockListAsync(BlockListTypes.Committed, cancellationToken: Ct)).Value.CommittedBlocks.Count());
    }

    [TestMethod]
    public async Task Dispose_WithoutFlush_CommitsNothing_NewBlobAbsentAndExistingBlobUnchanged()
    {
        var pool = new CountingPool();
        var uploader = new BlockUploader(BlockBytes, maxBlocksInFlight: 2, pool);
        BlockBlobClient fresh = container.GetBlockBlobClient("fresh");
        BlockBlobClient existing = container.GetBlockBlobClient("existing");
        byte[] old = Bytes(100, seed: 3);
        await existing.UploadAsync(new MemoryStream(old), new BlobUploadOptions(), Ct);

        foreach (BlockBlobClient blob in new[] { fresh, existing })
        {
            using StagedBlockStream stream = uploader.OpenWrite(blob);
            stream.Write(Bytes((3 * BlockBytes) + 50, seed: 4));
        }

        Assert.IsFalse((await fresh.ExistsAsync(Ct)).Value, "a blob never flushed does not exist");
        CollectionAssert.AreEqual(old, await DownloadAsync(existing), "a blob never flushed keeps its content");
        Assert.AreEqual(0, pool.Outstanding);
        Assert.AreEqual(0, uploader.BlocksInFlight);
    }

    [TestMethod]
    public async Task Dispose_WithBlocksStillOnTheirWay_AbandonsThem_AndGivesBackTheirSlotsAndBuffers()
    {
        var pool = new CountingPool();
        var uploader = new BlockUploader(BlockBytes, maxBlocksInFlight: 2, pool);
        var watch = new UploadWatch(held: true);
        BlockBlobClient blob = container.GetBlockBlobClient("held");

        await using (StagedBlockStream stream = uploader.OpenWrite(new WatchedBlob(blob, watch)))
        {
            await stream.WriteAsync(Bytes((2 * BlockBytes) + 1, seed: 5), Ct);
            Assert.AreEqual(2, uploader.BlocksInFlight);
        }

        Assert.AreEqual(0, uploader.BlocksInFlight);
        Assert.AreEqual(0, pool.Outstanding);
        Assert.IsFalse((await blob.ExistsAsync(Ct)).Value);
    }

    [TestMethod]
    public void StageFails_TheNextWriteThrowsTheStorageException_AndTheFlushToo()
    {
        var pool = new CountingPool();
        var uploader = new BlockUploader(BlockBytes, maxBlocksInFlight: 1, pool);
        BlockBlobClient blob = Blobs.GetBlobContainerClient($"missing-{Guid.NewGuid():N}").GetBlockBlobClient("blob");
        byte[] block = Bytes(BlockBytes, seed: 6);

        using (StagedBlockStream stream = uploader.OpenWrite(blob))
        {
            stream.Write(block);

            // One slot: this block waits for the first to finish, which failed, so it is never staged.
            RequestFailedException failure = Assert.ThrowsExactly<RequestFailedException>(() => stream.Write(block));
            Assert.AreEqual(404, failure.Status);
            Assert.IsTrue(StorageErrors.IsPermanent(failure));
            Assert.AreSame(failure, Assert.ThrowsExactly<RequestFailedException>(stream.Flush), "the flush throws it too and commits nothing");
        }

        Assert.AreEqual(0, pool.Outstanding);
        Assert.AreEqual(0, uploader.BlocksInFlight);
    }

    [TestMethod]
    public async Task ContainerDeletedMidWrite_FlushThrowsTheStorageException_NotACommit()
    {
        var uploader = new BlockUploader(BlockBytes, maxBlocksInFlight: 4);
        BlockBlobClient blob = container.GetBlockBlobClient("doomed");
        byte[] head = Bytes((2 * BlockBytes) + 10, seed: 7);
        using StagedBlockStream stream = uploader.OpenWrite(blob);
        stream.Write(head);
        stream.Flush();
        CollectionAssert.AreEqual(head, await DownloadAsync(blob), "precondition: the first part is committed");

        await container.DeleteAsync(cancellationToken: Ct);

        RequestFailedException failure = Assert.ThrowsExactly<RequestFailedException>(() =>
        {
            stream.Write(Bytes(3 * BlockBytes, seed: 8));
            stream.Flush();
        });
        Assert.AreEqual(404, failure.Status);
    }

    static byte[] Bytes(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    /// <summary>Writes in pieces of 1 byte to 2.5 blocks, so that pieces end before, on and after block boundaries.</summary>
    static void WriteInRandomPieces(Stream stream, byte[] content, int seed)
    {
        var random = new Random(seed);
        for (int at = 0; at < content.Length;)
        {
            int length = Math.Min(content.Length - at, random.Next(3) == 0 ? 1 : random.Next(1, (5 * BlockBytes) / 2));
            stream.Write(content, at, length);
            at += length;
        }
    }

    static MarketEvent Event(Random random, string symbol) => new(
        random.NextInt64(), $"e{random.Next()}", (EventType)random.Next(4), $"o{random.Next(1000)}", $"a{random.Next(50)}", "owner", "firm",
        "trader", symbol, (Side)random.Next(2), random.Next(1, 100_000) / 100.0, random.Next(1, 10_000), "XLON", Capacity.Client, string.Empty);

    async Task<byte[]> DownloadAsync(BlockBlobClient blob) => (await blob.DownloadContentAsync(Ct)).Value.Content.ToArray();

    /// <summary>Counts block uploads over all the blobs of a test, and holds them at a gate until it is opened.</summary>
    sealed class UploadWatch
    {
        readonly TaskCompletionSource open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        int started;
        int inFlight;
        int maxInFlight;

        public UploadWatch(bool held)
        {
            if (!held)
            {
                Open();
            }
        }

        public int Started => Volatile.Read(ref started);

        public int MaxInFlight => Volatile.Read(ref maxInFlight);

        public void Open() => open.TrySetResult();

        public async Task<T> UploadAsync<T>(Func<Task<T>> upload, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref started);
            int now = Interlocked.Increment(ref inFlight);
            for (int max = MaxInFlight; now > max && Interlocked.CompareExchange(ref maxInFlight, now, max) != max; max = MaxInFlight)
            {
            }

            try
            {
                await open.Task.WaitAsync(cancellationToken);
                return await upload();
            }
            finally
            {
                Interlocked.Decrement(ref inFlight);
            }
        }
    }

    /// <summary>A real blob's client whose block uploads go through an <see cref="UploadWatch"/>.</summary>
    sealed class WatchedBlob(BlockBlobClient blob, UploadWatch watch) : BlockBlobClient
    {
        public override Task<Response<BlockInfo>> StageBlockAsync(string base64BlockId, Stream content, BlockBlobStageBlockOptions? options = null, CancellationToken cancellationToken = default) =>
            watch.UploadAsync(() => blob.StageBlockAsync(base64BlockId, content, options, cancellationToken), cancellationToken);

        public override Response<BlobContentInfo> CommitBlockList(IEnumerable<string> base64BlockIds, CommitBlockListOptions? options, CancellationToken cancellationToken = default) =>
            blob.CommitBlockList(base64BlockIds, options, cancellationToken);

        public override Task<Response<BlobContentInfo>> CommitBlockListAsync(IEnumerable<string> base64BlockIds, CommitBlockListOptions? options, CancellationToken cancellationToken = default) =>
            blob.CommitBlockListAsync(base64BlockIds, options, cancellationToken);
    }

    /// <summary>A buffer pool that knows which of its buffers are out, to prove each one comes back exactly once.</summary>
    sealed class CountingPool : ArrayPool<byte>
    {
        readonly HashSet<byte[]> rented = new(ReferenceEqualityComparer.Instance);

        public int Outstanding
        {
            get
            {
                lock (rented)
                {
                    return rented.Count;
                }
            }
        }

        public override byte[] Rent(int minimumLength)
        {
            var buffer = new byte[minimumLength];
            lock (rented)
            {
                rented.Add(buffer);
            }

            return buffer;
        }

        public override void Return(byte[] array, bool clearArray = false)
        {
            lock (rented)
            {
                if (!rented.Remove(array))
                {
                    throw new InvalidOperationException("A buffer came back that was not out (returned twice?).");
                }
            }
        }
    }
}
