using Microsoft.AspNetCore.Http;

namespace Orchestration.Workflows.Http;

/// <summary>
/// Builds the management URIs for an instance from the request that asked, honouring <c>X-Forwarded-Host</c> and
/// <c>X-Forwarded-Proto</c> (first value; ignored unless well-formed ASCII, so a hostile header can neither inject a URL
/// nor put a character into <c>Location</c> that the server cannot send). The request's own <c>Host</c> must be valid:
/// handlers that return URIs refuse the request with <see cref="HostProblem"/> before doing anything.
/// </summary>
public static class InstanceUris
{
    /// <summary>
    /// A 400 when the request's own <c>Host</c> is not <c>host[:port]</c> (ASCII name or IP address, port 1–65535): it
    /// would be echoed into every URI the API returns. Null when it is fine or absent.
    /// </summary>
    public static IResult? HostProblem(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string? host = request.Host.Value;
        if (string.IsNullOrEmpty(host) || IsHostHeader(host))
        {
            return null;
        }

        string shown = string.Concat(host.Take(64).Select(c => c is >= ' ' and < (char)0x7f ? c : '?'));
        return ApiProblems.BadRequest(
            $"Host: '{shown}' is not a host name or IP address with an optional port from 1 to 65535; send the name this API is reached by.");
    }

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

        string host = request.Host.HasValue && IsHostHeader(request.Host.Value!) ? request.Host.Value! : "localhost";
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

    /// <summary>
    /// <c>host[:port]</c> as a Host header may hold it: an ASCII DNS name, IPv4 address or bracketed IPv6 address, and
    /// a port of 1–5 digits from 1 to 65535.
    /// </summary>
    static bool IsHostHeader(string value)
    {
        if (value.Length is 0 or > 255 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']'))
        {
            return false;
        }

        string host = value;
        string? port = null;
        if (value.StartsWith('['))
        {
            int end = value.IndexOf(']', StringComparison.Ordinal);
            if (end < 0 || (end + 1 < value.Length && value[end + 1] != ':'))
            {
                return false;
            }

            host = value[1..end];
            port = end + 1 < value.Length ? value[(end + 2)..] : null;
            if (Uri.CheckHostName(host) != UriHostNameType.IPv6)
            {
                return false;
            }
        }
        else
        {
            int colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                host = value[..colon];
                port = value[(colon + 1)..];
            }

            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                return false;
            }
        }

        return port is null
            || (port.Length is >= 1 and <= 5 && port.All(char.IsAsciiDigit) && int.Parse(port, System.Globalization.CultureInfo.InvariantCulture) is >= 1 and <= 65535);
    }

    static bool IsHostAndPort(string value)
    {
        if (!IsHostHeader(value) || !Uri.TryCreate($"http://{value}/", UriKind.Absolute, out Uri? uri))
        {
            return false;
        }

        // Round-trip check: nothing but host[:port] may be in the value (no path, user info or query).
        string expected = uri.IsDefaultPort ? uri.Host : $"{uri.Host}:{uri.Port}";
        return string.Equals(expected, value, StringComparison.OrdinalIgnoreCase)
            && uri.HostNameType is UriHostNameType.Dns or UriHostNameType.IPv4 or UriHostNameType.IPv6;
    }
}
