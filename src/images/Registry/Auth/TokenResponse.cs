using System.Text.Json.Serialization;

namespace Skiff.Images.Registry.Auth;

/// <summary>The token endpoint's answer (docker token spec: <c>token</c>, OAuth2 style: <c>access_token</c>).</summary>
internal sealed record TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }

    [JsonPropertyName("expires_in")]
    public int? ExpiresIn { get; init; }
}
