using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Skiff.Core.Errors;

namespace Skiff.Images.Registry.Configuration;

/// <summary>
/// The certs.d layout shared by podman and docker: <c>DIR/HOST[:PORT]/*.crt</c> are extra CAs for that
/// registry, <c>*.cert</c> with a matching <c>*.key</c> a client certificate. Searched in the user's
/// <c>$XDG_CONFIG_HOME/containers/certs.d</c> (rootless), <c>/etc/containers/certs.d</c> and <c>/etc/docker/certs.d</c>.
/// </summary>
public sealed class CertificateDirectories(IReadOnlyList<string> roots, string? explicitDirectory = null)
{
    /// <param name="certDir">podman's <c>--cert-dir</c>: a directory holding the files themselves; it replaces the search.</param>
    public static CertificateDirectories ForUser(IReadOnlyDictionary<string, string?> environment, bool rootless, string? certDir = null)
    {
        if (!string.IsNullOrEmpty(certDir))
        {
            if (!Directory.Exists(certDir))
            {
                throw SkiffException.InvalidArgument($"--cert-dir {certDir}: no such directory");
            }

            return new CertificateDirectories([], certDir);
        }

        var roots = new List<string>();
        if (rootless)
        {
            string? configHome = environment.GetValueOrDefault("XDG_CONFIG_HOME");
            string? home = environment.GetValueOrDefault("HOME");
            if (string.IsNullOrEmpty(configHome) && !string.IsNullOrEmpty(home))
            {
                configHome = Path.Combine(home, ".config");
            }

            if (!string.IsNullOrEmpty(configHome))
            {
                roots.Add(Path.Combine(configHome, "containers", "certs.d"));
            }
        }

        roots.Add("/etc/containers/certs.d");
        roots.Add("/etc/docker/certs.d");
        return new CertificateDirectories(roots);
    }

    /// <param name="host">The registry as written in image names: host or host:port.</param>
    public TlsMaterial Load(string host)
    {
        if (host.Contains('/') || host.Contains("..", StringComparison.Ordinal))
        {
            return TlsMaterial.None;
        }

        var authorities = new List<X509Certificate2>();
        var clients = new List<X509Certificate2>();
        IEnumerable<string> directories = explicitDirectory is not null ? [explicitDirectory] : roots.Select(root => Path.Combine(root, host));
        foreach (string directory in directories)
        {
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (string file in Directory.EnumerateFiles(directory).Order(StringComparer.Ordinal))
            {
                try
                {
                    if (file.EndsWith(".crt", StringComparison.Ordinal))
                    {
                        var collection = new X509Certificate2Collection();
                        collection.ImportFromPemFile(file);
                        authorities.AddRange(collection);
                    }
                    else if (file.EndsWith(".cert", StringComparison.Ordinal))
                    {
                        string key = file[..^".cert".Length] + ".key";
                        if (!File.Exists(key))
                        {
                            throw SkiffException.InvalidArgument($"client certificate {file} has no matching key {key}", "put the key beside the certificate or remove the certificate");
                        }

                        clients.Add(X509Certificate2.CreateFromPemFile(file, key));
                    }
                }
                catch (CryptographicException e)
                {
                    throw SkiffException.InvalidArgument($"cannot read certificate {file}: {e.Message}", "fix or remove the file");
                }
            }
        }

        return authorities.Count == 0 && clients.Count == 0 ? TlsMaterial.None : new TlsMaterial(authorities, clients);
    }
}
