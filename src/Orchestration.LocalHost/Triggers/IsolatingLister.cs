using System.Text;
using System.Xml;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Orchestration.Workflows.Storage;

namespace Orchestration.LocalHost.Triggers;

/// <summary>
/// Lists a container whose plain listing fails because of one blob's name. Azure escapes a name holding a character XML
/// 1.0 cannot carry (C0 controls other than TAB, LF, CR) as <c>&lt;Name Encoded="true"&gt;</c>; Azurite cannot, answers
/// 500 with an empty body, and the SDK then reports an <see cref="XmlException"/> — for the whole container. This lister
/// pages from the start and, where a page fails, finds the one name it cannot return and steps over it, so every other
/// blob is still listed. It relies on what Azurite does with <c>startFrom</c> (lists the names ordinally at or after it,
/// and does not echo it into the XML, unlike a marker or a prefix), and asks for no retries: a failed probe is an answer
/// here, not a fault.
/// </summary>
/// <param name="container">A client of the watched container whose pipeline does not retry.</param>
internal sealed class IsolatingLister(BlobContainerClient container)
{
    const int PageSize = 500;

    /// <summary>About 18 probes find one character; this bounds a search of a name of ~1,000 characters.</summary>
    const int MaxProbes = 20_000;

    /// <summary>Every code unit but the surrogates (a lone surrogate cannot travel in a URL).</summary>
    const int Alphabet = 0x10000 - 0x800;

    public sealed record Listing(IReadOnlyList<BlobItem> Blobs, IReadOnlyList<string> Unlistable);

    /// <summary>
    /// Whether <paramref name="exception"/> is what a listing gives when one name cannot be put into its XML (Azurite's
    /// empty 500, read by the SDK as XML): worth isolating, unlike an unreachable or refusing account.
    /// </summary>
    public static bool MayBeAName(Exception exception) =>
        exception is XmlException || exception is RequestFailedException { Status: 500 } || exception.InnerException is XmlException;

    /// <summary>
    /// The whole container: the blobs it can list and the names it cannot. <paramref name="known"/> holds names found
    /// unlistable before: one that is still exactly where the listing fails is stepped over without a search.
    /// Throws when the failures are not about a name.
    /// </summary>
    public async Task<Listing> ListAsync(IReadOnlyCollection<string> known, CancellationToken cancellationToken)
    {
        var blobs = new List<BlobItem>();
        var unlistable = new List<string>();
        var at = new Position(null, string.Empty);
        int size = PageSize;
        while (true)
        {
            (Page<BlobItem>? page, Exception? failure) = await TryPageAsync(at, size, cancellationToken);
            if (page is not null)
            {
                blobs.AddRange(page.Values);
                if (string.IsNullOrEmpty(page.ContinuationToken))
                {
                    return new Listing(blobs, unlistable);
                }

                at = at with { Marker = page.ContinuationToken };
                continue;
            }

            if (size > 1)
            {
                // Narrow down: the good blobs before the bad one come through in smaller pages.
                size = Math.Max(1, size / 10);
                continue;
            }

            string bad = await KnownNextAsync(known, at, cancellationToken) ?? await SearchAsync(at, failure!, cancellationToken);
            unlistable.Add(bad);
            at = new Position(null, bad + "\0"); // the smallest name after it
            size = PageSize;
        }
    }

    /// <summary>Where a listing stands: after <paramref name="Marker"/> (a name it returned) and at or after <paramref name="StartFrom"/>.</summary>
    sealed record Position(string? Marker, string StartFrom)
    {
        /// <summary>Whether a probe from <paramref name="startFrom"/> would start at or before this position (its answer is known: it fails).</summary>
        public bool Covers(string startFrom) =>
            string.CompareOrdinal(startFrom, StartFrom) <= 0 || (Marker is not null && string.CompareOrdinal(startFrom, Marker) <= 0);
    }

    /// <summary>A name of <paramref name="known"/> that is exactly the next one at <paramref name="at"/>: the listing fails from it and succeeds just past it.</summary>
    async Task<string?> KnownNextAsync(IReadOnlyCollection<string> known, Position at, CancellationToken cancellationToken)
    {
        string? next = known.Where(n => !at.Covers(n)).Order(StringComparer.Ordinal).FirstOrDefault();
        return next is not null
            && (await TryPageAsync(new Position(null, next), 1, cancellationToken)).Page is null
            && (await TryPageAsync(new Position(null, next + "\0"), 1, cancellationToken)).Page is not null
            ? next
            : null;
    }

    /// <summary>
    /// The name of the first blob at <paramref name="at"/>, which no listing can return, found character by character.
    /// Probe: a listing of one blob from <c>startFrom</c> X fails exactly when X sorts at or before that name (nothing lies
    /// between <paramref name="at"/> and it). For each position a binary search finds the smallest character that makes
    /// the probe succeed: one past the name's next character. The name is whole when the probe just past it succeeds.
    /// </summary>
    async Task<string> SearchAsync(Position at, Exception failure, CancellationToken cancellationToken)
    {
        int probes = 0;
        async Task<bool> FailsAsync(string startFrom)
        {
            if (at.Covers(startFrom))
            {
                return true;
            }

            if (++probes > MaxProbes)
            {
                throw new InvalidOperationException($"Listing {container.Name} fails at '{BlobNames.ForLog(at.Marker ?? at.StartFrom)}' and the name in the way was not found within {MaxProbes} probes: {failure.Message}", failure);
            }

            return (await TryPageAsync(new Position(null, startFrom), 1, cancellationToken)).Page is null;
        }

        // A listing that fails from past every plausible name is not about a name: report the listing's own failure.
        if (await FailsAsync("\uFFFF"))
        {
            throw new InvalidOperationException($"Listing {container.Name} fails whatever the position: {failure.Message}", failure);
        }

        var known = new StringBuilder();
        while (known.Length < BlobRef.MaxNameLength)
        {
            if (known.Length > 0 && !await FailsAsync(known + "\0"))
            {
                return known.ToString();
            }

            int lo = 0;
            int hi = Alphabet - 1;
            if (await FailsAsync(known + Char(hi).ToString()))
            {
                break; // the next character is U+FFFF or a surrogate: beyond this search
            }

            while (lo < hi)
            {
                int mid = lo + ((hi - lo) / 2);
                if (await FailsAsync(known + Char(mid).ToString()))
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            if (lo == 0)
            {
                break;
            }

            known.Append(Char(lo - 1));
        }

        throw new InvalidOperationException($"Listing {container.Name} fails at '{BlobNames.ForLog(at.Marker ?? at.StartFrom)}' at a name this search cannot spell: {failure.Message}", failure);
    }

    static char Char(int index) => (char)(index < 0xD800 ? index : index + 0x800);

    /// <summary>One page at <paramref name="at"/>, or the failure that looks like a name in the way; other failures throw.</summary>
    async Task<(Page<BlobItem>? Page, Exception? Failure)> TryPageAsync(Position at, int size, CancellationToken cancellationToken)
    {
        try
        {
            var options = new GetBlobsOptions { StartFrom = at.StartFrom.Length == 0 ? null : at.StartFrom };
            await foreach (Page<BlobItem> page in container.GetBlobsAsync(options, cancellationToken).AsPages(at.Marker, size))
            {
                return (page, null);
            }

            return (null, new InvalidOperationException("The listing returned no page."));
        }
        catch (Exception ex) when (MayBeAName(ex) && !cancellationToken.IsCancellationRequested)
        {
            return (null, ex);
        }
    }
}
