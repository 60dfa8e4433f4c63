using System.Collections.Frozen;
using System.Globalization;
using System.Text;

namespace CloudGateway.Model;

/// <summary>
/// Tells whether two names would look the same to a person reading them: equal after Unicode compatibility
/// normalisation (NFKC), case folding, dropping invisible format characters and mapping Cyrillic and Greek letters
/// that look like Latin ones (so a Cyrillic "аlice" and "alice" are one name).
/// </summary>
public static class LookalikeNames
{
    private static readonly FrozenDictionary<char, char> LatinLookalikes = new Dictionary<char, char>
    {
        // Cyrillic
        ['а'] = 'a', ['в'] = 'b', ['е'] = 'e', ['ё'] = 'e', ['к'] = 'k', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p',
        ['с'] = 'c', ['т'] = 't', ['у'] = 'y', ['х'] = 'x', ['ѕ'] = 's', ['і'] = 'i', ['ї'] = 'i', ['ј'] = 'j', ['һ'] = 'h',
        ['ԁ'] = 'd', ['ԛ'] = 'q', ['ԝ'] = 'w', ['ӏ'] = 'l', ['ү'] = 'y', ['ь'] = 'b',
        // Greek
        ['α'] = 'a', ['β'] = 'b', ['ε'] = 'e', ['ζ'] = 'z', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['μ'] = 'm', ['ν'] = 'v',
        ['ο'] = 'o', ['ρ'] = 'p', ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x',
        // Latin letters that pass for others
        ['ı'] = 'i', ['ɑ'] = 'a', ['ɡ'] = 'g', ['ɩ'] = 'i', ['ſ'] = 's',
    }.ToFrozenDictionary();

    /// <summary>Compares names by their <see cref="Skeleton"/>: equal when they look the same.</summary>
    public static IEqualityComparer<string> Comparer { get; } = new SkeletonComparer();

    /// <summary>The form two lookalike names share; names with different skeletons can be told apart by eye.</summary>
    public static string Skeleton(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Ascii.IsValid(name))
        {
            // ASCII is its own NFKC form and has no invisible or look-alike characters: lower case is the whole skeleton.
            return name.ToLowerInvariant();
        }

        var normalized = name.Normalize(NormalizationForm.FormKC);
        var skeleton = new StringBuilder(normalized.Length);
        foreach (var rune in normalized.EnumerateRunes())
        {
            if (IsInvisible(rune))
            {
                continue;
            }

            if (rune.IsBmp)
            {
                var lower = char.ToLowerInvariant((char)rune.Value);
                skeleton.Append(LatinLookalikes.TryGetValue(lower, out var latin) ? latin : lower);
            }
            else
            {
                skeleton.Append(Rune.ToLowerInvariant(rune).ToString());
            }
        }

        return skeleton.ToString();
    }

    /// <summary>
    /// Whether a character shows nothing by itself: format characters (zero-width spaces and joiners, direction
    /// marks, soft hyphen, tag characters), variation selectors, the combining grapheme joiner and the Hangul and
    /// Mongolian fillers.
    /// </summary>
    public static bool IsInvisible(Rune rune) =>
        Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format
        || rune.Value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF) or (>= 0x180B and <= 0x180F)
            or 0x034F or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x17B4 or 0x17B5;

    /// <summary>The first invisible character of <paramref name="name"/>, or null (see <see cref="IsInvisible"/>).</summary>
    public static Rune? FindInvisible(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var rune in name.EnumerateRunes())
        {
            if (IsInvisible(rune))
            {
                return rune;
            }
        }

        return null;
    }

    /// <summary>The first of <paramref name="others"/> that looks like <paramref name="name"/>, or null.</summary>
    public static string? FindLookalike(string name, IEnumerable<string> others)
    {
        ArgumentNullException.ThrowIfNull(others);
        var skeleton = Skeleton(name);
        var asciiSkeleton = Ascii.IsValid(skeleton);

        // Every name of a large estate is checked against each new one: ASCII names are compared in place, without a skeleton.
        return others.FirstOrDefault(other => Ascii.IsValid(other)
            ? asciiSkeleton && Ascii.EqualsIgnoreCase(other, skeleton)
            : string.Equals(Skeleton(other), skeleton, StringComparison.Ordinal));
    }

    private sealed class SkeletonComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y) => x is null || y is null ? x == y : string.Equals(Skeleton(x), Skeleton(y), StringComparison.Ordinal);

        public int GetHashCode(string obj) => StringComparer.Ordinal.GetHashCode(Skeleton(obj));
    }
}
