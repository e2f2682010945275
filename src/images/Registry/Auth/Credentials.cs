namespace Skiff.Images.Registry.Auth;

/// <summary>A user name and password (or an identity token, which registries take as an OAuth2 refresh token).</summary>
public sealed record Credentials(string Username, string Password, string? IdentityToken = null)
{
    /// <summary>Parses <c>--creds USER[:PASSWORD]</c>.</summary>
    public static Credentials ParseFlag(string text)
    {
        int colon = text.IndexOf(':');
        string user = colon < 0 ? text : text[..colon];
        if (user.Length == 0)
        {
            throw Core.Errors.SkiffException.InvalidArgument("--creds needs a user name: USER[:PASSWORD]");
        }

        return new Credentials(user, colon < 0 ? string.Empty : text[(colon + 1)..]);
    }

    public override string ToString() => $"Credentials {{ Username = {Username} }}";
}
