using System.Text.Json.Nodes;
using Orchestration.Workflows.FraudScan;
using Orchestration.Workflows.FraudScan.Rules;
using Orchestration.Workflows.Tests.Imaging;

namespace Orchestration.Workflows.Tests.FraudScan;

[TestClass]
public sealed class FraudScanDefinitionTests
{
    const string Source = "test/workflow.json";

    static string ShippedWorkflowJson() => Path.Combine(ImagePipelineDefinitionSamples.RepositoryRoot(), "workflows", "fraud-scan", "workflow.json");

    static FraudScanDefinitionException ParseFails(string json) =>
        Assert.ThrowsExactly<FraudScanDefinitionException>(() => FraudScanDefinitionLoader.Parse(json, Source));

    [TestMethod]
    public void Load_ShippedWorkflowJson_EveryValueAsTheDefaults()
    {
        FraudScanDefinition definition = FraudScanDefinitionLoader.Load(ShippedWorkflowJson());

        Assert.AreEqual(new FraudScanDefinition(), definition);
        Assert.AreEqual((256, "market-events", "fraud-work", "fraud-reports"), (definition.Partitions, definition.Containers.Input, definition.Containers.Work, definition.Containers.Reports));
        Assert.AreEqual(32L * 1024 * 1024, definition.PartitionTargetBytes);
    }

    [TestMethod]
    public void Load_CopiedNextToAssembly_SameAsRepository()
    {
        Assert.AreEqual(File.ReadAllText(ShippedWorkflowJson()), File.ReadAllText(FraudScanDefinitionLoader.DefaultPath));
        Assert.AreEqual(new FraudScanDefinition(), FraudScanDefinitionLoader.Load(FraudScanDefinitionLoader.DefaultPath));
    }

