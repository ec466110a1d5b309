using System.Buffers.Binary;
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

        var hash = Hash(utf8);
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

    /// <summary>
    /// A hash of the bytes eight at a time (these values are short: 2–16 bytes), multiplied through so every byte reaches
    /// the high bits <see cref="Slot"/> takes. A byte-at-a-time hash was a third of the pool's cost.
    /// </summary>
    private static uint Hash(ReadOnlySpan<byte> utf8)
    {
        var hash = (ulong)utf8.Length;
        while (utf8.Length >= sizeof(ulong))
        {
            hash = (hash ^ BinaryPrimitives.ReadUInt64LittleEndian(utf8)) * 0x9E3779B97F4A7C15UL;
            utf8 = utf8[sizeof(ulong)..];
        }

        if (!utf8.IsEmpty)
        {
            ulong tail = 0;
            for (var i = 0; i < utf8.Length; i++)
            {
                tail |= (ulong)utf8[i] << (8 * i);
            }

            hash = (hash ^ tail) * 0x9E3779B97F4A7C15UL;
        }

        return (uint)(hash >> 32) ^ (uint)hash;
    }

    /// <summary>Fibonacci hashing: spreads the hash over the table by its high bits.</summary>
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
