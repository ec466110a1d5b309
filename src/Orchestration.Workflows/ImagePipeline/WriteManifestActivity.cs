using Azure;
using Azure.Storage.Blobs;
using Microsoft.DurableTask;
using Orchestration.Workflows.Imaging;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.ImagePipeline;

/// <summary>Writes <c>{output}/{stem}/manifest.json</c> (overwriting: a re-run replaces it). Returns its path.</summary>
public sealed class WriteManifestActivity(BlobServiceClient blobs, ImagePipelineDefinition definition) : TaskActivity<Manifest, string>
{
    public override async Task<string> RunAsync(TaskActivityContext context, Manifest input)
    {
        ArgumentNullException.ThrowIfNull(input);
        string outputContainer = definition.Containers.Output;
        string name = ImagePaths.ManifestBlobName(input.Stem);
        BlobContainerClient container = blobs.GetBlobContainerClient(outputContainer);
        try
        {
            await container.CreateIfNotExistsAsync();
            await BlobJson.UploadAsync(container.GetBlobClient(name), input);
        }
        catch (RequestFailedException ex) when (StorageErrors.IsPermanent(ex))
        {
            throw StorageErrors.Explain(ex, outputContainer, name);
        }

        return $"{outputContainer}/{name}";
    }
}