    [TestMethod]
    public void Parse_EveryParameterInTheShippedFile_RoundTripsThroughTheNames()
    {
        JsonObject json = (JsonObject)JsonNode.Parse(File.ReadAllText(ShippedWorkflowJson()), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!;
        json["rules"]!["marking-the-close"]!["closeTimeUtc"] = "20:00:00";
        json["rules"]!["spoofing"]!["sizeMultiple"] = 4;
        json["rules"]!["unusual-volume"]!["enabled"] = false;

        FraudScanDefinition definition = FraudScanDefinitionLoader.Parse(json.ToJsonString(), Source);

        Assert.AreEqual(new TimeOnly(20, 0), definition.Rules.MarkingTheClose.CloseTimeUtc);
        Assert.AreEqual(4, definition.Rules.Spoofing.SizeMultiple);
        Assert.IsFalse(definition.Rules.UnusualVolume.Enabled);
    }

    [TestMethod]
    public void Parse_Empty_AllDefaults()
    {
        Assert.AreEqual(new FraudScanDefinition(), FraudScanDefinitionLoader.Parse("{}", Source));
    }

    [TestMethod]
    public void Parse_UnknownParameter_ErrorNamesItsPathAndTheKnownOnes()
    {
        FraudScanDefinitionException e = ParseFails("""{ "rules": { "spoofing": { "minOrders": 3 } } }""");

        StringAssert.StartsWith(e.Errors.Single(), "rules.spoofing.minOrders: unknown property 'minOrders' (known: ");
        StringAssert.Contains(e.Errors[0], "minOrders");
        StringAssert.Contains(e.Message, Source);
    }

    [TestMethod]
    public void Parse_UnknownRule_ErrorListsTheRules()
    {
        FraudScanDefinitionException e = ParseFails("""{ "rules": { "insider-trading": { } } }""");

        StringAssert.StartsWith(
            e.Errors.Single(),
            "rules.insider-trading: unknown property 'insider-trading' (known: wash-trade, spoofing, front-running, marking-the-close, trading-ahead-of-news, unusual-volume)");
    }

    [TestMethod]
    public void Parse_BadCloseTime_ErrorNamesThePath()
    {
        FraudScanDefinitionException e = ParseFails("""{ "rules": { "marking-the-close": { "closeTimeUtc": "25:00" } } }""");

        StringAssert.StartsWith(e.Errors.Single(), "rules.marking-the-close.closeTimeUtc: ");
    }

    [TestMethod]
    public void Parse_SeveralBadValues_EveryErrorByPath()
    {
        const string json = """
            {
              "partitions": 0,
              "containers": { "work": "Fraud_Work", "reports": "market-events" },
              "partitionTargetBytes": 1000,
              "rules": {
                "wash-trade": { "windowSeconds": 0, "priceTolerance": 0.2 },
                "spoofing": { "maxOppositeShare": 1.5 },
                "front-running": { "minSameSideShare": 0.4 },
                "unusual-volume": { "minOrders": 0 }
              }
            }
            """;

        FraudScanDefinitionException e = ParseFails(json);

        string[] expected =
        [
            "partitions: must be 1 to 256 (was 0)",
            "partitionTargetBytes: must be at least 65536 (was 1000)",
            "containers.work: must be a valid Azure container name: 3 to 63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit (was 'Fraud_Work')",
            "containers.reports: 'market-events' is also containers.input; input, work and reports must be three different containers",
            "rules.wash-trade.windowSeconds: must be more than 0 and at most 86400 (was 0)",
            "rules.wash-trade.priceTolerance: must be 0 to 0.1 (was 0.2)",
            "rules.spoofing.maxOppositeShare: must be more than 0 and at most 1 (was 1.5)",
            "rules.front-running.minSameSideShare: must be 0.5 to 1 (was 0.4)",
            "rules.unusual-volume.minOrders: must be 1 to 10000 (was 0)",
        ];
        CollectionAssert.AreEqual(expected, e.Errors.ToArray());
        StringAssert.StartsWith(e.Message, $"{Source} is not a valid fraud scan definition (9 errors):");
    }

    [TestMethod]
    public void Parse_FrontRunningAndMarkingTheCloseOutOfRange_EveryErrorByPath()
    {
        const string json = """
            {
              "rules": {
                "front-running": { "blockVolumeShare": 2, "minBaselineWindows": 0, "aheadMultiple": -1 },
                "marking-the-close": { "moveMultiple": 5, "fewExecutionsMoveMultiple": 3, "minExecutions": 0, "minNetShare": 1.5 }
              }
            }
            """;

        FraudScanDefinitionException e = ParseFails(json);

        string[] expected =
        [
            "rules.front-running.blockVolumeShare: must be 0 to 1 (was 2)",
            "rules.front-running.aheadMultiple: must be 0 to 1000 (was -1)",
            "rules.front-running.minBaselineWindows: must be 1 to 1000 (was 0)",
            "rules.marking-the-close.minNetShare: must be 0 to 1 (was 1.5)",
            "rules.marking-the-close.minExecutions: must be 1 to 1000 (was 0)",
            "rules.marking-the-close.fewExecutionsMoveMultiple: must be at least moveMultiple (5) (was 3)",
        ];
        CollectionAssert.AreEqual(expected, e.Errors.ToArray());
    }

    [TestMethod]
    [DataRow("azure-webjobs-hosts", "containers.sources[1]: 'azure-webjobs-hosts' belongs to the Functions host (keys, leases, receipts); never list it")]
    [DataRow("fraud-reports", "containers.sources[1]: 'fraud-reports' is containers.reports, where the workflow writes; list only containers it reads")]
    [DataRow("fraud-work", "containers.sources[1]: 'fraud-work' is containers.work, where the workflow writes; list only containers it reads")]
    public void Validate_BadSource_NamesIt(string source, string error)
    {
        FraudScanDefinition definition = new() { Containers = new FraudScanContainers { Sources = ["market-events", source] } };

        CollectionAssert.AreEqual(new[] { error }, FraudScanDefinitionValidator.Validate(definition).ToArray());
    }

    [TestMethod]
    [DataRow("""{ "arrangedWithinSeconds": 0 }""", "rules.wash-trade.arrangedWithinSeconds: must be more than 0 and at most 3600 (was 0)")]
    [DataRow("""{ "maxCoincidence": 1.5 }""", "rules.wash-trade.maxCoincidence: must be 0 to 1 (was 1.5)")]
    [DataRow("""{ "minPairConcentration": 0.5 }""", "rules.wash-trade.minPairConcentration: must be 1 to 1000000 (was 0.5)")]
    [DataRow("""{ "quantityTolerance": -0.1 }""", "rules.wash-trade.quantityTolerance: must be 0 to 1 (was -0.1)")]
    public void Parse_WashTradeParameterOutOfRange_NamesIt(string section, string error)
    {
        FraudScanDefinitionException e = ParseFails($$"""{ "rules": { "wash-trade": {{section}} } }""");

        CollectionAssert.AreEqual(new[] { error }, e.Errors.ToArray());
    }

    [TestMethod]
    [DataRow("""{ "sizeMultiple": 0 }""", "rules.spoofing.sizeMultiple: must be a positive number (was 0)")]
    [DataRow("""{ "depthMultiple": -1 }""", "rules.spoofing.depthMultiple: must be 0 to 1000 (was -1)")]
    [DataRow("""{ "maxLifetimeSeconds": 7200 }""", "rules.spoofing.maxLifetimeSeconds: must be more than 0 and at most 3600 (was 7200)")]
    [DataRow("""{ "maxFilledShare": 2 }""", "rules.spoofing.maxFilledShare: must be 0 to 1 (was 2)")]
    [DataRow("""{ "maxOppositeShare": 0 }""", "rules.spoofing.maxOppositeShare: must be more than 0 and at most 1 (was 0)")]
    public void Parse_SpoofingParameterOutOfRange_NamesIt(string section, string error)
    {
        FraudScanDefinitionException e = ParseFails($$"""{ "rules": { "spoofing": {{section}} } }""");

        CollectionAssert.AreEqual(new[] { error }, e.Errors.ToArray());
    }

    [TestMethod]
    public void Validate_NullSection_NamesIt()
    {
        FraudScanDefinition definition = new() { Rules = new RuleSettings { Spoofing = null! } };

        CollectionAssert.AreEqual(new[] { "rules.spoofing: must be an object, not null" }, FraudScanDefinitionValidator.Validate(definition).ToArray());
    }

    [TestMethod]
    public void RuleSetFrom_OneRuleDisabled_TheOthersInFileOrder()
    {
        FraudScanDefinition definition = new() { Rules = new RuleSettings { Spoofing = new SpoofingSettings { Enabled = false } } };

        RuleSet rules = RuleSet.From(definition);

        CollectionAssert.AreEqual(
            new[] { "wash-trade", "front-running", "marking-the-close", "trading-ahead-of-news", "unusual-volume" },
            rules.Rules.Select(r => r.Name).ToArray());
    }
}
