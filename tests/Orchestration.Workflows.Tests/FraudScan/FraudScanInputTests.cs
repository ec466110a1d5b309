using System.Text.Json;
using Orchestration.Workflows.FraudScan;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class FraudScanInputTests
{
    static readonly JsonElement AnEvent = JsonSerializer.SerializeToElement(new { eventId = "e1" });

    [TestMethod]
    public void Validate_EachKindOfSourceAlone_Valid()
    {
        foreach (FraudScanInput input in new[]
        {
            new FraudScanInput(Name: "2026-11-24/desk.csv", ETag: "\"0x1\""),
            new FraudScanInput(Blobs: ["a.csv", "b.jsonl.gz"], NewsPrefix: "news/"),
            new FraudScanInput(Prefix: ""),
            new FraudScanInput(Events: [AnEvent], News: [AnEvent]),
        })
        {
            Assert.IsEmpty(input.Validate().ToList(), input.ToString());
        }
    }

    [TestMethod]
    [DataRow("none")]
    [DataRow("two")]
    public void Validate_NotExactlyOneSource_SaysWhichToGive(string shape)
    {
        FraudScanInput input = shape == "none" ? new FraudScanInput() : new FraudScanInput(Name: "a.csv", Prefix: "x/");

        Assert.StartsWith("name, blobs, prefix, events: give exactly one", input.Validate().Single());
    }

    [TestMethod]
    public void Validate_EachBadField_NamedInItsMessage()
    {
        var cases = new (FraudScanInput Input, string Field)[]
        {
            (new FraudScanInput(Container: "Bad_Container", Prefix: ""), "container:"),
            (new FraudScanInput(Name: new string('n', 1025)), "name:"),
            (new FraudScanInput(Blobs: ["ok.csv", "bad\u0001.csv"]), "blobs:"),
            (new FraudScanInput(Blobs: []), "blobs:"),
            (new FraudScanInput(Blobs: [.. Enumerable.Range(0, FraudScanInput.MaxBlobs + 1).Select(i => $"{i}.csv")]), "blobs:"),
            (new FraudScanInput(Prefix: "", ETag: "\"1\""), "eTag:"),
            (new FraudScanInput(Events: []), "events:"),
            (new FraudScanInput(Events: [.. Enumerable.Repeat(AnEvent, FraudScanInput.MaxInlineEvents + 1)]), "events:"),
            (new FraudScanInput(Prefix: "", News: [AnEvent]), "news:"),
            (new FraudScanInput(Events: [AnEvent], NewsPrefix: "news/"), "newsPrefix:"),
            (new FraudScanInput(Prefix: "a\nb"), "prefix:"),
        };
        foreach ((FraudScanInput input, string field) in cases)
        {
            Assert.StartsWith(field, input.Validate().Single(), input.ToString());
        }
    }
}
