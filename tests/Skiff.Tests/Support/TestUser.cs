namespace Skiff.Tests.Support;

/// <summary>A user the tests run skiff as. <paramref name="RunsAsSelf"/>: the test process already is this user.</summary>
public sealed record TestUser(string Name, uint Uid, uint Gid, bool RunsAsSelf);
