using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Orchestration.LocalHost.Tests.Infrastructure;
using Orchestration.Workflows.Catalog;
using Orchestration.Workflows.Http;

namespace Orchestration.LocalHost.Tests.Functions;

/// <summary>The local host maps exactly the routes the Functions app has: same patterns, methods and names.</summary>
[TestClass]
public sealed class LocalHostRoutesTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task LocalHost_Endpoints_MatchApiRoutesExactly()
    {
        await using TestHost host = await TestHost.StartAsync(new TestHostOptions(), TestContext.CancellationToken);
        RouteEndpoint[] endpoints = host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToArray();

        string[] mapped = endpoints
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .ToArray();
        string[] expected = ApiRoutes.Endpoints.Select(e => $"{e.Method} /{ApiRoutes.Prefix}/{e.Route}").ToArray();
        CollectionAssert.AreEquivalent(expected, mapped, $"mapped: {string.Join(" | ", mapped)}");

        foreach (HttpEndpointDefinition definition in ApiRoutes.Endpoints)
        {
            RouteEndpoint endpoint = endpoints.Single(e => e.RoutePattern.RawText == $"/{ApiRoutes.Prefix}/{definition.Route}"
                && e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods.Contains(definition.Method));
            Assert.AreEqual(definition.FunctionName, endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName, "the endpoint is named after its function");

            // The local handler takes a DurableTaskClient exactly where the built function has a durableClient binding.
            MethodInfo? handler = endpoint.Metadata.GetMetadata<MethodInfo>();
            Assert.IsNotNull(handler, definition.FunctionName);
            bool takesClient = handler.GetParameters().Any(p => p.ParameterType == typeof(DurableTaskClient));
            bool functionHasClient = FunctionsMetadataTests.BuiltFunctions.Single(f => f.Name == definition.FunctionName).HasBinding("durableClient");
            Assert.AreEqual(functionHasClient, takesClient, $"{definition.FunctionName}: DurableTaskClient parameter");
        }
    }
}
