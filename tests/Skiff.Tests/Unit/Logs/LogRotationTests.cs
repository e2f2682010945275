using System.Text;
using Skiff.Runtime.Logs;

namespace Skiff.Tests.Unit.Logs;

/// <summary>The writer's rotation (<see cref="LogRotation"/>) and <see cref="RotatedLogReader"/> reading across it.</summary>
public sealed class LogRotationTests : IDisposable
{
    // "2026-12-01T18:51:02.123456700Z stdout F " is 40 bytes; with "line NNNN\n" a record is 50.
    private const int RecordSize = 50;

    private readonly string directory = Directory.CreateTempSubdirectory("skiff-logrotate-").FullName;

    private string LogPath => Path.Combine(directory, "ctr.log");

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void With_one_file_the_log_is_replaced_past_max_size_and_stays_bounded()
    {
        using (var writer = new ContainerLogWriter(LogDrivers.K8sFile, LogPath, new FixedClock(), new LogRotation(10 * RecordSize, 1)))
        {
            for (int i = 0; i < 25; i++)
            {
                writer.Write("stdout", Line(i));
            }
        }

        Assert.Equal(["ctr.log"], Files());
        Assert.Equal(5 * RecordSize, new FileInfo(LogPath).Length);
        Assert.Equal(Enumerable.Range(20, 5).Select(Text), ReadAll(1, tail: null));
    }

    [Fact]
    public void With_max_file_the_old_files_move_up_and_the_oldest_is_dropped()
    {
        using (var writer = new ContainerLogWriter(LogDrivers.K8sFile, LogPath, new FixedClock(), new LogRotation(10 * RecordSize, 3)))
        {
            for (int i = 0; i < 45; i++)
            {
                writer.Write("stdout", Line(i));
            }
        }

        Assert.Equal(["ctr.log", "ctr.log.1", "ctr.log.2"], Files());
        Assert.All(Files(), f => Assert.True(new FileInfo(Path.Combine(directory, f)).Length <= 10 * RecordSize));
        Assert.Equal(Enumerable.Range(20, 25).Select(Text), ReadAll(3, tail: null));
        Assert.Equal(Enumerable.Range(33, 12).Select(Text), ReadAll(3, tail: 12));
        Assert.Equal(Enumerable.Range(20, 25).Select(Text), ReadAll(3, tail: 100));
    }

    [Fact]
    public void A_writer_that_starts_again_counts_what_the_file_already_holds()
    {
        using (var first = new ContainerLogWriter(LogDrivers.K8sFile, LogPath, new FixedClock(), new LogRotation(10 * RecordSize, 2)))
        {
            for (int i = 0; i < 8; i++)
            {
                first.Write("stdout", Line(i));
            }
        }

        using (var second = new ContainerLogWriter(LogDrivers.K8sFile, LogPath, new FixedClock(), new LogRotation(10 * RecordSize, 2)))
        {
            for (int i = 8; i < 12; i++)
            {
                second.Write("stdout", Line(i));
            }
        }

        Assert.Equal(10 * RecordSize, new FileInfo(LogPath + ".1").Length);
        Assert.Equal(2 * RecordSize, new FileInfo(LogPath).Length);
    }

