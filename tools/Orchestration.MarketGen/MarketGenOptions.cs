namespace Orchestration.MarketGen;

/// <summary>What to generate: about <see cref="Events"/> events over <see cref="Symbols"/> instruments on <see cref="Date"/>.</summary>
public sealed record MarketGenOptions
{
    public int Events { get; init; } = 1_000_000;

    public ulong Seed { get; init; } = 42;

    public int Symbols { get; init; } = 200;

    public DateOnly Date { get; init; } = new(2026, 11, 24);

    /// <summary>Planted cases per rule: 20 per million events, at least 10 so a small day still measures something.</summary>
    public int CasesPerRule => Math.Max(10, (int)(Events * 20L / 1_000_000));

    /// <summary>Decoys per rule: half as many as cases.</summary>
    public int DecoysPerRule => (CasesPerRule + 1) / 2;
}
