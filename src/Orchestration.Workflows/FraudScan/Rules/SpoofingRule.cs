namespace Orchestration.Workflows.FraudScan.Rules;

/// <summary>Parameters of <see cref="SpoofingRule"/> (<c>rules.spoofing</c>).</summary>
public sealed record SpoofingSettings : SurveillanceRuleSettings
{
    /// <summary>Cancelled orders in a burst that make it large enough (or see <see cref="MinQuantityMultiple"/>).</summary>
    public int MinOrders { get; init; } = 3;

    /// <summary>Cancelled quantity, in medians of the symbol's order size, that makes a burst large enough.</summary>
    public double MinQuantityMultiple { get; init; } = 5;

    /// <summary>Share of the burst's orders that must be cancelled quickly.</summary>
    public double MinCancelRatio { get; init; } = 0.8;

    /// <summary>"Quickly": an order cancelled within this time of being placed. Also the gap that ends a burst.</summary>
    public double CancelWithinSeconds { get; init; } = 10;
}

/// <summary>
/// <c>spoofing</c> (layering): orders placed to move the price, never meant to trade, while the account trades the other way.
/// A <b>burst</b> is an account's run of new orders on one side, each placed within
/// <see cref="SpoofingSettings.CancelWithinSeconds"/> of the previous one. It is flagged when
/// (1) it is large: at least <see cref="SpoofingSettings.MinOrders"/> of its orders, or a quantity of at least
/// <see cref="SpoofingSettings.MinQuantityMultiple"/> × the symbol's median order size, were cancelled within
/// <see cref="SpoofingSettings.CancelWithinSeconds"/> of being placed; (2) at least <see cref="SpoofingSettings.MinCancelRatio"/>
/// of its orders were cancelled that quickly; and (3) the account traded on the opposite side between the burst's first order
/// and its last quick cancel. Evidence: the burst's orders, their cancels and the opposite trades.
/// Score: 40 + 30 × min(1, cancelled quantity ÷ (2 × the size threshold)) + 30 × cancel ratio.
/// A first pass finds the quick cancels (an array of the last window's new orders, by order key, matches them); a second collects the
/// orders and trades of the accounts that made them, whose bursts are then examined, each order once per side.
/// </summary>
public sealed class SpoofingRule(SpoofingSettings settings) : ISurveillanceRule
{
    public const string RuleName = "spoofing";

    public string Name => RuleName;

    public void Scan(SymbolDay day, ICollection<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(day);
        ArgumentNullException.ThrowIfNull(alerts);

        ReadOnlySpan<DayEvent> events = day.Events;
        long within = DayMath.Ticks(settings.CancelWithinSeconds);
        Dictionary<int, int> quickCancels = FindQuickCancels(events, day.Orders, within, out HashSet<int> suspects);
        if (suspects.Count == 0)
        {
            return;
        }

        var accounts = new Dictionary<int, AccountOrders>(suspects.Count);
        foreach (int suspect in suspects)
        {
            accounts.Add(suspect, new AccountOrders());
        }

        for (int i = 0; i < events.Length; i++)
        {
            ref readonly DayEvent e = ref events[i];
            if (e.Type is EventType.New or EventType.Trade && accounts.TryGetValue(e.Account, out AccountOrders? account))
            {
                if (e.Type == EventType.New)
                {
                    account.Orders.Add(new Order(i) { QuickCancel = quickCancels.GetValueOrDefault(i, -1) });
                }
                else
                {
                    account.Trades.Add(i);
                }
            }
        }

        double sizeThreshold = settings.MinQuantityMultiple * DayMath.MedianOrderSize(events);
        foreach (AccountOrders account in accounts.Values)
        {
            FindBursts(day, events, account, Side.Buy, within, sizeThreshold, alerts);
            FindBursts(day, events, account, Side.Sell, within, sizeThreshold, alerts);
        }
    }

    /// <summary>
    /// Cancels within <paramref name="within"/> of their order, by the order's index; <paramref name="suspects"/> are the
    /// accounts that made them. Only the orders of the last <paramref name="within"/> are kept to match against.
    /// </summary>
    static Dictionary<int, int> FindQuickCancels(ReadOnlySpan<DayEvent> events, int orders, long within, out HashSet<int> suspects)
    {
        var quickCancels = new Dictionary<int, int>();
        int[] recent = new int[orders]; // by order key: its new order of the last window, else -1
        Array.Fill(recent, -1);
        var placedOrder = new Queue<int>();
        suspects = [];
        for (int i = 0; i < events.Length; i++)
        {
            ref readonly DayEvent e = ref events[i];
            if (e.Type == EventType.New)
            {
                while (placedOrder.Count > 0 && e.Timestamp - events[placedOrder.Peek()].Timestamp > within)
                {
                    int expired = placedOrder.Dequeue();
                    if (recent[events[expired].Order] == expired)
                    {
                        recent[events[expired].Order] = -1;
                    }
                }

                recent[e.Order] = i;
                placedOrder.Enqueue(i);
            }
            else if (e.Type == EventType.Cancel && recent[e.Order] >= 0)
            {
                int placed = recent[e.Order];
                recent[e.Order] = -1;
                if (e.Timestamp - events[placed].Timestamp <= within)
                {
                    quickCancels[placed] = i;
                    suspects.Add(e.Account);
                }
            }
        }

        return quickCancels;
    }

