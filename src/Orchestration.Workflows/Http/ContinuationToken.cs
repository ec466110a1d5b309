using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Orchestration.Workflows.Http;

/// <summary>
/// Page tokens as the API hands them out: the backend's token in base64url, so it survives headers and query strings
/// unchanged (the Azure Storage backend's raw tokens end in a space, which a header drops).
/// </summary>
/// <remarks>
/// A page filtered by workflow may end inside a backend page: its token then also says how many instances of that
/// backend page to skip (<c>\u001f{skip}\u001f{backend token}</c> before encoding; a backend token never starts so).
/// </remarks>
public static class ContinuationToken
{
    const char Mark = '\u001f';

    public static string Encode(string backendToken) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(backendToken));

    /// <summary>Resume at the <paramref name="skip"/>-th instance of the backend page <paramref name="backendToken"/> (null: the first page).</summary>
    public static string Encode(string? backendToken, int skip) =>
        skip == 0 && !string.IsNullOrEmpty(backendToken)
            ? Encode(backendToken)
            : Encode(string.Create(CultureInfo.InvariantCulture, $"{Mark}{skip}{Mark}{backendToken}"));

    /// <summary>Decodes either kind of token: the backend token (null for the first page) and how many of its instances to skip.</summary>
    public static bool TryDecode(string apiToken, out string? backendToken, out int skip)
    {
        skip = 0;
        if (!TryDecode(apiToken, out backendToken) || backendToken is null || backendToken[0] != Mark)
        {
            return backendToken is not null;
        }

        int second = backendToken.IndexOf(Mark, 1);
        if (second < 0
            || !int.TryParse(backendToken.AsSpan(1, second - 1), NumberStyles.None, CultureInfo.InvariantCulture, out skip)
            || skip is < 0 or > WorkflowApi.FilteredBackendPageSize)
        {
            backendToken = null;
            skip = 0;
            return false;
        }

        backendToken = second + 1 < backendToken.Length ? backendToken[(second + 1)..] : null;
        return true;
    }

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
