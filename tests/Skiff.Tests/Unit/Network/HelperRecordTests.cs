using System.Globalization;
using Skiff.Rootless.Network;

namespace Skiff.Tests.Unit.Network;

/// <summary>A helper recorded by pid and start time is found while it runs, and a reused or garbled record is not.</summary>
public sealed class HelperRecordTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("skiff-helper-record-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_running_process_is_read_back()
    {
        string path = Path.Combine(_directory, "helper.pid");

        Assert.True(HelperRecord.TryWrite(path, Environment.ProcessId));

        Assert.Equal(Environment.ProcessId, HelperRecord.TryReadLive(path));
        HelperRecord.Delete(path);
        Assert.False(File.Exists(path));
        Assert.Null(HelperRecord.TryReadLive(path));
    }

    [Fact]
    public void Another_start_time_is_another_process()
    {
        string path = Path.Combine(_directory, "helper.pid");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId} 1\n"));

        Assert.Null(HelperRecord.TryReadLive(path));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("x 12")]
    [InlineData("12 34 56")]
    public void A_garbled_record_names_no_process(string text)
    {
        string path = Path.Combine(_directory, "helper.pid");
        File.WriteAllText(path, text);

        Assert.Null(HelperRecord.TryReadLive(path));
    }

    [Fact]
    public void No_record_and_a_directory_name_no_process()
    {
        Assert.Null(HelperRecord.TryReadLive(Path.Combine(_directory, "missing.pid")));
        Assert.Null(HelperRecord.TryReadLive(Path.Combine(_directory, "missing", "helper.pid")));
        Assert.Null(HelperRecord.TryReadLive(_directory));
    }

    [Fact]
    public void A_process_that_is_gone_is_not_recorded()
    {
        Assert.False(HelperRecord.TryWrite(Path.Combine(_directory, "helper.pid"), int.MaxValue));
    }
}
