using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Orchestration.Workflows.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The setting both hosts read the storage account from, as the Functions host does.</summary>
    public const string ConnectionSetting = "AzureWebJobsStorage";

    /// <summary>
    /// Registers <see cref="BlobServiceClient"/> and <see cref="QueueServiceClient"/> for the account in
    /// <c>AzureWebJobsStorage</c>: a connection string (Azurite, local runs), or in Azure the identity-based form the
    /// Functions host reads too — <c>AzureWebJobsStorage__blobServiceUri</c> / <c>__queueServiceUri</c> or
    /// <c>__accountName</c>, with <c>__credential=managedidentity</c> (and <c>__clientId</c> for a user-assigned
    /// identity). The clients are created on first use, so a host that never touches storage does not need it.
    /// </summary>
    public static IServiceCollection AddOrchestrationStorage(this IServiceCollection services)
    {
        // AzureComponentFactory turns the credential settings into a TokenCredential by the same rules as the host.
        services.AddAzureClientsCore();
        services.AddSingleton(sp => RequireAccount(sp) switch
        {
            { Connection: { } connection } => new BlobServiceClient(connection),
            var account => new BlobServiceClient(account.ServiceUri("blob"), account.Credential(sp)),
        });
        services.AddSingleton(sp =>
        {
            var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
            return RequireAccount(sp) switch
            {
                { Connection: { } connection } => new QueueServiceClient(connection, options),
                var account => new QueueServiceClient(account.ServiceUri("queue"), account.Credential(sp), options),
            };
        });
        return services;
    }

    /// <summary>The storage connection string, or null when none is configured (identity-based settings are not one).</summary>
    public static string? GetStorageConnection(this IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? value = configuration[ConnectionSetting] ?? configuration.GetConnectionString(ConnectionSetting);
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    static StorageAccount RequireAccount(IServiceProvider services)
    {
        IConfiguration configuration = services.GetRequiredService<IConfiguration>();
        IConfigurationSection section = configuration.GetSection(ConnectionSetting);
        string? connection = configuration.GetStorageConnection();
        if (connection is null && section["blobServiceUri"] is null && section["queueServiceUri"] is null && section["accountName"] is null)
        {
            throw new InvalidOperationException(
                $"No storage account is configured: set '{ConnectionSetting}' to a connection string (Azurite: run ./run.sh, which sets it) "
                + $"or, with a managed identity, '{ConnectionSetting}__accountName' (or __blobServiceUri and __queueServiceUri).");
        }

        return new StorageAccount(connection, section);
    }

    /// <summary>A connection string, or else the identity-based settings under <c>AzureWebJobsStorage</c>.</summary>
    sealed record StorageAccount(string? Connection, IConfigurationSection Settings)
    {
        /// <summary><c>{service}ServiceUri</c> if set, else the public-cloud endpoint of <c>accountName</c>.</summary>
        public Uri ServiceUri(string service) =>
            Settings[$"{service}ServiceUri"] is { Length: > 0 } uri
                ? new Uri(uri)
                : Settings["accountName"] is { Length: > 0 } name
                    ? new Uri($"https://{name}.{service}.core.windows.net")
                    : throw new InvalidOperationException(
                        $"'{ConnectionSetting}__{service}ServiceUri' (or '{ConnectionSetting}__accountName') is not set.");

        public TokenCredential Credential(IServiceProvider services) =>
            services.GetRequiredService<AzureComponentFactory>().CreateTokenCredential(Settings);
    }
}
