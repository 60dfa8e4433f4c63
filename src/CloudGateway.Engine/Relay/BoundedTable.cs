namespace CloudGateway.Relay;

/// <summary>
/// A dictionary of at most a fixed number of entries that forgets the entry used least recently when a new one
/// would not fit, so that strangers can fill it but never grow it. Not thread-safe: the owner locks around it.
/// </summary>
internal sealed class BoundedTable<TKey, TValue>(int capacity, IEqualityComparer<TKey>? comparer = null)
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _entries = new(comparer);
    private readonly LinkedList<(TKey Key, TValue Value)> _byUse = new();

    /// <summary>How many entries the table holds now.</summary>
    public int Count => _entries.Count;

    /// <summary>The entry for <paramref name="key"/>, marked as used now, or false when there is none.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var node))
        {
            Touch(node);
            value = node.Value.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>The entry for <paramref name="key"/>, made by <paramref name="create"/> when there is none, marked as used now.</summary>
    public TValue GetOrAdd(TKey key, Func<TValue> create)
    {
        if (TryGet(key, out var value))
        {
            return value;
        }

        Set(key, value = create());
        return value;
    }

    /// <summary>Adds or replaces the entry for <paramref name="key"/>, marked as used now.</summary>
    public void Set(TKey key, TValue value)
    {
        if (_entries.Remove(key, out var old))
        {
            _byUse.Remove(old);
        }
        else if (_entries.Count >= capacity)
        {
            _entries.Remove(_byUse.First!.Value.Key);
            _byUse.RemoveFirst();
        }

        _entries[key] = _byUse.AddLast((key, value));
    }

    /// <summary>Removes the entry for <paramref name="key"/>, if any.</summary>
    public void Remove(TKey key)
    {
        if (_entries.Remove(key, out var node))
        {
            _byUse.Remove(node);
        }
    }

    /// <summary>Removes every entry whose key matches <paramref name="match"/>.</summary>
    public void RemoveWhere(Func<TKey, bool> match)
    {
        foreach (var key in _entries.Keys.Where(match).ToList())
        {
            Remove(key);
        }
    }

    private void Touch(LinkedListNode<(TKey Key, TValue Value)> node)
    {
        _byUse.Remove(node);
        _byUse.AddLast(node);
    }
}
