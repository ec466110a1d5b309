using System.Text;
using Orchestration.MarketGen;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

/// <summary>The realistic writer's temporary runs: each symbol's events in time order, merged by (time, symbol, position).</summary>
[TestClass]
public sealed class SymbolRunsTests
{
    [TestMethod]
    public void MergeInto_RunsOutOfTimeOrderWithTiesAndEmptyRuns_TimeThenSymbolThenOrderMade()
    {
        // Times from a small range (many ties within and across symbols); two symbols made out of time order; one empty;
        // runs far larger than a merge buffer, so every reader refills many times.
        var random = new Prng(3);
        int[] sizes = [3000, 0, 2500, 40, 3000];
        var symbols = new List<List<MarketEvent>>();
        int id = 0;
        for (int s = 0; s < sizes.Length; s++)
        {
            bool ordered = s % 2 == 0;
            long time = 0;
            var events = new List<MarketEvent>();
            for (int n = 0; n < sizes[s]; n++)
            {
                time = ordered ? time + random.Next(3) : random.Next(500);
                events.Add(new MarketEvent(1000 + time, $"E{++id:D9}", EventType.New, $"O{id}", "A1", "W1", "F1", "T1", $"S{s}", Side.Buy, 10.5, 100, "XNAS", Capacity.Client, string.Empty));
            }

            symbols.Add(events);
        }

        string[] expected = [.. symbols.SelectMany((list, s) => list.Select((e, n) => (e, s, n))).OrderBy(x => x.e.Timestamp).ThenBy(x => x.s).ThenBy(x => x.n).Select(x => x.e.EventId)];
        string directory = Directory.CreateTempSubdirectory("symbol-runs-").FullName;
        try
        {
            var output = new MemoryStream();
            long count;
            using (var runs = new SymbolRuns(directory, OutputFormat.Csv))
            {
                foreach (List<MarketEvent> events in symbols)
                {
                    events.ForEach(runs.Write);
                    runs.EndSymbol();
                }

                count = runs.MergeInto(output);
            }

            string[] merged = [.. Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n').Split('\n').Select(line => line.Split(',')[1])];
            Assert.AreEqual(expected.Length, count);
            CollectionAssert.AreEqual(expected, merged);
            Assert.IsEmpty(Directory.GetFiles(directory), "the runs file is deleted");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
