using System.Buffers.Text;
using System.Text;

namespace Orchestration.Workflows.Http;

/// <summary>
/// Page tokens as the API hands them out: the backend's token in base64url, so it survives headers and query strings
/// unchanged (the Azure Storage backend's raw tokens end in a space, which a header drops).
/// </summary>
public static class ContinuationToken
{
    public static string Encode(string backendToken) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(backendToken));

    public static bool TryDecode(string apiToken, out string? backendToken)
    {
        ArgumentNullException.ThrowIfNull(apiToken);
        backendToken = null;
        if (apiToken.Length > 8192 || !Base64Url.IsValid(apiToken))
        {
            return false;
        }

        try
        {
            backendToken = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Base64Url.DecodeFromChars(apiToken));
            return backendToken.Length > 0;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
