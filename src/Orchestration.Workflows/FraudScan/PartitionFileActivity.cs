using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.DurableTask;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Streams one input file (exactly the resolved version) through <see cref="EventFileReader"/> into symbol partitions
/// in the work container (<see cref="ScanWork.PartitionBlob"/>): memory stays at the reader's buffers plus one block
/// being filled per partition, a few on their way to storage and the partitions' string tables (bounded, see
/// <see cref="PartitionWriter"/>), whatever the file's size. Bad lines are counted and the first ones kept; a file
/// rejected as a whole (empty, not events, corrupt gzip) is reported as such and its partitions are never scanned. A
/// re-run overwrites the same blobs with the same bytes.
/// </summary>
public sealed class PartitionFileActivity(BlobServiceClient blobs, FraudScanDefinition definition) : TaskActivity<PartitionRequest, PartitionedFile>
{
    /// <summary>Block size of the partition blobs: memory holds one being filled per partition written to.</summary>
    const int UploadBlockBytes = 1024 * 1024;

    /// <summary>
    /// Blocks on their way to storage at once over all the partitions: enough to keep storage busy while the parser fills
    /// the next ones, few enough to bound memory (this × <see cref="UploadBlockBytes"/>); beyond it the parser waits.
    /// </summary>
    const int UploadBlocksInFlight = 8;

    public override async Task<PartitionedFile> RunAsync(TaskActivityContext context, PartitionRequest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        BlobRef source = input.File.Blob;
        BlobContainerClient work = blobs.GetBlobContainerClient(definition.Containers.Work);
        await work.CreateIfNotExistsAsync();
        try
        {
            // One streaming GET rather than a read stream's ranged GETs: storage sends while the file is parsed (the
            // socket's buffers are the read-ahead), instead of the parser waiting for each range in turn. A dropped
            // connection resumes from where it was; If-Match keeps it to the resolved version.
            BlobDownloadStreamingResult download = (await blobs.GetBlobContainerClient(source.Container).Open(source.Name)
                .DownloadStreamingAsync(new BlobDownloadOptions { Conditions = source.VersionConditions() })).Value;
            await using Stream content = download.Content;
            return await Task.Run(() => Partition(content, input, work));
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, source.Container, source.Name);
        }
    }

    /// <summary>
    /// The synchronous read-and-write loop (the reader is synchronous). Full blocks of the partitions go to storage in the
    /// background (<see cref="StagedBlockStream"/>), so the parser waits only when the uploads fall behind; completing the
    /// writer commits the partitions, disposing it without completing leaves them uncommitted.
    /// </summary>
    static PartitionedFile Partition(Stream content, PartitionRequest input, BlobContainerClient work)
    {
        var uploader = new BlockUploader(UploadBlockBytes, UploadBlocksInFlight);
        using var writer = new PartitionWriter(input.Partitions, p => uploader.OpenWrite(work.GetBlockBlobClient(ScanWork.PartitionBlob(input.Work, input.FileIndex, p))));
        EventFileVerdict verdict = EventFileReader.Read(content, writer, input.File.Blob.Name);
        string blob = input.File.Blob.ToString();
        if (verdict is EventFileVerdict.Accepted accepted)
        {
            IReadOnlyList<PartitionSummary> written = writer.Complete();
            return new PartitionedFile(
                input.FileIndex, blob, true, null, accepted.Kind == EventFileKind.News, accepted.Lines, accepted.Events + accepted.News,
                accepted.BadLineCount, accepted.BadLines, [.. written.Select(w => w.Partition)]);
        }

        // Rejected, possibly half-way (a gzip that breaks): what was written is never committed (disposing the writer
        // abandons it), so no partition of this file exists to be scanned.
        var rejected = (EventFileVerdict.Rejected)verdict;
        return new PartitionedFile(input.FileIndex, blob, false, rejected.Reason, false, rejected.Lines, 0, rejected.BadLineCount, rejected.BadLines, [], rejected.Code);
    }
}
