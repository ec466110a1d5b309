using System.Text.Json;
using Microsoft.DurableTask.Client;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Samples;

namespace Orchestration.Workflows.Tests.Durable;

[TestClass]
public sealed class DurableJsonTests
{
    [TestMethod]
    public void Serialize_Record_CamelCaseWithoutNulls()
    {
        string json = JsonSerializer.Serialize(new ApprovalDecision(true, "alice"), DurableJson.Options);

        Assert.AreEqual("""{"approved":true,"by":"alice"}""", json);
    }

    [TestMethod]
    public void Serialize_Enum_AsString()
    {
        Assert.AreEqual("\"TimedOut\"", JsonSerializer.Serialize(ApprovalOutcome.TimedOut, DurableJson.Options));
        Assert.AreEqual("\"Completed\"", JsonSerializer.Serialize(OrchestrationRuntimeStatus.Completed, DurableJson.Options));
    }

    [TestMethod]
    public void Deserialize_PascalCaseProperties_CaseInsensitive()
    {
        FanOutInput? input = JsonSerializer.Deserialize<FanOutInput>("""{"Count":7,"BATCHSIZE":3}""", DurableJson.Options);

        Assert.AreEqual(new FanOutInput(7, 3), input);
    }

    [TestMethod]
    public void Deserialize_MissingOptionalMembers_UsesConstructorDefaults()
    {
        CountdownInput? input = JsonSerializer.Deserialize<CountdownInput>("""{"remaining":4}""", DurableJson.Options);

        Assert.AreEqual(new CountdownInput(4, 1, 0), input);
    }

    [TestMethod]
    public void Options_Shared_IsReadOnly()
    {
        Assert.IsTrue(DurableJson.Options.IsReadOnly);
    }
}
