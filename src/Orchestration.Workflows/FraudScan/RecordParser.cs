using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Turns one line's <see cref="LineFields"/> into an <see cref="EventRecord"/> or <see cref="NewsEvent"/>, or into the
/// reason it is not one, phrased for the person who produced the file. An event record's texts are the line's own bytes
/// (<see cref="EventRecordStrings"/> makes strings of them for a sink that wants <see cref="MarketEvent"/>s).
/// </summary>
internal sealed class RecordParser
{
    private const int MaxShownBytes = 40;

    private static readonly double[] PowersOfTen = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

    private readonly Utf8StringPool _pool = new();
    private readonly TimestampParser _timestamps = new();

    /// <param name="derivedIds">Gives an event without an eventId one (<c>{blob}#{line}</c>); when null, such an event is a bad line.</param>
    /// <param name="lineNumber">The line's number, for a derived id.</param>
    public bool TryParseEvent(LineFields fields, ReadOnlySpan<byte> line, DerivedEventIds? derivedIds, long lineNumber, out EventRecord result, out string reason)
    {
        result = default;
        var type = fields.Get(Column.Type, line);
        var side = fields.Get(Column.Side, line);
        var capacity = fields.Get(Column.Capacity, line);
        var eventId = fields.Get(Column.EventId, line);
        if (!fields.HasAll(Columns.RequiredForEvents, line, out reason)
            || !TryEventId(ref eventId, derivedIds, lineNumber, out reason)
            || !TryTimestamp(fields.Get(Column.Timestamp, line), out var ticks, out reason)
            || !TryEventType(type, out var eventType, out reason)
            || !TrySide(side, out var buyOrSell, out reason)
            || !TryCapacity(capacity, out var clientOrPrincipal, out reason)
            || !TryQuantity(fields.Get(Column.Quantity, line), eventType, out var quantity, out reason)
            || !TryPrice(fields.Get(Column.Price, line), eventType, out var price, out reason))
        {
            return false;
        }

        var account = fields.Get(Column.Account, line);
        var owner = fields.Get(Column.Owner, line);
        result = new EventRecord(
            ticks,
            eventId,
            eventType,
            fields.Get(Column.OrderId, line),
            account,
            owner.IsEmpty ? account : owner,
            fields.Get(Column.Firm, line),
            fields.Get(Column.Trader, line),
            fields.Get(Column.Symbol, line),
            buyOrSell,
            price,
            quantity,
            fields.Get(Column.Venue, line),
            clientOrPrincipal,
            fields.Get(Column.ExecId, line));
        return true;
    }

    private static bool TryEventId(ref ReadOnlySpan<byte> eventId, DerivedEventIds? derivedIds, long lineNumber, out string reason)
    {
        reason = "";
        if (!eventId.IsEmpty)
        {
            return true;
        }

        if (derivedIds is null)
        {
            reason = "missing eventId";
            return false;
        }

        eventId = derivedIds.For(lineNumber);
        return true;
    }

    public bool TryParseNews(LineFields fields, ReadOnlySpan<byte> line, out NewsEvent result, out string reason)
    {
        result = default;
        var materialityText = fields.Get(Column.Materiality, line);
        if (!fields.HasAll(Columns.RequiredForNews, line, out reason))
        {
            reason += materialityText.IsEmpty && reason == MissingMateriality ? $" ({MaterialityForms})" : "";
            return false;
        }

        if (!TryTimestamp(fields.Get(Column.Timestamp, line), out var ticks, out reason))
        {
            return false;
        }

        if (!TryMateriality(materialityText, out var materiality))
        {
            reason = $"materiality '{Show(materialityText)}' is not {MaterialityForms}";
            return false;
        }

        result = new NewsEvent(_pool.Get(fields.Get(Column.Symbol, line)), ticks, Encoding.UTF8.GetString(fields.Get(Column.Headline, line)), materiality);
        return true;
    }

    private const string MissingMateriality = "missing materiality";

    private const string MaterialityForms = "a number from 0 to 1, or low, medium, high";

    /// <summary>
    /// Materiality is a number from 0 to 1, or one of the words news feeds carry, in any case: <c>low</c> = 0.3,
    /// <c>medium</c> = 0.6, <c>high</c> = 0.9. Against the trading-ahead-of-news rule's default
    /// <c>minMateriality</c> of 0.7, <c>high</c> is looked back from and <c>medium</c> and <c>low</c> are not.
    /// </summary>
    private static bool TryMateriality(ReadOnlySpan<byte> text, out double materiality)
    {
        if (Ascii.EqualsIgnoreCase(text, "low"u8))
        {
            materiality = 0.3;
        }
        else if (Ascii.EqualsIgnoreCase(text, "medium"u8))
        {
            materiality = 0.6;
        }
        else if (Ascii.EqualsIgnoreCase(text, "high"u8))
        {
            materiality = 0.9;
        }
        else
        {
            return TryNumber(text, out materiality) && materiality is >= 0 and <= 1;
        }

        return true;
    }

    /// <summary>A value as it may be quoted in a reason: at most 40 bytes, cut on a character boundary.</summary>
    public static string Show(ReadOnlySpan<byte> value)
    {
        if (value.Length <= MaxShownBytes)
        {
            return Encoding.UTF8.GetString(value);
        }

        var cut = MaxShownBytes;
        while (cut > 0 && (value[cut] & 0xC0) == 0x80)
        {
            cut--;
        }

        return Encoding.UTF8.GetString(value[..cut]) + "…";
    }

