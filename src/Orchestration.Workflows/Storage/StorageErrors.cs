using Azure;

namespace Orchestration.Workflows.Storage;

/// <summary>Tells storage faults a retry can fix from those it cannot, and words the latter for a user.</summary>
public static class StorageErrors
{
    /// <summary>
    /// Client errors that retrying will not change (the blob is gone, access is denied, it changed). Not InvalidBlockList:
    /// two writers committing the same blob at once (a re-delivered activity, a second host) make one commit fail with it,
    /// and writing again succeeds.
    /// </summary>
    public static bool IsPermanent(RequestFailedException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return ex.Status is 400 or 401 or 403 or 404 or 412 && ex.ErrorCode != "InvalidBlockList";
    }

    /// <summary>A non-retriable exception whose message says what happened to which blob.</summary>
    public static InvalidOperationException Explain(RequestFailedException ex, string container, string name)
    {
        ArgumentNullException.ThrowIfNull(ex);
        string what = ex.Status switch
        {
            404 => "does not exist (deleted after it was triggered?)",
            412 => "changed after it was triggered; the new version is processed by its own run",
            401 or 403 => "cannot be read with the configured credentials",
            _ => $"was refused by storage ({ex.Status} {ex.ErrorCode})",
        };
        return new InvalidOperationException($"Blob '{container}/{BlobNames.ForLog(name)}' {what}.", ex);
    }
}
