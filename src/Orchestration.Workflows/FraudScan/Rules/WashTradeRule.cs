using System.Runtime.InteropServices;

namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="WashTradeRule"/> (<c>rules.wash-trade</c>).</summary>
public sealed record WashTradeSettings : SurveillanceRuleSettings
{
    /// <summary>How close in time a buy and a sell of the same owner must be to offset each other; also how long a case stays open.</summary>
    public double WindowSeconds { get; init; } = 60;

    /// <summary>Largest relative price difference between the offsetting buy and sell.</summary>
    public double PriceTolerance { get; init; } = 0.001;

    /// <summary>Largest relative quantity difference (to the larger of the two) between the offsetting buy and sell.</summary>
    public double QuantityTolerance { get; init; } = 0.05;
}

/// <summary>
/// <c>wash-trade</c>: trading that changes no beneficial ownership, to paint volume or a price. Two shapes:
/// <list type="bullet">
/// <item><b>Cross</b>: both sides of one execution (same <c>execId</c>, opposite sides) belong to accounts of the same owner.</item>
/// <item><b>Offset</b>: the same owner buys and sells (other executions) within <see cref="WashTradeSettings.WindowSeconds"/>,
/// at prices within <see cref="WashTradeSettings.PriceTolerance"/> and quantities within <see cref="WashTradeSettings.QuantityTolerance"/>.</item>
/// </list>
/// One alert per owner and burst: matches of the same owner less than the window apart are one case. Evidence: the trades.
/// Score: a cross counts 80; an offset 50 + 25 × price closeness + 25 × quantity closeness (1 = identical, 0 = at the tolerance);
/// the case takes its best match plus 5 per further match, at most 100.
/// One pass over the trades: an array of executions waiting for their other side (by execution key) and, per owner, the trades of the last window.
/// </summary>
public sealed class WashTradeRule(WashTradeSettings settings) : ISurveillanceRule
{
    public const string RuleName = "wash-trade";

    public string Name => RuleName;

    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);

        ReadOnlySpan<DayEvent> events = day.Events;
        long window = DayMath.Ticks(settings.WindowSeconds);
        int[] firstSideOfExecution = new int[day.Executions]; // the trade waiting for the execution's other side, else -1
        Array.Fill(firstSideOfExecution, -1);
        var owners = new Dictionary<int, OwnerCase>();
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly DayEvent trade = ref events[i];
            if (trade.Type != EventType.Trade)
            {
                continue;
            }

            ref OwnerCase? owner = ref CollectionsMarshal.GetValueRefOrAddDefault(owners, trade.Owner, out _);
            owner ??= new OwnerCase(trade.Owner);
            if (owner.Evidence.Count > 0 && trade.Timestamp - owner.LastMatch > window)
            {
                alerts.Add(owner.Close(day, events));
            }

            if (trade.Exec >= 0)
            {
                int other = firstSideOfExecution[trade.Exec];
                firstSideOfExecution[trade.Exec] = other < 0 ? i : -1;
                if (other >= 0 && events[other].Side != trade.Side && events[other].Owner == trade.Owner)
                {
                    owner.Match(other, i, trade.Timestamp, CrossScore, crossed: true);
                }
            }

            FindOffsets(events, i, owner, window);
        }

        foreach (OwnerCase owner in owners.Values)
        {
            if (owner.Evidence.Count > 0)
            {
                alerts.Add(owner.Close(day, events));
            }
        }
    }

    const double CrossScore = 80;

    /// <summary>Pairs trade <paramref name="i"/> with the owner's opposite trades of the last window at about the same price and size.</summary>
    void FindOffsets(ReadOnlySpan<DayEvent> events, int i, OwnerCase owner, long window)
    {
        ref readonly DayEvent trade = ref events[i];
        Queue<int> recent = owner.Recent;
        while (recent.Count > 0 && trade.Timestamp - events[recent.Peek()].Timestamp > window)
        {
            recent.Dequeue();
        }

        foreach (int j in recent)
        {
            ref readonly DayEvent earlier = ref events[j];
            if (earlier.Side == trade.Side || (trade.Exec >= 0 && earlier.Exec == trade.Exec))
            {
                continue;
            }

            double priceGap = Math.Abs(trade.Price - earlier.Price) / Math.Max(trade.Price, earlier.Price);
            double quantityGap = Math.Abs(trade.Quantity - earlier.Quantity) / (double)Math.Max(trade.Quantity, earlier.Quantity);
            if (priceGap <= settings.PriceTolerance && quantityGap <= settings.QuantityTolerance)
            {
                double score = 50
                    + (25 * (1 - DayMath.Progress(priceGap, 0, settings.PriceTolerance)))
                    + (25 * (1 - DayMath.Progress(quantityGap, 0, settings.QuantityTolerance)));
                owner.Match(j, i, trade.Timestamp, score, crossed: false);
            }
        }

        recent.Enqueue(i);
    }

    /// <summary>One owner's recent trades and the case being built from its matches.</summary>
    sealed class OwnerCase(int owner)
    {
        public Queue<int> Recent { get; } = new();

        public AlertEvidence Evidence { get; private set; } = new();

        public long LastMatch { get; private set; }

        int _matches;
        double _best;
        bool _crossed;

        public void Match(int first, int second, long time, double score, bool crossed)
        {
            if (!Evidence.Contains(first))
            {
                Evidence.Add(first);
            }

            if (!Evidence.Contains(second))
            {
                Evidence.Add(second);
            }

            _matches++;
            _best = Math.Max(_best, score);
            _crossed |= crossed;
            LastMatch = time;
        }

        public Alert Close(SymbolDay day, ReadOnlySpan<DayEvent> events)
        {
            string how = _crossed ? "traded with itself" : "bought and sold about the same quantity at about the same price";
            Alert alert = Evidence.ToAlert(
                RuleName,
                day,
                events,
                _best + (5 * (_matches - 1)),
                AlertEvidence.Say($"Owner {day.Name(owner)} {how} ({_matches} match(es), {Evidence.Count} trades)."));
            Evidence = new AlertEvidence();
            _matches = 0;
            _best = 0;
            _crossed = false;
            return alert;
        }
    }
}
