using System.Net;
using System.Text.Json;
using Skiff.Core.Errors;

namespace Skiff.Images.Registry;

/// <summary>Turns a registry's error answer (distribution spec: <c>{"errors":[{"code","message"}]}</c>) into a skiff error.</summary>
public static class RegistryErrors
{
    private const int MaxErrorBody = 64 * 1024;

    public static async Task<SkiffException> FromResponseAsync(HttpResponseMessage response, string action, CancellationToken cancellationToken)
    {
        string detail = await DetailAsync(response, cancellationToken).ConfigureAwait(false);
        string message = $"{action}: {(detail.Length > 0 ? detail : $"{(int)response.StatusCode} {response.ReasonPhrase}")}";
        return response.StatusCode switch
        {
            HttpStatusCode.NotFound => SkiffException.NotFound(message),
            HttpStatusCode.Unauthorized => new SkiffException(ErrorKind.PermissionDenied, message, "log in with 'skiff login' or pass --creds"),
            HttpStatusCode.Forbidden => new SkiffException(ErrorKind.PermissionDenied, message, "the credentials lack access to this repository"),
            _ when RetryPolicy.IsTransient(response.StatusCode) => SkiffException.Unavailable(message, "the registry failed; try again later"),
            _ => SkiffException.InvalidArgument(message),
        };
    }

    private static async Task<string> DetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            byte[] buffer = new byte[MaxErrorBody];
            int total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            using JsonDocument document = JsonDocument.Parse(buffer.AsMemory(0, total));
            if (document.RootElement.TryGetProperty("errors", out JsonElement errors) && errors.ValueKind == JsonValueKind.Array)
            {
                return string.Join("; ", errors.EnumerateArray().Select(e =>
                {
                    string code = e.TryGetProperty("code", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString()!.ToLowerInvariant().Replace('_', ' ') : "error";
                    string text = e.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
                    return text.Length == 0 || text.Equals(code, StringComparison.OrdinalIgnoreCase) ? code : $"{code}: {text}";
                }));
            }
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException)
        {
            // Not a spec error body; the status line says enough.
        }

        return string.Empty;
    }
}
