namespace Orchestration.MarketGen;

/// <summary>
/// One labelled case in a generated day: a planted abuse the rule must find, or a decoy (a hard negative: a legitimate
/// look-alike of the abuse) it must not flag. An alert matches a case when rule and symbol agree and their event ids overlap.
/// </summary>
/// <param name="Rule">The rule's name, e.g. <c>spoofing</c>.</param>
/// <param name="Decoy">True for a hard negative, which must raise no alert.</param>
/// <param name="Note">What was planted; a hard negative's starts with "Hard negative:".</param>
public sealed record PlantedCase(string Rule, string Symbol, IReadOnlyList<string> Accounts, IReadOnlyList<string> EventIds, bool Decoy, string Note);
