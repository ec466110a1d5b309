using System.Globalization;
using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Parses ISO-8601 UTC timestamps (<c>2026-11-25T14:30:00.1234567Z</c>, or <c>+00:00</c>) into ticks. The usual shape
/// is read digit by digit at fixed positions, and the date part, which a day's file repeats on every line, is
/// converted once and remembered; anything else (a space for the T, another UTC offset) goes to the general parser.
/// </summary>
internal sealed class TimestampParser
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd'T'HH:mmK",
    ];

    private static readonly long[] FractionScale = [0, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];

    private readonly byte[] _day = new byte[10];
    private long _dayTicks = -1;

    public bool TryParse(ReadOnlySpan<byte> text, out long ticks) => TryParseFast(text, out ticks) || TryParseGeneral(text, out ticks);

    /// <summary>Whether <paramref name="text"/> ends without a zone (the reason to give when it does not parse).</summary>
    public static bool LacksZone(ReadOnlySpan<byte> text) => text.Length > 10 && text[10..].IndexOfAny("Zz+-"u8) < 0;

    private bool TryParseFast(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s.Length < 20 || s[10] != (byte)'T' || s[13] != (byte)':' || s[16] != (byte)':'
            || !TryDay(s[..10], out var day)
            || !TryTwoDigits(s, 11, 23, out var hour) || !TryTwoDigits(s, 14, 59, out var minute) || !TryTwoDigits(s, 17, 59, out var second))
        {
            return false;
        }

        var rest = s[19..];
        long fraction = 0;
        if (rest[0] == (byte)'.')
        {
            var digits = rest[1..].IndexOfAnyExceptInRange((byte)'0', (byte)'9');
            if (digits is < 1 or > 7)
            {
                return false;
            }

            foreach (var digit in rest.Slice(1, digits))
            {
                fraction = (fraction * 10) + (digit - '0');
            }

            fraction *= FractionScale[digits];
            rest = rest[(digits + 1)..];
        }

        ticks = day + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute) + (second * TimeSpan.TicksPerSecond) + fraction;
        return rest.SequenceEqual("Z"u8) || rest.SequenceEqual("+00:00"u8);
    }

    private bool TryDay(ReadOnlySpan<byte> date, out long ticks)
    {
        if (_dayTicks >= 0 && date.SequenceEqual(_day))
        {
            ticks = _dayTicks;
            return true;
        }

        ticks = 0;
        if (date[4] != (byte)'-' || date[7] != (byte)'-'
            || !TryTwoDigits(date, 0, 99, out var century) || !TryTwoDigits(date, 2, 99, out var year)
            || !TryTwoDigits(date, 5, 12, out var month) || !TryTwoDigits(date, 8, 31, out var day)
            || (century | year) == 0 || month == 0 || day == 0 || day > DateTime.DaysInMonth((century * 100) + year, month))
        {
            return false;
        }

        ticks = new DateTime((century * 100) + year, month, day, 0, 0, 0, DateTimeKind.Utc).Ticks;
        date.CopyTo(_day);
        _dayTicks = ticks;
        return true;
    }

    private static bool TryTwoDigits(ReadOnlySpan<byte> s, int at, int max, out int value)
    {
        var tens = s[at] - '0';
        var units = s[at + 1] - '0';
        value = (tens * 10) + units;
        return (uint)tens <= 9 && (uint)units <= 9 && value <= max;
    }

    private static bool TryParseGeneral(ReadOnlySpan<byte> text, out long ticks)
    {
        ticks = 0;
        if (text.Length > 64 || LacksZone(text))
        {
            return false;
        }

        Span<char> chars = stackalloc char[text.Length];
        var length = Encoding.UTF8.GetChars(text, chars);
        if (!DateTimeOffset.TryParseExact(chars[..length], Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return false;
        }

        ticks = time.UtcTicks;
        return true;
    }
}
