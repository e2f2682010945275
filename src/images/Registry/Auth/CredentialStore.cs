namespace Skiff.Images.Registry.Auth;

/// <summary>
/// Finds credentials for an image name: <c>--creds</c> wins; otherwise each auth file in
/// <see cref="AuthFileLocations.ReadOrder"/> is asked for the most specific key first
/// (<c>host/ns/repo</c>, <c>host/ns</c>, <c>host</c>), as containers/image does.
/// </summary>
public sealed class CredentialStore(AuthFileLocations locations, Credentials? explicitCredentials = null)
{
    public AuthFileLocations Locations { get; } = locations;

    /// <param name="name">A qualified name without tag, e.g. <c>docker.io/library/alpine</c>, or just a registry host.</param>
    public Credentials? Find(string name)
    {
        if (explicitCredentials is not null)
        {
            return explicitCredentials;
        }

        foreach (string path in Locations.ReadOrder)
        {
            AuthFile file = AuthFile.Read(path);
            foreach (string key in KeysFor(name))
            {
                Credentials? found = file.Get(key);
                if (found is not null)
                {
                    return found;
                }
            }
        }

        return null;
    }

    public static IEnumerable<string> KeysFor(string name)
    {
        string current = AuthFile.NormalizeKey(name);
        while (true)
        {
            yield return current;
            int slash = current.LastIndexOf('/');
            if (slash < 0)
            {
                yield break;
            }

            current = current[..slash];
        }
    }
}
