namespace Orchestration.MarketGen;

/// <summary>What to generate: about <see cref="Events"/> events over <see cref="Symbols"/> instruments on <see cref="Date"/>.</summary>
public sealed record MarketGenOptions
{
    public int Events { get; init; } = 1_000_000;

    public ulong Seed { get; init; } = 42;

    public int Symbols { get; init; } = 200;

    public DateOnly Date { get; init; } = new(2026, 11, 24);

    /// <summary>
    /// Planted cases per rule: 20 per million events, at least 10 so a small day still measures something, at most 100
    /// because some cases and decoys need one of a few busiest instruments, which have room for only so many (a
    /// 10-million-event day asking for 200 found none).
    /// </summary>
    public int CasesPerRule => Math.Clamp((int)(Events * 20L / 1_000_000), 10, 100);
}
