using System.Text;
using Skiff.Cli.Commands.Secrets;
using Skiff.Core.Errors;
using Skiff.Runtime.Secrets;

namespace Skiff.Tests.Unit.Secrets;

/// <summary><c>secret create</c>'s sources and --driver-opts, <c>secret ls</c>'s filters.</summary>
public class SecretCliParsingTests
{
    private static SecretRecord Record(string name, string id) => new()
    {
        Id = id,
        Name = name,
        CreatedAt = DateTimeOffset.UnixEpoch,
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    [Fact]
    public async Task Reads_stdin_for_a_dash()
    {
        byte[] data = await SecretSource.ReadAsync("-", false, new MemoryStream("from stdin"u8.ToArray()), _ => null, CancellationToken.None);
        Assert.Equal("from stdin", Encoding.UTF8.GetString(data));
    }

    [Fact]
    public async Task Reads_the_named_variable_with_env()
    {
        byte[] data = await SecretSource.ReadAsync("MYV", true, Stream.Null, name => name == "MYV" ? "value" : null, CancellationToken.None);
        Assert.Equal("value", Encoding.UTF8.GetString(data));
        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => SecretSource.ReadAsync("NOPE", true, Stream.Null, _ => null, CancellationToken.None));
        Assert.Equal("cannot create store secret data: environment variable NOPE is not set", e.Message);
    }

    [Fact]
    public async Task Reads_a_file_and_reports_a_missing_one()
    {
        string path = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(path, "in a file");
            Assert.Equal("in a file", Encoding.UTF8.GetString(await SecretSource.ReadAsync(path, false, Stream.Null, _ => null, CancellationToken.None)));
        }
        finally
        {
            File.Delete(path);
        }

        SkiffException e = await Assert.ThrowsAsync<SkiffException>(() => SecretSource.ReadAsync("/nonexistent/x", false, Stream.Null, _ => null, CancellationToken.None));
        Assert.Equal("open /nonexistent/x: no such file or directory", e.Message);
    }

    [Fact]
    public async Task Refuses_empty_and_oversized_input_without_holding_it_all()
    {
        await Assert.ThrowsAsync<SkiffException>(() => SecretSource.ReadAsync("-", false, Stream.Null, _ => null, CancellationToken.None));
        var huge = new MemoryStream(new byte[SecretStore.MaxDataLength * 4]);
        await Assert.ThrowsAsync<SkiffException>(() => SecretSource.ReadAsync("-", false, huge, _ => null, CancellationToken.None));
        Assert.True(huge.Position < huge.Length);
    }

    [Fact]
    public void Driver_options_are_comma_separated_or_repeated_pairs()
    {
        Dictionary<string, string> options = SecretCreateCommand.DriverOptions(["a=1,b=2", "c=x=y"]);
        Assert.Equal("1", options["a"]);
        Assert.Equal("2", options["b"]);
        Assert.Equal("x=y", options["c"]);
        Assert.Throws<SkiffException>(() => SecretCreateCommand.DriverOptions(["novalue"]));
    }

    [Fact]
    public void Filters_match_part_of_the_name_or_id_and_refuse_other_keys()
    {
        SecretRecord db = Record("skfdb", "abc0000000000000000000001");
        SecretRecord web = Record("web", "def0000000000000000000002");
        SecretFilter byName = SecretFilter.Parse(["name=db"]);
        Assert.True(byName.Matches(db));
        Assert.False(byName.Matches(web));
        SecretFilter either = SecretFilter.Parse(["name=db", "name=web"]);
        Assert.True(either.Matches(web));
        SecretFilter both = SecretFilter.Parse(["name=db", "id=def"]);
        Assert.False(both.Matches(db));
        Assert.True(SecretFilter.Parse(["id=abc"]).Matches(db));
        SkiffException e = Assert.Throws<SkiffException>(() => SecretFilter.Parse(["foo=bar"]));
        Assert.Equal("invalid filter \"foo\"", e.Message);
    }
}
