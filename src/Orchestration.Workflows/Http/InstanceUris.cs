using Microsoft.AspNetCore.Http;

namespace Orchestration.Workflows.Http;

/// <summary>
/// Builds the management URIs for an instance from the request that asked, honouring <c>X-Forwarded-Host</c> and
/// <c>X-Forwarded-Proto</c> (first value; ignored unless well-formed, so a hostile header cannot inject a URL).
/// </summary>
public static class InstanceUris
{
    public static string BaseUri(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string scheme = request.Scheme;
        string? forwardedProto = First(request.Headers["X-Forwarded-Proto"]);
        if (forwardedProto is not null
            && (forwardedProto.Equals("https", StringComparison.OrdinalIgnoreCase) || forwardedProto.Equals("http", StringComparison.OrdinalIgnoreCase)))
        {
            scheme = forwardedProto.ToLowerInvariant();
        }

        string host = request.Host.HasValue ? request.Host.Value! : "localhost";
        string? forwardedHost = First(request.Headers["X-Forwarded-Host"]);
        if (forwardedHost is not null && IsHostAndPort(forwardedHost))
        {
            host = forwardedHost;
        }

        return $"{scheme}://{host}/{ApiRoutes.Prefix}";
    }

    public static CheckStatusPayload CheckStatus(HttpRequest request, string instanceId)
    {
        string instance = $"{BaseUri(request)}/{ApiRoutes.Instances}/{Uri.EscapeDataString(instanceId)}";
        return new CheckStatusPayload(
            Id: instanceId,
            StatusQueryGetUri: instance,
            SendEventPostUri: $"{instance}/raiseEvent/{{eventName}}",
            TerminatePostUri: $"{instance}/terminate?reason={{text}}",
            PurgeHistoryDeleteUri: instance,
            SuspendPostUri: $"{instance}/suspend?reason={{text}}",
            ResumePostUri: $"{instance}/resume?reason={{text}}",
            RestartPostUri: $"{instance}/restart");
    }

    static string? First(Microsoft.Extensions.Primitives.StringValues values)
    {
        string? raw = values.FirstOrDefault();
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        int comma = raw.IndexOf(',', StringComparison.Ordinal);
        return (comma >= 0 ? raw[..comma] : raw).Trim();
    }

    static bool IsHostAndPort(string value)
    {
        if (value.Length > 255 || !Uri.TryCreate($"http://{value}/", UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        // Round-trip check: nothing but host[:port] may be in the value (no path, user info or query).
        string expected = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        return string.Equals(expected, value, StringComparison.OrdinalIgnoreCase)
            && uri.HostNameType is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;
    }
}
