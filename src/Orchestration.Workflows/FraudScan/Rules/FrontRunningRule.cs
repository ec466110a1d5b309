using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="FrontRunningRule"/> (<c>rules.front-running</c>).</summary>
public sealed record FrontRunningSettings : SurveillanceRuleSettings
{
    /// <summary>How long before the client order the firm's own trades count as "ahead" of it.</summary>
    public double AheadWithinSeconds { get; init; } = 60;

    /// <summary>A client order is large at this many medians of the symbol's order size (or see <see cref="MinClientQuantity"/>).</summary>
    public double LargeOrderMultiple { get; init; } = 20;

    /// <summary>A client order is large at this quantity, whatever the median.</summary>
    public long MinClientQuantity { get; init; } = 50_000;
}

/// <summary>
/// <c>front-running</c>: a firm trades for its own account just before a large client order it knows about, in the same
/// direction, to profit from the client's price impact. Flagged: a new <c>CLIENT</c> order of at least
/// min(<see cref="FrontRunningSettings.LargeOrderMultiple"/> × the symbol's median order size, <see cref="FrontRunningSettings.MinClientQuantity"/>)
/// preceded within <see cref="FrontRunningSettings.AheadWithinSeconds"/> by <c>PRINCIPAL</c> trades of the same firm on the
/// same side. Large client orders that share principal trades are one case. Evidence: the principal trades and the client order(s).
/// Score: 50 + 25 × min(1, client quantity ÷ (2 × the size threshold)) + 25 × (1 − lead of the latest principal trade ÷ the window).
/// One pass: per firm, a queue of the principal trades of the last window.
/// </summary>
public sealed class FrontRunningRule(FrontRunningSettings settings) : ISurveillanceRule
{
    public const string RuleName = "front-running";

    public string Name => RuleName;

    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);

        ReadOnlySpan<DayEvent> events = day.Events;
        long ahead = DayMath.Ticks(settings.AheadWithinSeconds);
        double large = Math.Min(settings.LargeOrderMultiple * DayMath.MedianOrderSize(events), settings.MinClientQuantity);
        var firms = new Dictionary<int, FirmCase>();
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly DayEvent e = ref events[i];
            if (e.Type == EventType.Trade && e.Capacity == Capacity.Principal)
            {
                ref FirmCase? firm = ref CollectionsMarshal.GetValueRefOrAddDefault(firms, e.Firm, out _);
                firm ??= new FirmCase(e.Firm);
                firm.PrincipalTrades.Enqueue(i);
            }
            else if (e.Type == EventType.New && e.Capacity == Capacity.Client && e.Quantity >= large && firms.TryGetValue(e.Firm, out FirmCase? firm))
            {
                firm.ClientOrder(events, i, ahead, large, day, alerts);
            }
        }

        foreach (FirmCase firm in firms.Values)
        {
            firm.Close(day, events, alerts);
        }
    }

    /// <summary>One firm's principal trades of the last window and the case being built from them.</summary>
    sealed class FirmCase(int firm)
    {
        public Queue<int> PrincipalTrades { get; } = new();

        AlertEvidence? _evidence;
        int _lastPrincipal = -1;
        long _largest;
        double _score;
        Side _side;

        public void ClientOrder(ReadOnlySpan<DayEvent> events, int order, long ahead, double large, SymbolDay day, ICollection<Alert> alerts)
        {
            ref readonly DayEvent client = ref events[order];
            while (PrincipalTrades.Count > 0 && client.Timestamp - events[PrincipalTrades.Peek()].Timestamp > ahead)
            {
                PrincipalTrades.Dequeue();
            }

            int first = -1;
            int latest = -1;
            foreach (int trade in PrincipalTrades)
            {
                if (events[trade].Side == client.Side)
                {
                    first = first < 0 ? trade : first;
                    latest = trade;
                }
            }

            if (latest < 0)
            {
                return;
            }

            bool sameCase = _evidence is not null && _side == client.Side && first <= _lastPrincipal;
            if (!sameCase)
            {
                Close(day, events, alerts);
                _evidence = new AlertEvidence();
                _side = client.Side;
            }

            foreach (int trade in PrincipalTrades)
            {
                if (events[trade].Side == client.Side && trade > _lastPrincipal)
                {
                    _evidence!.Add(trade);
                }
            }

            _evidence!.Add(order);
            _lastPrincipal = latest;
            _largest = Math.Max(_largest, client.Quantity);
            double lead = client.Timestamp - events[latest].Timestamp;
            _score = Math.Max(_score, 50 + (25 * Math.Min(1, client.Quantity / (2 * large))) + (25 * (1 - Math.Min(1, lead / ahead))));
        }

        public void Close(SymbolDay day, ReadOnlySpan<DayEvent> events, ICollection<Alert> alerts)
        {
            if (_evidence is null)
            {
                return;
            }

            alerts.Add(_evidence.ToAlert(
                RuleName,
                day,
                events,
                _score,
                AlertEvidence.Say($"Firm {day.Name(firm)} traded {_side} for its own account shortly before a client {_side} order of {_largest:N0}.")));
            _evidence = null;
            _largest = 0;
            _score = 0;
        }
    }
}
