namespace Orchestration.Workflows.Imaging;

/// <summary>
/// At most <see cref="ConcurrencyGate.Slots"/> renders and inspections at once in this process. Decoding is CPU-bound
/// (libvips already spreads one image over the cores), so more at once only adds memory: each holds its source bytes and
/// decode buffers. Renders and inspections queue here, before their download. Setting <c>ImagePipeline:MaxConcurrentRenders</c>;
/// default one per core.
/// </summary>
public sealed class RenderGate(int slots) : ConcurrencyGate(slots)
{
    public const string Setting = "ImagePipeline:MaxConcurrentRenders";
}
