using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orchestration.Workflows.Storage;

namespace Orchestration.Workflows.Tests.Storage;

/// <summary>The storage clients from a connection string (Azurite) and from the identity-based settings deploy.sh sets.</summary>
[TestClass]
public sealed class StorageServiceCollectionExtensionsTests
{
    [TestMethod]
    public void AddOrchestrationStorage_ConnectionString_UsesTheAccountInIt()
    {
        using ServiceProvider services = Build(new()
        {
            ["AzureWebJobsStorage"] = "DefaultEndpointsProtocol=https;AccountName=devaccount;AccountKey=a2V5;EndpointSuffix=core.windows.net",
        });

        Assert.AreEqual("devaccount", services.GetRequiredService<BlobServiceClient>().AccountName);
        Assert.AreEqual("devaccount", services.GetRequiredService<QueueServiceClient>().AccountName);
    }

    [TestMethod]
    public void AddOrchestrationStorage_ServiceUrisWithManagedIdentity_UsesThoseEndpoints()
    {
        using ServiceProvider services = Build(new()
        {
            ["AzureWebJobsStorage:credential"] = "managedidentity",
            ["AzureWebJobsStorage:blobServiceUri"] = "https://prodaccount.blob.core.windows.net",
            ["AzureWebJobsStorage:queueServiceUri"] = "https://prodaccount.queue.core.windows.net",
        });

        Assert.AreEqual(new Uri("https://prodaccount.blob.core.windows.net"), services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.AreEqual(new Uri("https://prodaccount.queue.core.windows.net"), services.GetRequiredService<QueueServiceClient>().Uri);
    }

    [TestMethod]
    public void AddOrchestrationStorage_AccountNameOnly_UsesThePublicEndpoints()
    {
        using ServiceProvider services = Build(new() { ["AzureWebJobsStorage:accountName"] = "prodaccount" });

        Assert.AreEqual(new Uri("https://prodaccount.blob.core.windows.net"), services.GetRequiredService<BlobServiceClient>().Uri);
        Assert.AreEqual(new Uri("https://prodaccount.queue.core.windows.net"), services.GetRequiredService<QueueServiceClient>().Uri);
    }

    [TestMethod]
    public void AddOrchestrationStorage_NothingConfigured_SaysWhatToSet()
    {
        using ServiceProvider services = Build([]);

        InvalidOperationException error = Assert.ThrowsExactly<InvalidOperationException>(() => services.GetRequiredService<BlobServiceClient>());
        StringAssert.Contains(error.Message, "AzureWebJobsStorage__accountName");
    }

    static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddOrchestrationStorage()
            .BuildServiceProvider();
}
