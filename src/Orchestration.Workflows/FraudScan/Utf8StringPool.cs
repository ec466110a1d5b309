using System.Numerics;
using System.Text;

namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Turns UTF-8 bytes into strings, giving the same instance for the same bytes: a day's events then hold each symbol,
/// account, firm, trader and venue once instead of once per event, and a repeated value costs a hash and a compare
/// instead of a decode and an allocation. Keyed by bytes so nothing is decoded to look a value up. Bounded: past
/// <see cref="MaxEntries"/> distinct values, or for long values, strings are made but not kept.
/// </summary>
internal sealed class Utf8StringPool
{
    public const int MaxEntries = 100_000;
    private const int MaxPooledBytes = 128;

    private Entry[] _entries = new Entry[1024];
    private int _count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return "";
        }

        if (utf8.Length > MaxPooledBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        var hash = Partitioning.Fnv1a(utf8);
        var mask = _entries.Length - 1;
        for (var i = Slot(hash); ; i = (i + 1) & mask)
        {
            ref var entry = ref _entries[i];
            if (entry.Utf8 is null)
            {
                return Add(ref entry, hash, utf8);
            }

            if (entry.Hash == hash && utf8.SequenceEqual(entry.Utf8))
            {
                return entry.Value;
            }
        }
    }

    /// <summary>Fibonacci hashing: spreads FNV's weaker low bits over the table.</summary>
    private int Slot(uint hash) => (int)((hash * 2654435769u) >> (32 - BitOperations.Log2((uint)_entries.Length)));

    private string Add(ref Entry entry, uint hash, ReadOnlySpan<byte> utf8)
    {
        var value = Encoding.UTF8.GetString(utf8);
        if (_count >= MaxEntries)
        {
            return value;
        }

        entry = new Entry(hash, utf8.ToArray(), value);
        if (++_count * 2 > _entries.Length)
        {
            Grow();
        }

        return value;
    }

    private void Grow()
    {
        var old = _entries;
        _entries = new Entry[old.Length * 2];
        var mask = _entries.Length - 1;
        foreach (var entry in old)
        {
            if (entry.Utf8 is null)
            {
                continue;
            }

            var i = Slot(entry.Hash);
            while (_entries[i].Utf8 is not null)
            {
                i = (i + 1) & mask;
            }

            _entries[i] = entry;
        }
    }

    private readonly record struct Entry(uint Hash, byte[]? Utf8, string Value);
}
