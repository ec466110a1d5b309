using System.Globalization;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>
/// The events that prove one case, as indices into the day's events, gathered while a rule scans and turned into an
/// <see cref="Alert"/> once the case is complete.
/// </summary>
sealed class AlertEvidence
{
    readonly List<int> _indices = [];

    public int Count => _indices.Count;

    public IReadOnlyList<int> Indices => _indices;

    public void Add(int index) => _indices.Add(index);

    public void AddRange(IEnumerable<int> indices) => _indices.AddRange(indices);

    public bool Contains(int index) => _indices.Contains(index);

    /// <summary>Whether the two spans of events (first to last evidence) overlap.</summary>
    public bool Overlaps(AlertEvidence other) =>
        _indices.Count > 0 && other._indices.Count > 0 && _indices.Min() <= other._indices.Max() && other._indices.Min() <= _indices.Max();

    /// <summary>The alert: evidence in time order without repeats, the accounts in it sorted, the score clamped to 0–100.</summary>
    public Alert ToAlert(string rule, SymbolDay day, ReadOnlySpan<DayEvent> events, double score, string summary)
    {
        _indices.Sort();
        var eventIds = new List<string>(_indices.Count);
        var accounts = new SortedSet<string>(StringComparer.Ordinal);
        int previous = -1;
        foreach (int index in _indices)
        {
            if (index != previous)
            {
                eventIds.Add(day.EventId(events[index]));
                accounts.Add(day.Name(events[index].Account));
                previous = index;
            }
        }

        return new Alert(
            rule,
            day.Symbol,
            [.. accounts],
            events[_indices[0]].Time,
            events[_indices[^1]].Time,
            Math.Round(Math.Clamp(score, 0, 100), 1),
            eventIds,
            summary);
    }

    /// <summary>Formats a summary with the invariant culture.</summary>
    public static string Say(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
