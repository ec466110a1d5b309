using System.Diagnostics;
using System.Globalization;
using Orchestration.MarketGen;

// dotnet run --project tools/Orchestration.MarketGen -- --events 1000000 --seed 42 --out <dir>
//     [--format csv|jsonl] [--gzip] [--symbols 200] [--date 2026-11-24] [--market realistic]
var options = new MarketGenOptions();
string? output = null;
var format = OutputFormat.Csv;
bool gzip = false;
try
{
    for (int i = 0; i < args.Length; i++)
    {
        string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
        switch (args[i])
        {
            case "--events": options = options with { Events = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--seed": options = options with { Seed = ulong.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--symbols": options = options with { Symbols = int.Parse(Value(), CultureInfo.InvariantCulture) }; break;
            case "--date": options = options with { Date = DateOnly.ParseExact(Value(), "yyyy-MM-dd", CultureInfo.InvariantCulture) }; break;
            case "--out": output = Value(); break;
            case "--format": format = Enum.Parse<OutputFormat>(Value(), ignoreCase: true); break;
            case "--gzip": gzip = true; break;
            case "--market":
                string market = Value();
                if (market != "realistic")
                {
                    throw new ArgumentException($"--market is realistic (the only mode; the simple mode was removed), not {market}.");
                }

                break;
            default: throw new ArgumentException($"Unknown option {args[i]}.");
        }
    }

    if (output is null)
    {
        throw new ArgumentException("--out <dir> is required.");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine("usage: --events N --seed S --out DIR [--format csv|jsonl] [--gzip] [--symbols N] [--date yyyy-MM-dd] [--market realistic]");
    return 2;
}

var clock = Stopwatch.StartNew();
RealisticDaySummary day = MarketDayFiles.WriteRealistic(options, output, format, gzip);
Console.WriteLine($"Wrote {day.Events:N0} events, {day.News:N0} news items, {day.Planted} planted cases and {day.HardNegatives} hard negatives (realistic market) to {Path.GetFullPath(output)} in {clock.Elapsed.TotalSeconds:0.0} s.");
return 0;
