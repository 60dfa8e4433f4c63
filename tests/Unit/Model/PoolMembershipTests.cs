using CloudGateway.Model;

namespace CloudGateway.Tests.Model;

public class PoolMembershipTests
{
    private static readonly string[] Current = ["gw1", "gw2", "gw3"];

    [Fact]
    public void Change_NothingGiven_KeepsCurrentMembers()
    {
        Assert.Equal(Current, PoolMembership.Change(Current));
    }

    [Fact]
    public void Change_Replacement_ReplacesTheList()
    {
        Assert.Equal(["gw9", "gw1"], PoolMembership.Change(Current, replacement: ["gw9", "gw1"]));
    }

    [Fact]
    public void Change_Add_AppendsInOrderWithoutDuplicates()
    {
        Assert.Equal(["gw1", "gw2", "gw3", "gw4", "gw5"], PoolMembership.Change(Current, add: ["GW2", "gw4", "gw5", "gw4"]));
    }

    [Fact]
    public void Change_Remove_DropsMembersIgnoringCaseAndUnknownNames()
    {
        Assert.Equal(["gw1", "gw3"], PoolMembership.Change(Current, remove: ["GW2", "nosuch"]));
    }

    [Fact]
    public void Change_ReplacementAddAndRemove_AppliesReplaceThenAddThenRemove()
    {
        var result = PoolMembership.Change(Current, replacement: ["a", "b"], add: ["c", "gw1"], remove: ["b", "gw1"]);
        Assert.Equal(["a", "c"], result);
    }

    [Fact]
    public void Change_RemoveEverything_GivesEmptyList()
    {
        Assert.Empty(PoolMembership.Change(Current, remove: Current));
    }
}
