using Microsoft.Extensions.DependencyInjection;
using Orchestration.Workflows.Imaging;

namespace Orchestration.Workflows.Tests.ImagePipeline;

[TestClass]
public sealed class ImagePipelineServicesTests
{
    [TestMethod]
    public void AddOrchestrationWorkflows_Definition_LoadedOnceFromTheShippedWorkflowJson()
    {
        using ServiceProvider services = new ServiceCollection().AddOrchestrationWorkflows().BuildServiceProvider();

        ImagePipelineDefinition definition = services.GetRequiredService<ImagePipelineDefinition>();

        Assert.AreSame(definition, services.GetRequiredService<ImagePipelineDefinition>());
        Assert.AreEqual(ImagePipelineDefinitionLoader.Load(ImagePipelineDefinitionLoader.DefaultPath).Profiles.Count, definition.Profiles.Count);
        Assert.IsNotNull(services.GetRequiredService<VariantRenderer>());
    }
}
