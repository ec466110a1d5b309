using Microsoft.DurableTask;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Tests.Catalog;

[TestClass]
public sealed class WorkflowCatalogTests
{
    /// <summary>The TInput of a <c>TaskOrchestrator&lt;TInput, TOutput&gt;</c> subclass.</summary>
    static Type? OrchestratorInput(Type orchestrator)
    {
        for (Type? t = orchestrator; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(TaskOrchestrator<,>))
            {
                return t.GetGenericArguments()[0];
            }
        }

        return null;
    }

    [TestMethod]
    public void Workflows_EveryOrchestrator_IsARegisteredOrchestratorClass()
    {
        var orchestratorNames = WorkflowCatalog.Orchestrators.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);

        foreach (WorkflowDefinition workflow in WorkflowCatalog.Workflows)
        {
            Assert.Contains(workflow.Orchestrator, orchestratorNames, $"workflow {workflow.Name}");
        }
    }

    [TestMethod]
    public void Workflows_InputType_MatchesTheOrchestratorsInput()
    {
        foreach (WorkflowDefinition workflow in WorkflowCatalog.Workflows)
        {
            Type orchestrator = WorkflowCatalog.Orchestrators.Single(t => t.Name == workflow.Orchestrator);
            Assert.AreEqual(OrchestratorInput(orchestrator), workflow.InputType, $"workflow {workflow.Name}");
        }
    }

    [TestMethod]
    public void Workflows_InputType_IsValidatable()
    {
        foreach (WorkflowDefinition workflow in WorkflowCatalog.Workflows)
        {
            Assert.IsTrue(typeof(IValidatableInput).IsAssignableFrom(workflow.InputType), $"workflow {workflow.Name}: input is never validated");
        }
    }

    [TestMethod]
    public void Workflows_Names_UniqueIgnoringCaseAndKebabCase()
    {
        string[] names = WorkflowCatalog.Workflows.Select(w => w.Name).ToArray();

        Assert.HasCount(names.Length, names.Distinct(StringComparer.OrdinalIgnoreCase).ToList());
        foreach (string name in names)
        {
            Assert.MatchesRegex("^[a-z0-9]+(-[a-z0-9]+)*$", name);
        }
    }

    [TestMethod]
    public void OrchestratorsAndActivities_ClassNames_UniqueAcrossBoth()
    {
        string[] names = WorkflowCatalog.Orchestrators.Concat(WorkflowCatalog.Activities).Select(t => t.Name).ToArray();

        Assert.HasCount(names.Length, names.Distinct(StringComparer.Ordinal).ToList());
    }

    [TestMethod]
    public void Orchestrators_All_DeriveFromTaskOrchestrator()
    {
        foreach (Type type in WorkflowCatalog.Orchestrators)
        {
            Assert.IsTrue(typeof(ITaskOrchestrator).IsAssignableFrom(type), type.Name);
        }
    }

    [TestMethod]
    public void Activities_All_DeriveFromTaskActivity()
    {
        foreach (Type type in WorkflowCatalog.Activities)
        {
            Assert.IsTrue(typeof(ITaskActivity).IsAssignableFrom(type), type.Name);
        }
    }

    [TestMethod]
    public void BlobTriggers_Each_NamesAWorkflowReadingABlobRef()
    {
        Assert.IsNotEmpty(WorkflowCatalog.BlobTriggers);
        foreach (BlobTriggerDefinition trigger in WorkflowCatalog.BlobTriggers)
        {
            WorkflowDefinition? workflow = WorkflowCatalog.FindWorkflow(trigger.Workflow);
            Assert.IsNotNull(workflow, $"trigger {trigger.FunctionName} names unknown workflow {trigger.Workflow}");
            Assert.IsTrue(BlobRef.IsValidContainerName(trigger.Container), trigger.Container);

            // The starter passes a BlobRef; the workflow's input must read that JSON as a valid input.
            string json = System.Text.Json.JsonSerializer.Serialize(new BlobRef(trigger.Container, "dir/a b.jpg", "\"0x8D1\""), DurableJson.Options);
            object? input = System.Text.Json.JsonSerializer.Deserialize(json, workflow.InputType, DurableJson.Options);
            Assert.IsNotNull(input, trigger.FunctionName);
            Assert.IsEmpty(((IValidatableInput)input).Validate(), $"{trigger.FunctionName}: a BlobRef is not a valid {workflow.InputType.Name}");
        }
    }

    [TestMethod]
    public void BlobTriggers_FunctionNames_Unique()
    {
        Assert.HasCount(WorkflowCatalog.BlobTriggers.Count, WorkflowCatalog.BlobTriggers.Select(t => t.FunctionName).Distinct().ToList());
    }

    [TestMethod]
    public void HttpEndpoints_MethodAndRoute_UniqueAndFunctionNamesUnique()
    {
        IReadOnlyList<HttpEndpointDefinition> endpoints = WorkflowCatalog.HttpEndpoints;

        Assert.HasCount(endpoints.Count, endpoints.Select(e => e.FunctionName).Distinct().ToList());
        Assert.HasCount(endpoints.Count, endpoints.Select(e => $"{e.Method} {e.Route}").Distinct().ToList());
    }

    [TestMethod]
    [DataRow("fan-out")]
    [DataRow("Fan-Out")]
    [DataRow("FAN-OUT")]
    public void FindWorkflow_AnyCase_Found(string name)
    {
        Assert.AreEqual("FanOutOrchestrator", WorkflowCatalog.FindWorkflow(name)?.Orchestrator);
    }

    [TestMethod]
    public void FindWorkflow_Unknown_Null()
    {
        Assert.IsNull(WorkflowCatalog.FindWorkflow("fanout"));
    }

    [TestMethod]
    public void FindByOrchestrator_SubOrchestratorOnly_Null()
    {
        Assert.AreEqual("countdown", WorkflowCatalog.FindByOrchestrator("CountdownOrchestrator")?.Name);
        Assert.IsNull(WorkflowCatalog.FindByOrchestrator("FanOutBatchOrchestrator"));
        Assert.IsNull(WorkflowCatalog.FindByOrchestrator("countdownorchestrator"), "task names are case-sensitive");
    }

    [TestMethod]
    public void AddWorkflowTasks_Registry_HasEveryOrchestratorAndActivityByClassName()
    {
        var registry = new DurableTaskRegistry();

        DurableTaskRegistry returned = registry.AddWorkflowTasks();

        Assert.AreSame(registry, returned);
        CollectionAssert.AreEquivalent(
            new[] { "HelloSequenceOrchestrator", "FanOutOrchestrator", "FanOutBatchOrchestrator", "ApprovalOrchestrator", "CountdownOrchestrator", "BlobDigestOrchestrator", "ImagePipelineOrchestrator",
                "FraudScanOrchestrator", "ScanPartitionsOrchestrator" },
            registry.GetOrchestrators().Select(o => o.Key.Name).ToArray());
        CollectionAssert.AreEquivalent(
            new[] { "SayHelloActivity", "SquareActivity", "SumActivity", "ComputeBlobDigestActivity", "WriteBlobDigestActivity", "RejectBlobDigestActivity",
                "InspectImageActivity", "RenderVariantsActivity", "WriteManifestActivity", "RejectImageActivity", "MarkSourceDoneActivity", "ListImagesActivity",
                "StoreInlineEventsActivity", "ResolveScanInputsActivity", "PartitionFileActivity", "ScanPartitionActivity", "WriteFraudReportActivity", "DeleteScanWorkActivity",
            },
            registry.GetActivities().Select(a => a.Key.Name).ToArray());
    }
}
