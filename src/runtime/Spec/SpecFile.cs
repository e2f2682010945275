using System.Text.Json;
using Skiff.Core.Errors;

namespace Skiff.Runtime.Spec;

/// <summary>Reads and writes a bundle's config.json.</summary>
public static class SpecFile
{
    public const string FileName = "config.json";

    /// <summary>config.json is small; anything larger than this is not a spec we should parse.</summary>
    private const long MaxSize = 4 * 1024 * 1024;

    public static RuntimeSpec Load(string bundle)
    {
        string path = Path.Combine(bundle, FileName);
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxSize)
            {
                throw SkiffException.InvalidArgument($"{path} is larger than {MaxSize} bytes");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            throw SkiffException.NotFound($"open `{path}`: no such file or directory", "--bundle must name a directory with a config.json");
        }
        catch (DirectoryNotFoundException)
        {
            throw SkiffException.NotFound($"open `{path}`: no such file or directory", "--bundle must name a directory with a config.json");
        }

        return Parse(bytes, path);
    }

    /// <summary>Reads a process.json (runc exec --process): the spec's process object on its own.</summary>
    public static ProcessSpec LoadProcess(string path)
    {
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (info.Exists && info.Length > MaxSize)
            {
                throw SkiffException.InvalidArgument($"{path} is larger than {MaxSize} bytes");
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw SkiffException.NotFound($"open `{path}`: no such file or directory");
        }

        try
        {
            ProcessSpec process = SpecJsonReader.ReadProcess(bytes)
                ?? throw SkiffException.InvalidArgument($"{path}: the process is null");
            return process.Args.Count > 0 ? process : throw SkiffException.InvalidArgument($"{path}: process.args is empty");
        }
        catch (JsonException e)
        {
            throw SkiffException.InvalidArgument($"{path}: invalid process spec: {e.Message}");
        }
    }

    public static RuntimeSpec Parse(ReadOnlySpan<byte> json, string origin)
    {
        try
        {
            return SpecJsonReader.Read(json)
                ?? throw SkiffException.InvalidArgument($"{origin}: the spec is null");
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is long line ? $" (line {line + 1})" : string.Empty;
            throw SkiffException.InvalidArgument($"{origin}: invalid runtime spec{where}: {e.Message}");
        }
    }

    public static void Save(RuntimeSpec spec, string bundle)
    {
        string path = Path.Combine(bundle, FileName);
        string temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(spec, SpecJsonContext.Default.RuntimeSpec));
        File.Move(temporary, path, overwrite: true);
    }
}
