namespace Skiff.Tests.Support;

/// <summary>
/// A throwaway CA and a server certificate for 127.0.0.1/localhost signed by it, made with openssl:
/// ca.crt (world-readable), server.crt, server.key in the given directory.
/// </summary>
public static class CertificateAuthority
{
    public static async Task WriteAsync(string directory)
    {
        string ca = Path.Combine(directory, "ca.crt");
        string caKey = Path.Combine(directory, "ca.key");
        string key = Path.Combine(directory, "server.key");
        string csr = Path.Combine(directory, "server.csr");
        string cert = Path.Combine(directory, "server.crt");
        string extensions = Path.Combine(directory, "server.ext");
        await File.WriteAllTextAsync(extensions,
            "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost\n");

        await OpensslAsync("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256", "-days", "2",
            "-subj", "/CN=skiff test CA", "-keyout", caKey, "-out", ca);
        await OpensslAsync("req", "-newkey", "rsa:2048", "-nodes", "-sha256", "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", csr);
        await OpensslAsync("x509", "-req", "-in", csr, "-CA", ca, "-CAkey", caKey, "-CAcreateserial", "-days", "2", "-sha256",
            "-extfile", extensions, "-out", cert);
        File.SetUnixFileMode(ca, (UnixFileMode)Convert.ToInt32("644", 8));
    }

    private static async Task OpensslAsync(params string[] arguments) =>
        (await TestProcess.RunAsync(new ProcessSpec("openssl", arguments), log: null)).AssertSuccess();
}
