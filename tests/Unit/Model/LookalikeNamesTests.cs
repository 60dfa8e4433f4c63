using CloudGateway.Model;

namespace CloudGateway.Tests.Model;

public sealed class LookalikeNamesTests
{
    [Theory]
    [InlineData("alice", "ALICE")]
    [InlineData("alice", "\u0430lice")]
    [InlineData("alice", "\uFF41\uFF4C\uFF49\uFF43\uFF45")]
    [InlineData("alice", "al\u200Bice")]
    [InlineData("alice", "alice\uFE0F")]
    [InlineData("alice", "alice\U000E0041")]
    [InlineData("alice", "\U0001D41Alice")]
    [InlineData("repo", "r\u0435p\u043E")]
    [InlineData("ops", "\u03BFps")]
    public void Comparer_NamesThatReadTheSame_AreEqual(string name, string lookalike)
    {
        Assert.Equal(LookalikeNames.Skeleton(name), LookalikeNames.Skeleton(lookalike));
        Assert.True(LookalikeNames.Comparer.Equals(name, lookalike));
        Assert.Equal(LookalikeNames.Comparer.GetHashCode(name), LookalikeNames.Comparer.GetHashCode(lookalike));
    }

    [Theory]
    [InlineData("alice", "alicia")]
    [InlineData("alice", "alicé")]
    [InlineData("tenant1", "tenant2")]
    [InlineData("\u0436\u0443\u043A", "xyk")]
    public void Comparer_NamesThatCanBeToldApart_AreDifferent(string name, string other)
    {
        Assert.False(LookalikeNames.Comparer.Equals(name, other));
    }

    [Fact]
    public void FindLookalike_ReturnsTheStoredSpelling()
    {
        Assert.Equal("Alice", LookalikeNames.FindLookalike("\u0430lice", ["bob", "Alice"]));
        Assert.Null(LookalikeNames.FindLookalike("carol", ["bob", "Alice"]));
    }

    [Theory]
    [InlineData("ALICE", "alice")]
    [InlineData("alice", "\u0430lice")]
    [InlineData("\uFF41lice", "Alice")]
    public void FindLookalike_AsciiAndOtherSpellings_FindEachOther(string name, string stored)
    {
        Assert.Equal(stored, LookalikeNames.FindLookalike(name, ["bob", stored]));
    }

    [Theory]
    [InlineData("alicé", "alice")]
    [InlineData("alice", "alicé")]
    [InlineData("alice", "alice2")]
    public void FindLookalike_NamesThatCanBeToldApart_FindNothing(string name, string stored)
    {
        Assert.Null(LookalikeNames.FindLookalike(name, ["bob", stored]));
    }
}
