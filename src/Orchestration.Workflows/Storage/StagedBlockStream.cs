using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using Azure.Storage.Blobs.Specialized;

namespace Orchestration.Workflows.Storage;

/// <summary>
/// Writes a block blob without waiting for storage on every block: each full block (<see cref="BlockUploader.BlockBytes"/>)
/// is handed to <c>StageBlockAsync</c> and the writer carries on with a fresh buffer, up to the
/// <see cref="BlockUploader"/>'s limit of blocks in flight (shared with its other streams), where it waits for one to
/// finish. <see cref="Flush"/> stages the rest, waits for every block and commits the block list in order, replacing
/// the blob (a re-run writes the same blob); <see cref="Stream.Dispose()"/> without a flush commits nothing, so a write
/// abandoned on an error leaves the blob absent or as it was. Open it with <see cref="BlockUploader.OpenWrite"/>.
/// </summary>
/// <remarks>
/// Unlike <c>BlockBlobClient.OpenWrite</c>, whose synchronous writes wait for each block's upload, so that a parser
/// writing partitions and storage take turns instead of working at the same time. A failed upload is not swallowed:
/// the next write, or the flush, throws it as it was (a <c>RequestFailedException</c> stays one, for
/// <see cref="StorageErrors.IsPermanent"/>). Block ids are the block's number, zero-padded and base64-encoded: the same
/// for the same block of every run, and all of one length as storage requires. One writer at a time, like any stream.
/// </remarks>
public sealed class StagedBlockStream : Stream
{
    /// <summary>Most blocks a block blob can have (storage refuses more).</summary>
    public const int MaxBlocks = 50_000;

    private readonly BlockBlobClient _blob;
    private readonly BlockUploader _uploader;
    private readonly List<string> _blockIds = [];
    private readonly List<Task> _staging = [];
    private readonly CancellationTokenSource _abandon = new();
    private ExceptionDispatchInfo? _failure;
    private byte[]? _buffer;
    private int _used;
    private long _written;
    private int _committedBlocks = -1;
    private bool _disposed;

    internal StagedBlockStream(BlockBlobClient blob, BlockUploader uploader)
    {
        _blob = blob;
        _uploader = uploader;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    /// <summary>Bytes written so far; it cannot be set.</summary>
    public override long Position
    {
        get => _written;
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        ValidateBufferArguments(buffer, offset, count);
        Write(buffer.AsSpan(offset, count));
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfUnusable();
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Append(buffer)..];
            if (_used == _uploader.BlockBytes)
            {
                _uploader.WaitForSlot();
                StageBuffer();
            }
        }
    }

    public override void WriteByte(byte value) => Write(new ReadOnlySpan<byte>(in value));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        ValidateBufferArguments(buffer, offset, count);
        return WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable();
        while (!buffer.IsEmpty)
        {
            buffer = buffer[Append(buffer.Span)..];
            if (_used == _uploader.BlockBytes)
            {
                await _uploader.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
                StageBuffer();
            }
        }
    }

    /// <summary>Stages what is buffered, waits for every block and commits the blob: what was written so far is stored.</summary>
    public override void Flush()
    {
        ThrowIfUnusable();
        if (_used > 0)
        {
            _uploader.WaitForSlot();
            StageBuffer();
        }

        if (_committedBlocks == _blockIds.Count)
        {
            return;
        }

        Task.WhenAll(_staging).GetAwaiter().GetResult();
        _staging.Clear();
        ThrowIfFailed();
        _blob.CommitBlockList(_blockIds, options: null, CancellationToken.None);
        _committedBlocks = _blockIds.Count;
    }

    /// <inheritdoc cref="Flush"/>
    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfUnusable();
        if (_used > 0)
        {
            await _uploader.WaitForSlotAsync(cancellationToken).ConfigureAwait(false);
            StageBuffer();
        }

        if (_committedBlocks == _blockIds.Count)
        {
            return;
        }

        await Task.WhenAll(_staging).ConfigureAwait(false);
        _staging.Clear();
        ThrowIfFailed();
        await _blob.CommitBlockListAsync(_blockIds, options: null, cancellationToken).ConfigureAwait(false);
        _committedBlocks = _blockIds.Count;
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await _abandon.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(_staging).ConfigureAwait(false);
            Release();
        }

        await base.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Abandons what is not committed: cancels the blocks on their way, waits for them (their buffers go back) and commits nothing.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            _abandon.Cancel();
            Task.WhenAll(_staging).GetAwaiter().GetResult();
            Release();
        }

        base.Dispose(disposing);
    }

    private static string BlockId(int number) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes(number.ToString("D6", CultureInfo.InvariantCulture)));

    /// <summary>Copies as much of <paramref name="data"/> as fits into the block being filled; returns how much.</summary>
    private int Append(ReadOnlySpan<byte> data)
    {
        _buffer ??= _uploader.Rent();
        var take = Math.Min(data.Length, _uploader.BlockBytes - _used);
        data[..take].CopyTo(_buffer.AsSpan(_used));
        _used += take;
        _written += take;
        return take;
    }

    /// <summary>Sends the buffered block on its way (the caller holds a slot for it) and leaves the stream without a buffer.</summary>
    private void StageBuffer()
    {
        if (Volatile.Read(ref _failure) is not null || _blockIds.Count == MaxBlocks)
        {
            _uploader.ReleaseSlot();
            ThrowIfFailed();
            throw new IOException($"A block blob holds at most {MaxBlocks} blocks of {_uploader.BlockBytes} bytes: this one would be larger.");
        }

        var id = BlockId(_blockIds.Count);
        _blockIds.Add(id);
        var block = _buffer!;
        var length = _used;
        _buffer = null;
        _used = 0;
        _staging.RemoveAll(task => task.IsCompleted);
        _staging.Add(StageAsync(id, block, length));
    }

    /// <summary>Stages one block; never faults: a failure is kept for the writer to throw, and the slot and buffer are always given back.</summary>
    private async Task StageAsync(string id, byte[] block, int length)
    {
        try
        {
            using var content = new MemoryStream(block, 0, length, writable: false);
            await _blob.StageBlockAsync(id, content, options: null, _abandon.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The writer's to throw, as it was, from its next write or its flush.
            Interlocked.CompareExchange(ref _failure, ExceptionDispatchInfo.Capture(ex), null);
        }
        finally
        {
            _uploader.Staged(block);
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ThrowIfFailed();
    }

    private void ThrowIfFailed() => Volatile.Read(ref _failure)?.Throw();

    private void Release()
    {
        if (_buffer is not null)
        {
            _uploader.Return(_buffer);
            _buffer = null;
        }

        _abandon.Dispose();
    }
}
