using System.Buffers;
using Azure.Storage.Blobs.Specialized;

namespace Orchestration.Workflows.Storage;

/// <summary>
/// Opens <see cref="StagedBlockStream"/>s that share one limit on the blocks being uploaded at once, so that writers
/// go on filling their next block while storage takes the previous ones, in bounded memory: at most
/// <see cref="MaxBlocksInFlight"/> blocks on the way, plus the one block each open stream is filling. A writer that
/// finds every slot taken waits for one (back-pressure) instead of buffering more. One per activity run: the limit is
/// over all its blobs, and blocks come from (and go back to) a buffer pool.
/// </summary>
public sealed class BlockUploader
{
    private readonly SemaphoreSlim _slots;
    private readonly ArrayPool<byte> _pool;

    /// <param name="blockBytes">Size of every block but a blob's last (≥ 1); a blob holds at most <see cref="StagedBlockStream.MaxBlocks"/> blocks.</param>
    /// <param name="maxBlocksInFlight">Blocks staged at once over all the streams (≥ 1).</param>
    /// <param name="pool">Where block buffers come from; <see cref="ArrayPool{T}.Shared"/> unless given.</param>
    public BlockUploader(int blockBytes, int maxBlocksInFlight, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBlocksInFlight, 1);
        BlockBytes = blockBytes;
        MaxBlocksInFlight = maxBlocksInFlight;
        _slots = new SemaphoreSlim(maxBlocksInFlight, maxBlocksInFlight);
        _pool = pool ?? ArrayPool<byte>.Shared;
    }

    /// <summary>Size of every block but a blob's last.</summary>
    public int BlockBytes { get; }

    /// <summary>Blocks staged at once, at most, over all the streams opened here.</summary>
    public int MaxBlocksInFlight { get; }

    /// <summary>Blocks being staged right now (what the limit counts).</summary>
    public int BlocksInFlight => MaxBlocksInFlight - _slots.CurrentCount;

    /// <summary>
    /// A write stream that replaces <paramref name="blob"/> with what is written once it is flushed; disposed without a
    /// flush, it commits nothing and the blob stays as it was (absent or its previous content).
    /// </summary>
    public StagedBlockStream OpenWrite(BlockBlobClient blob)
    {
        ArgumentNullException.ThrowIfNull(blob);
        return new StagedBlockStream(blob, this);
    }

    internal byte[] Rent() => _pool.Rent(BlockBytes);

    /// <summary>Returns a buffer that never went on its way (a stream's partial block when it is disposed).</summary>
    internal void Return(byte[] buffer) => _pool.Return(buffer);

    internal void WaitForSlot() => _slots.Wait();

    internal Task WaitForSlotAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Gives back a slot taken but not used (the stream failed before staging).</summary>
    internal void ReleaseSlot() => _slots.Release();

    /// <summary>A staged block is done with (stored or failed): its buffer goes back to the pool and its slot to the next writer.</summary>
    internal void Staged(byte[] buffer)
    {
        _pool.Return(buffer);
        _slots.Release();
    }
}
