using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skiff.Core.Errors;
using Skiff.Core.Files;

namespace Skiff.Images.Registry.Auth;

/// <summary>
/// One auth.json / docker config.json: <c>{"auths": {"KEY": {"auth": base64("user:password"), "identitytoken": …}}}</c>.
/// Keys are a registry host, optionally with a repository path (podman) or an URL (docker's
/// <c>https://index.docker.io/v1/</c>). Unknown fields (credHelpers, other tools' settings) survive a rewrite.
/// </summary>
public sealed class AuthFile
{
    private readonly JsonObject root;

    private AuthFile(string path, JsonObject root)
    {
        Path = path;
        this.root = root;
    }

    public string Path { get; }

    /// <summary>Reads the file; a missing file is empty, a damaged or unreadable one is an error naming the file.</summary>
    public static AuthFile Read(string path)
    {
        byte[] data;
        try
        {
            data = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new AuthFile(path, new JsonObject());
        }
        catch (UnauthorizedAccessException)
        {
            // The AOT build has no resource strings: e.Message would be a resource key.
            throw new SkiffException(ErrorKind.PermissionDenied, $"reading auth file {path}: permission denied", "make the file readable for your user, or pass another with --authfile");
        }
        catch (IOException e)
        {
            throw Unreadable(path, e.Message);
        }

        if (data.Length == 0)
        {
            return new AuthFile(path, new JsonObject());
        }

        try
        {
            JsonNode? node = JsonNode.Parse(data, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (node is not JsonObject obj || (obj["auths"] is not null and not JsonObject))
            {
                throw Unreadable(path, "expected a JSON object with an \"auths\" object");
            }

            return new AuthFile(path, obj);
        }
        catch (JsonException e)
        {
            // The AOT build has no resource strings, so say where rather than quote the parser.
            throw Unreadable(path, $"invalid JSON at line {(e.LineNumber ?? 0) + 1}, byte {(e.BytePositionInLine ?? 0) + 1}");
        }
    }

    /// <summary>The credentials stored under <paramref name="key"/> exactly (keys normalized), or null.</summary>
    public Credentials? Get(string key)
    {
        if (root["auths"] is not JsonObject auths)
        {
            return null;
        }

        foreach (KeyValuePair<string, JsonNode?> entry in auths)
        {
            if (NormalizeKey(entry.Key) != key || entry.Value is not JsonObject value)
            {
                continue;
            }

            string? identityToken = Text(value, "identitytoken");
            string? auth = Text(value, "auth");
            if (string.IsNullOrEmpty(auth))
            {
                return identityToken is null ? null : new Credentials(string.Empty, string.Empty, identityToken);
            }

            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
            }
            catch (FormatException)
            {
                throw Unreadable(Path, $"the \"auth\" of {entry.Key} is not base64");
            }

            int colon = decoded.IndexOf(':');
            if (colon < 0)
            {
                throw Unreadable(Path, $"the \"auth\" of {entry.Key} is not user:password");
            }

            return new Credentials(decoded[..colon], decoded[(colon + 1)..], string.IsNullOrEmpty(identityToken) ? null : identityToken);
        }

        return null;
    }

    public IReadOnlyList<string> Keys() =>
        root["auths"] is JsonObject auths ? auths.Select(entry => NormalizeKey(entry.Key)).ToList() : [];

    public void Set(string key, Credentials credentials)
    {
        Remove(key);
        if (root["auths"] is not JsonObject auths)
        {
            auths = new JsonObject();
            root["auths"] = auths;
        }

        auths[key] = new JsonObject
        {
            ["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.Username}:{credentials.Password}")),
        };
    }

    /// <summary>Removes every entry whose normalized key is <paramref name="key"/>; true if one existed.</summary>
    public bool Remove(string key)
    {
        if (root["auths"] is not JsonObject auths)
        {
            return false;
        }

        var matching = auths.Where(entry => NormalizeKey(entry.Key) == key).Select(entry => entry.Key).ToList();
        foreach (string name in matching)
        {
            auths.Remove(name);
        }

        return matching.Count > 0;
    }

    public bool RemoveAll()
    {
        bool any = root["auths"] is JsonObject { Count: > 0 };
        root["auths"] = new JsonObject();
        return any;
    }

    /// <summary>Writes atomically, created with mode 0600 (it holds passwords) in a 0700 directory if new.</summary>
    public void Save()
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException();
        }

        string full = System.IO.Path.GetFullPath(Path);
        string directory = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        byte[] data = Encoding.UTF8.GetBytes(root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, TypeInfoResolver = AuthJsonContext.Default }) + "\n");
        string temp = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(data);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, full, overwrite: true);
            AtomicFile.SyncDirectory(directory);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            File.Delete(temp);
            throw SkiffException.InvalidArgument($"writing auth file {full}: {(e is UnauthorizedAccessException ? "permission denied" : e.Message)}", "pass a writable file with --authfile");
        }
    }

    /// <summary>docker writes <c>https://index.docker.io/v1/</c>, podman <c>docker.io</c>; both mean one registry.</summary>
    public static string NormalizeKey(string key)
    {
        string normalized = key;
        int scheme = normalized.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            normalized = normalized[(scheme + 3)..];
            normalized = normalized.TrimEnd('/');
            if (normalized.EndsWith("/v1", StringComparison.Ordinal) || normalized.EndsWith("/v2", StringComparison.Ordinal))
            {
                normalized = normalized[..^3];
            }
        }

        normalized = normalized.TrimEnd('/');
        return normalized is "index.docker.io" or "registry-1.docker.io" ? "docker.io" : normalized;
    }

    private static string? Text(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;

    private static SkiffException Unreadable(string path, string reason) =>
        SkiffException.InvalidArgument($"reading auth file {path}: {reason}", "fix or remove the file, or pass another with --authfile");
}
