namespace Orchestration.Workflows.Imaging;

/// <summary>
/// At most <see cref="Slots"/> renders and inspections at once in this process. Decoding is CPU-bound (libvips already
/// spreads one image over the cores), so more at once only adds memory: each holds its source bytes and decode buffers.
/// The engine may hand out many more activities at a time (it also runs the cheap storage steps); renders and
/// inspections queue here, before their download. Setting <c>ImagePipeline:MaxConcurrentRenders</c>; default one per core.
/// </summary>
public sealed class RenderGate
{
    public const string Setting = "ImagePipeline:MaxConcurrentRenders";

    readonly SemaphoreSlim gate;

    public RenderGate(int slots)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1);
        Slots = slots;
        gate = new SemaphoreSlim(slots, slots);
    }

    public int Slots { get; }

    /// <summary>Waits for a slot; dispose the lease to give it back.</summary>
    public async Task<Lease> EnterAsync(CancellationToken cancellationToken = default)
    {
        await gate.WaitAsync(cancellationToken);
        return new Lease(gate);
    }

    public sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
