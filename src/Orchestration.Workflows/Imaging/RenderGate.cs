namespace Orchestration.Workflows.Imaging;

/// <summary>
/// At most <see cref="Slots"/> renders at once in this process. Rendering is CPU-bound (libvips already spreads one image
/// over the cores), so more at once only adds memory: each holds its source bytes and a decoded intermediate. The
/// engine may hand out many more activities at a time (it also runs the cheap storage steps); renders queue here,
/// before their download. Setting <c>ImagePipeline:MaxConcurrentRenders</c>; default one per core.
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