    [Theory]
    [InlineData(1, 3)]
    [InlineData(2, 1)]
    [InlineData(2, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    public void A_follower_sees_every_line_once_in_order_across_rotations_between_its_reads(int maxFiles, int rotationsBetweenReads)
    {
        // Lost lines are only those the writer has already dropped: with maxFiles files, up to maxFiles - 1 rotations
        // between two reads lose nothing.
        var rotation = new LogRotation(10 * RecordSize, maxFiles);
        var seen = new List<string>();
        using var writer = new ContainerLogWriter(LogDrivers.K8sFile, LogPath, new FixedClock(), rotation);
        writer.Write("stdout", Line(0));
        using var reader = new RotatedLogReader(LogPath, LogDrivers.K8sFile, maxFiles, tail: null);
        reader.Read(r => seen.Add(Encoding.UTF8.GetString(r.Content)));
        int next = 1;
        for (int round = 0; round < 6; round++)
        {
            for (int i = 0; i < 10 * rotationsBetweenReads; i++)
            {
                writer.Write("stdout", Line(next++));
            }

            reader.Read(r => seen.Add(Encoding.UTF8.GetString(r.Content)));
        }

        if (rotationsBetweenReads < maxFiles)
        {
            Assert.Equal(Enumerable.Range(0, next).Select(Text), seen);
        }
        else
        {
            Assert.Equal(seen.Distinct(), seen);
            Assert.Equal(seen.OrderBy(s => int.Parse(s[5..], System.Globalization.CultureInfo.InvariantCulture)), seen);
            Assert.Equal(Text(next - 1), seen[^1]);
        }
    }

    [Fact]
    public void A_rotation_between_a_rename_and_the_new_files_creation_is_waited_out()
    {
        File.WriteAllText(LogPath, "2026-12-01T18:51:02Z stdout F a\n");
        var seen = new List<string>();
        using var reader = new RotatedLogReader(LogPath, LogDrivers.K8sFile, 2, tail: null);
        reader.Read(r => seen.Add(Encoding.UTF8.GetString(r.Content)));
        File.AppendAllText(LogPath, "2026-12-01T18:51:02Z stdout F b\n");
        File.Move(LogPath, LogPath + ".1");

        reader.Read(r => seen.Add(Encoding.UTF8.GetString(r.Content)));
        File.WriteAllText(LogPath, "2026-12-01T18:51:02Z stdout F c\n");
        reader.Read(r => seen.Add(Encoding.UTF8.GetString(r.Content)));

        Assert.Equal(["a", "b", "c"], seen);
    }

    [Fact]
    public void A_log_not_written_yet_reads_as_empty_until_it_is()
    {
        var seen = new List<string>();
        using var reader = new RotatedLogReader(LogPath, LogDrivers.JsonFile, 1, tail: 5);
        reader.Read(r => seen.Add(Encoding.UTF8.GetString(r.Content)));
        using (var writer = new ContainerLogWriter(LogDrivers.JsonFile, LogPath, new FixedClock()))
        {
            writer.Write("stdout", "x\n"u8);
        }

        reader.Read(r => seen.Add(Encoding.UTF8.GetString(r.Content)));

        Assert.Equal(["x"], seen);
    }

    [Fact]
    public void A_log_in_a_missing_directory_is_an_error_that_names_the_file()
    {
        string missing = Path.Combine(directory, "nope", "ctr.log");

        var e = Assert.Throws<Skiff.Core.Errors.SkiffException>(() => new ContainerLogWriter(LogDrivers.K8sFile, missing, new FixedClock()));

        Assert.Equal($"cannot open the log file {missing}: no such file or directory", e.Message);
    }

    [Fact]
    public void A_new_log_file_is_private_to_its_owner()
    {
        using (new ContainerLogWriter(LogDrivers.K8sFile, LogPath, new FixedClock(), new LogRotation(RecordSize, 1)))
        {
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LogPath));
    }

    private static byte[] Line(int i) => Encoding.UTF8.GetBytes(Text(i) + "\n");

    private static string Text(int i) => $"line {i:D4}";

    private List<string> Files() => [.. Directory.GetFiles(directory).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    private List<string> ReadAll(int maxFiles, int? tail)
    {
        var seen = new List<string>();
        using var reader = new RotatedLogReader(LogPath, LogDrivers.K8sFile, maxFiles, tail);
        reader.Read(r => seen.Add(Encoding.UTF8.GetString(r.Content)));
        return seen;
    }

    private sealed class FixedClock : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 12, 1, 18, 51, 2, TimeSpan.Zero).AddTicks(1234567);
    }
}
