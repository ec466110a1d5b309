using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.MarketGen;

/// <summary>
/// An event as one line of <c>events.csv</c> or <c>events.jsonl</c>, in UTF-8 with its newline: the only place the files'
/// lines are formatted, so a day written from memory and one streamed through temporary files are the same bytes.
/// </summary>
internal sealed class EventLines
{
    static readonly byte[] CsvHeader = Encoding.UTF8.GetBytes(MarketDayFiles.CsvHeader + "\n");

    readonly OutputFormat _format;
    readonly ArrayBufferWriter<byte> _buffer = new(512);
    readonly Utf8JsonWriter? _json;

    public EventLines(OutputFormat format)
    {
        _format = format;
        _json = format == OutputFormat.Jsonl ? new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true }) : null;
    }

    /// <summary>What comes before the first event: the CSV header line, nothing for JSON lines.</summary>
    public ReadOnlySpan<byte> Header => _format == OutputFormat.Csv ? CsvHeader : [];

    /// <summary>The event's line with its <c>\n</c>; valid until the next call.</summary>
    public ReadOnlySpan<byte> Format(MarketEvent e)
    {
        _buffer.ResetWrittenCount();
        if (_json is null)
        {
            Csv(e);
        }
        else
        {
            Json(_json, e);
        }

        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        return _buffer.WrittenSpan;
    }

    void Csv(MarketEvent e)
    {
        Span<byte> time = _buffer.GetSpan(32);
        if (!new DateTime(e.Timestamp, DateTimeKind.Utc).TryFormat(time, out int written, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"Timestamp {e.Timestamp} did not format.");
        }

        _buffer.Advance(written);
        foreach (string field in (ReadOnlySpan<string>)[e.EventId, MarketDayFiles.Type(e.Type), e.OrderId, e.Account, e.Owner, e.Firm, e.Trader, e.Symbol, MarketDayFiles.Side(e.Side), MarketDayFiles.Price(e.Price), e.Quantity.ToString(CultureInfo.InvariantCulture), e.Venue, MarketDayFiles.Capacity(e.Capacity), e.ExecId])
        {
            Span<byte> span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(field.Length) + 1);
            span[0] = (byte)',';
            _buffer.Advance(1 + Encoding.UTF8.GetBytes(field, span[1..]));
        }
    }

    static void Json(Utf8JsonWriter json, MarketEvent e)
    {
        json.Reset();
        json.WriteStartObject();
        json.WriteString("timestamp", MarketDayFiles.Timestamp(e.Timestamp));
        json.WriteString("eventId", e.EventId);
        json.WriteString("type", MarketDayFiles.Type(e.Type));
        json.WriteString("orderId", e.OrderId);
        json.WriteString("account", e.Account);
        json.WriteString("owner", e.Owner);
        json.WriteString("firm", e.Firm);
        json.WriteString("trader", e.Trader);
        json.WriteString("symbol", e.Symbol);
        json.WriteString("side", MarketDayFiles.Side(e.Side));
        json.WriteNumber("price", Math.Round(e.Price, 2));
        json.WriteNumber("quantity", e.Quantity);
        json.WriteString("venue", e.Venue);
        json.WriteString("capacity", MarketDayFiles.Capacity(e.Capacity));
        json.WriteString("execId", e.ExecId);
        json.WriteEndObject();
        json.Flush();
    }
}