    void FindBursts(SymbolDay day, ReadOnlySpan<DayEvent> events, AccountOrders account, Side side, long within, double sizeThreshold, ICollection<Alert> alerts)
    {
        List<Order> orders = account.Orders;
        int start = 0;
        while (start < orders.Count)
        {
            while (start < orders.Count && events[orders[start].New].Side != side)
            {
                start++;
            }

            if (start == orders.Count)
            {
                return;
            }

            var burst = new Burst();
            int next = start;
            long lastPlaced = events[orders[start].New].Timestamp;
            for (; next < orders.Count; next++)
            {
                ref readonly DayEvent placed = ref events[orders[next].New];
                if (placed.Side != side)
                {
                    continue;
                }

                if (placed.Timestamp - lastPlaced > within)
                {
                    break;
                }

                burst.Add(orders[next], events);
                lastPlaced = placed.Timestamp;
            }

            if (burst.IsSpoof(settings, sizeThreshold))
            {
                Report(day, events, account, burst, sizeThreshold, alerts);
            }

            start = next;
        }
    }

    void Report(SymbolDay day, ReadOnlySpan<DayEvent> events, AccountOrders account, Burst burst, double sizeThreshold, ICollection<Alert> alerts)
    {
        var evidence = new AlertEvidence();
        int opposite = 0;
        foreach (int trade in account.Trades)
        {
            ref readonly DayEvent e = ref events[trade];
            if (e.Side != burst.Side && e.Timestamp >= burst.FirstPlaced && e.Timestamp <= burst.LastQuickCancel)
            {
                evidence.Add(trade);
                opposite++;
            }
        }

        if (opposite == 0)
        {
            return;
        }

        evidence.AddRange(burst.Evidence);
        double score = 40 + (30 * Math.Min(1, burst.CancelledQuantity / (2 * Math.Max(sizeThreshold, 1)))) + (30 * burst.CancelRatio);
        alerts.Add(evidence.ToAlert(
            RuleName,
            day,
            events,
            score,
            AlertEvidence.Say($"Account {day.Name(events[burst.Evidence[0]].Account)} placed {burst.Placed} {burst.Side} orders, cancelled {burst.QuickCancels} ({burst.CancelledQuantity:N0}) within seconds, and traded {opposite} time(s) on the other side.")));
    }

    /// <summary>A new order and, when it was cancelled quickly, the cancel (else -1).</summary>
    record struct Order(int New)
    {
        public int QuickCancel { get; set; } = -1;
    }

    sealed class AccountOrders
    {
        public List<Order> Orders { get; } = [];

        public List<int> Trades { get; } = [];
    }

    /// <summary>What one burst adds up to.</summary>
    sealed class Burst
    {
        public List<int> Evidence { get; } = [];

        public Side Side { get; private set; }

        public int Placed { get; private set; }

        public int QuickCancels { get; private set; }

        public long CancelledQuantity { get; private set; }

        public long FirstPlaced { get; private set; } = long.MaxValue;

        public long LastQuickCancel { get; private set; } = long.MinValue;

        public double CancelRatio => Placed == 0 ? 0 : QuickCancels / (double)Placed;

        public void Add(Order order, ReadOnlySpan<DayEvent> events)
        {
            ref readonly DayEvent placed = ref events[order.New];
            Side = placed.Side;
            Placed++;
            FirstPlaced = Math.Min(FirstPlaced, placed.Timestamp);
            if (order.QuickCancel < 0)
            {
                return;
            }

            ref readonly DayEvent cancel = ref events[order.QuickCancel];
            QuickCancels++;
            CancelledQuantity += cancel.Quantity > 0 ? Math.Min(cancel.Quantity, placed.Quantity) : placed.Quantity;
            LastQuickCancel = Math.Max(LastQuickCancel, cancel.Timestamp);
            Evidence.Add(order.New);
            Evidence.Add(order.QuickCancel);
        }

        public bool IsSpoof(SpoofingSettings settings, double sizeThreshold) =>
            (QuickCancels >= settings.MinOrders || (QuickCancels > 0 && CancelledQuantity >= sizeThreshold))
            && CancelRatio >= settings.MinCancelRatio;
    }
}
