using Skiff.Core.Errors;
using Skiff.Runtime.Secrets;

namespace Skiff.Cli.Commands.Secrets;

/// <summary>Where <c>secret create</c>'s value comes from: a file, stdin (<c>-</c>) or an environment variable (--env).</summary>
public static class SecretSource
{
    public static async Task<byte[]> ReadAsync(string source, bool fromEnvironment, Stream stdin, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        if (fromEnvironment)
        {
            string value = environment(source) ?? throw SkiffException.InvalidArgument(
                $"cannot create store secret data: environment variable {source} is not set", $"export {source} first, or give a file without --env");
            return global::System.Text.Encoding.UTF8.GetBytes(value);
        }

        if (source == "-")
        {
            return await ReadLimitedAsync(stdin, cancellationToken);
        }

        try
        {
            await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: false);
            return await ReadLimitedAsync(file, cancellationToken);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw SkiffException.NotFound($"open {source}: no such file or directory", "give the path of the file that holds the value, or - for stdin");
        }
        catch (UnauthorizedAccessException)
        {
            throw SkiffException.InvalidArgument($"open {source}: permission denied", "give a file you can read, or - for stdin");
        }
    }

    /// <summary>Reads at most one byte past podman's limit, so a huge input is refused without being held whole.</summary>
    private static async Task<byte[]> ReadLimitedAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        byte[] chunk = new byte[16384];
        int read;
        while (buffer.Length < SecretStore.MaxDataLength && (read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
        }

        SecretStore.CheckData((int)Math.Min(buffer.Length, int.MaxValue));
        return buffer.ToArray();
    }
}
