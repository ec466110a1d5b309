using System.Globalization;

namespace Orchestration.Bench;

/// <summary>The local host's resident memory: started and idle, after the warm-up, and at its peak (kernel high-water mark and highest sample).</summary>
internal sealed record HostMemory(long IdleBytes, long WarmBytes, long PeakBytes, long MaxSampledBytes);

/// <summary>
/// A process's resident memory (its working set) as Linux accounts it in <c>/proc/{pid}/status</c>: <c>VmHWM</c>, the
/// kernel's own high-water mark, is the peak however briefly it lasted; sampling <c>VmRSS</c> while the process runs shows
/// whether that peak was a spike or a plateau. Zero where there is no <c>/proc</c> (not Linux).
/// </summary>
internal sealed class MemoryMeter : IAsyncDisposable
{
    static readonly TimeSpan SampleInterval = TimeSpan.FromMilliseconds(100);

    readonly int processId;
    readonly CancellationTokenSource stop = new();
    readonly Task sampling;

    MemoryMeter(int processId)
    {
        this.processId = processId;
        sampling = SampleAsync(stop.Token);
    }

    /// <summary>The largest resident size sampled so far, in bytes.</summary>
    public long MaxSampledBytes { get; private set; }

    /// <summary>The kernel's high-water mark of the process's resident size, in bytes.</summary>
    public long PeakBytes => PeakOf(processId);

    /// <summary>The process's resident size now, in bytes.</summary>
    public long CurrentBytes => Read(processId, "VmRSS:");

    /// <summary>Starts sampling <paramref name="processId"/>'s resident size every 100 ms until disposed.</summary>
    public static MemoryMeter Watch(int processId) => new(processId);

    /// <summary>The kernel's high-water mark of <paramref name="processId"/>'s resident size, in bytes.</summary>
    public static long PeakOf(int processId) => Read(processId, "VmHWM:");

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await sampling;
        stop.Dispose();
    }

    async Task SampleAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(SampleInterval);
        try
        {
            do
            {
                MaxSampledBytes = Math.Max(MaxSampledBytes, CurrentBytes);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>A <c>kB</c> field of <c>/proc/{pid}/status</c>, in bytes; 0 when the process or the field is gone.</summary>
    static long Read(int processId, string field)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{processId}/status").FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
