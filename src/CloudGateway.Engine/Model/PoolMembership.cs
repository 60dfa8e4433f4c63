namespace CloudGateway.Model;

/// <summary>
/// Computes a pool's new member list from an optional replacement list plus gateways to add and remove, so an
/// administrator can add or drop one member without retyping the others. Names compare without regard to case.
/// </summary>
public static class PoolMembership
{
    /// <summary>
    /// Starts from <paramref name="replacement"/> (or <paramref name="current"/> when it is null), appends each gateway of
    /// <paramref name="add"/> not already present, then drops every gateway named in <paramref name="remove"/>.
    /// Order is kept, duplicates are dropped, and removing a gateway that is not a member changes nothing.
    /// </summary>
    public static IReadOnlyList<string> Change(
        IReadOnlyList<string> current,
        IReadOnlyList<string>? replacement = null,
        IReadOnlyList<string>? add = null,
        IReadOnlyList<string>? remove = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        var members = new List<string>();
        foreach (var name in (replacement ?? current).Concat(add ?? []))
        {
            if (!members.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                members.Add(name);
            }
        }

        if (remove is not null)
        {
            members.RemoveAll(member => remove.Contains(member, StringComparer.OrdinalIgnoreCase));
        }

        return members;
    }
}
