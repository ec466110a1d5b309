using Azure.Core.Serialization;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orchestration.Functions;
using Orchestration.Workflows;
using Orchestration.Workflows.Durable;
using Orchestration.Workflows.Imaging;

FunctionsApplicationBuilder builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<ProblemMiddleware>();
builder.Services.AddOrchestrationWorkflows();

// One JSON shape for inputs, outputs and custom status in both hosts (camelCase, enums as strings).
builder.Services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(DurableJson.Options));

IHost app = builder.Build();

// A bad workflow.json stops the app here.
app.Services.LoadWorkflowDefinitions();
await app.RunAsync();
