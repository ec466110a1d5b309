using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestration.Workflows.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The setting both hosts read the storage account from, as the Functions host does.</summary>
    public const string ConnectionSetting = "AzureWebJobsStorage";

    /// <summary>
    /// Registers <see cref="BlobServiceClient"/> and <see cref="QueueServiceClient"/> for the account in
    /// <c>AzureWebJobsStorage</c>. They are created on first use, so a host that never touches storage does not need it.
    /// </summary>
    public static IServiceCollection AddOrchestrationStorage(this IServiceCollection services)
    {
        services.AddSingleton(sp => new BlobServiceClient(RequireConnection(sp)));
        services.AddSingleton(sp => new QueueServiceClient(
            RequireConnection(sp), new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }));
        return services;
    }

    /// <summary>The storage connection string, or null when none is configured.</summary>
    public static string? GetStorageConnection(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? value = configuration[ConnectionSetting] ?? configuration.GetConnectionString(ConnectionSetting);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    static string RequireConnection(IServiceProvider services) =>
        services.GetRequiredService<IConfiguration>().GetStorageConnection()
        ?? throw new InvalidOperationException(
            $"No storage account is configured: set '{ConnectionSetting}' to a connection string (Azurite: run ./run.sh, which sets it).");
}