    private bool TryTimestamp(ReadOnlySpan<byte> text, out long ticks, out string reason)
    {
        if (_timestamps.TryParse(text, out ticks))
        {
            reason = "";
            return true;
        }

        reason = TimestampParser.LacksZone(text)
            ? $"timestamp '{Show(text)}' has no time zone: give it in UTC with a Z, e.g. 2026-11-25T14:30:00.123Z"
            : $"timestamp '{Show(text)}' is not an ISO-8601 UTC time such as 2026-11-25T14:30:00.123Z";
        return false;
    }

    private static bool TryEventType(ReadOnlySpan<byte> text, out EventType type, out string reason)
    {
        reason = "";
        if (Ascii.EqualsIgnoreCase(text, "NEW"u8) || Ascii.EqualsIgnoreCase(text, "NEW_ORDER"u8))
        {
            type = EventType.New;
        }
        else if (Ascii.EqualsIgnoreCase(text, "TRADE"u8) || Ascii.EqualsIgnoreCase(text, "FILL"u8))
        {
            type = EventType.Trade;
        }
        else if (Ascii.EqualsIgnoreCase(text, "CANCEL"u8))
        {
            type = EventType.Cancel;
        }
        else if (Ascii.EqualsIgnoreCase(text, "MODIFY"u8) || Ascii.EqualsIgnoreCase(text, "REPLACE"u8))
        {
            type = EventType.Modify;
        }
        else
        {
            type = default;
            reason = $"unknown type '{Show(text)}' (NEW, CANCEL, MODIFY, TRADE)";
            return false;
        }

        return true;
    }

    private static bool TrySide(ReadOnlySpan<byte> text, out Side side, out string reason)
    {
        reason = "";
        if (Ascii.EqualsIgnoreCase(text, "BUY"u8) || Ascii.EqualsIgnoreCase(text, "B"u8))
        {
            side = Side.Buy;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(text, "SELL"u8) || Ascii.EqualsIgnoreCase(text, "S"u8))
        {
            side = Side.Sell;
            return true;
        }

        side = default;
        reason = $"side '{Show(text)}' is not BUY or SELL (or B, S)";
        return false;
    }

    private static bool TryCapacity(ReadOnlySpan<byte> text, out Capacity capacity, out string reason)
    {
        reason = "";
        if (text.IsEmpty || Ascii.EqualsIgnoreCase(text, "CLIENT"u8))
        {
            capacity = Capacity.Client;
            return true;
        }

        if (Ascii.EqualsIgnoreCase(text, "PRINCIPAL"u8))
        {
            capacity = Capacity.Principal;
            return true;
        }

        capacity = default;
        reason = $"capacity '{Show(text)}' is not CLIENT or PRINCIPAL";
        return false;
    }

    /// <summary>Quantity is a whole number, above 0 except for a CANCEL (0 = cancel all that is left).</summary>
    private static bool TryQuantity(ReadOnlySpan<byte> text, EventType type, out long quantity, out string reason)
    {
        reason = "";
        if (!Utf8Parser.TryParse(text, out quantity, out var used) || used != text.Length)
        {
            reason = $"quantity '{Show(text)}' is not a whole number";
            return false;
        }

        if (quantity < 0 || (quantity == 0 && type != EventType.Cancel))
        {
            reason = type == EventType.Cancel ? $"quantity {quantity} is negative" : $"quantity {quantity} must be above 0";
            return false;
        }

        return true;
    }

    /// <summary>Price is above 0, except for a CANCEL, where it may be empty or 0.</summary>
    private static bool TryPrice(ReadOnlySpan<byte> text, EventType type, out double price, out string reason)
    {
        reason = "";
        price = 0;
        if (text.IsEmpty && type == EventType.Cancel)
        {
            return true;
        }

        if (text.IsEmpty)
        {
            reason = $"missing price (required for {type.ToString().ToUpperInvariant()})";
            return false;
        }

        if (!TryNumber(text, out price))
        {
            reason = $"price '{Show(text)}' is not a number";
            return false;
        }

        if (price < 0 || (price == 0 && type != EventType.Cancel))
        {
            reason = $"price {Show(text)} must be above 0";
            return false;
        }

        return true;
    }

    /// <summary>
    /// A finite decimal number. Plain decimals of up to 15 digits (nearly every price) are read directly: both the
    /// digits and the power of ten are exact doubles, so one division gives the correctly rounded value, the same as
    /// <see cref="double.Parse(string)"/>. Anything else (a sign, an exponent, more digits) goes to the general parser.
    /// </summary>
    private static bool TryNumber(ReadOnlySpan<byte> text, out double value)
    {
        ulong digits = 0;
        var count = 0;
        var decimals = -1;
        foreach (var b in text)
        {
            var digit = (uint)(b - '0');
            if (digit <= 9 && count < 15)
            {
                digits = (digits * 10) + digit;
                count++;
                decimals += decimals >= 0 ? 1 : 0;
            }
            else if (b == (byte)'.' && decimals < 0)
            {
                decimals = 0;
            }
            else
            {
                return TryNumberGeneral(text, out value);
            }
        }

        value = decimals > 0 ? digits / PowersOfTen[decimals] : digits;
        return count > 0;
    }

    private static bool TryNumberGeneral(ReadOnlySpan<byte> text, out double value) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
}
