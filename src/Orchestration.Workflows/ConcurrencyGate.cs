namespace Orchestration.Workflows;

/// <summary>
/// At most <see cref="Slots"/> holders at once in this process, for activities whose work is CPU-bound and holds a lot of
/// memory while it runs: the engine hands out many more activities at a time (it also runs the cheap storage steps), and
/// beyond one per core more at once only adds memory. Each kind of work has its own gate, registered as a singleton.
/// </summary>
public abstract class ConcurrencyGate
{
    readonly SemaphoreSlim gate;

    protected ConcurrencyGate(int slots)
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
