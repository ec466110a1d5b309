namespace Orchestration.Workflows.FraudScan;

/// <summary>
/// Value → index for the strings a day repeats (the partition format's tables on the writing side, a scan's
/// <see cref="HeldStrings"/>), by open addressing with the value, its hash and its index in one slot. Such tables are
/// looked up once per field of every event while the input streams through the cache, so they are mostly cold: one slot
/// is one cache miss where a <see cref="Dictionary{TKey, TValue}"/>'s bucket and entry are two. Values the parser
/// interned match by reference, without comparing characters; other instances of the same value match by value.
/// </summary>
internal sealed class StringIndex
{
    private Slot[] _slots = new Slot[16];
    private int _shift = 32 - 4;

    public int Count { get; private set; }

    /// <summary>The slot holding <paramref name="value"/>, or the empty slot where it would go (for <see cref="Add"/>).</summary>
    public ref Slot Find(string value)
    {
        var hash = Hash(value);
        var mask = _slots.Length - 1;
        for (var i = Home(hash); ; i = (i + 1) & mask)
        {
            ref var slot = ref _slots[i];
            if (slot.Value is null || ReferenceEquals(slot.Value, value) || (slot.Hash == hash && string.Equals(slot.Value, value, StringComparison.Ordinal)))
            {
                slot.Hash = hash;
                return ref slot;
            }
        }
    }

    /// <summary>Puts <paramref name="value"/> with the next index into <paramref name="slot"/>, the empty one <see cref="Find"/> gave.</summary>
    public void Add(ref Slot slot, string value)
    {
        slot.Value = value;
        slot.Index = Count++;
        if (Count * 2 > _slots.Length)
        {
            Grow();
        }
    }

    /// <summary>FNV-1a over the UTF-16 code units: cheap for the short values tables hold.</summary>
    private static uint Hash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    /// <summary>Fibonacci hashing: spreads FNV's weaker low bits over the slots.</summary>
    private int Home(uint hash) => (int)((hash * 2654435769u) >> _shift);

    private void Grow()
    {
        var old = _slots;
        _slots = new Slot[old.Length * 2];
        _shift--;
        var mask = _slots.Length - 1;
        foreach (var slot in old)
        {
            if (slot.Value is null)
            {
                continue;
            }

            var i = Home(slot.Hash);
            while (_slots[i].Value is not null)
            {
                i = (i + 1) & mask;
            }

            _slots[i] = slot;
        }
    }

    public struct Slot
    {
        public string? Value;
        public uint Hash;
        public int Index;
    }
}
