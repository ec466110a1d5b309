namespace Orchestration.MarketGen;

/// <summary>
/// One labelled case in a generated day: a planted abuse the rule must find, or a decoy (a near miss just outside one of
/// its thresholds) it must not. An alert matches a case when rule and symbol agree and their event ids overlap.
/// </summary>
/// <param name="Rule">The rule's name, e.g. <c>spoofing</c>.</param>
/// <param name="Decoy">True for a near miss that must raise no alert.</param>
/// <param name="Note">What was planted and, for a decoy, which threshold it misses.</param>
public sealed record PlantedCase(string Rule, string Symbol, IReadOnlyList<string> Accounts, IReadOnlyList<string> EventIds, bool Decoy, string Note);
