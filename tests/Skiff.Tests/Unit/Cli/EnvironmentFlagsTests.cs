using Skiff.Cli.Commands.Containers;

namespace Skiff.Tests.Unit.Cli;

/// <summary>--env-file as docker and podman read it: leading blanks, comments and empty lines dropped, values kept as written.</summary>
public sealed class EnvironmentFlagsTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"skiff-env-{Guid.NewGuid():N}");

    [Fact]
    public void An_env_file_keeps_a_values_trailing_blanks_and_a_later_flag_wins()
    {
        File.WriteAllText(file, "A=x y \n   B=lead\n# comment\n\n   \nC=1\n");
        Assert.Equal(["A=x y ", "B=lead", "C=2"], EnvironmentFlags.Collect(["C=2"], [file]));
    }

    public void Dispose() => File.Delete(file);
}
