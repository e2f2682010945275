using Skiff.Tests.Support;
using Xunit.Abstractions;

namespace Skiff.Tests.E2E.Registry;

/// <summary>login/logout/--creds against the TLS + htpasswd registry.</summary>
[Collection(RegistryCollection.Name)]
[Trait("Category", "E2E")]
public sealed class LoginTests(RegistryFixture registry, SecureRegistryFixture secure, ITestOutputHelper output)
{
    [Theory]
    [RootAndRootless]
    public async Task Login_verifies_stores_privately_and_logout_removes(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string name = $"login/busybox-{(rootless ? "rootless" : "root")}-{Guid.NewGuid():N}"[..32];
        string reference = await TestImages.PushBusyboxAsync(secure.Registry, name, skiff.Sandbox.Work, log: output);
        string certDir = Path.Combine(secure.CertsDirectory, secure.Address);

        // Without trust in the CA, TLS fails with a hint; without credentials, auth fails.
        (await skiff.RunAsync("pull", reference)).AssertError(125, "TLS");
        (await skiff.RunAsync("pull", "--cert-dir", certDir, reference)).AssertError(125, "authentication required");

        ProcessResult wrong = await skiff.RunAsync(["login", "--cert-dir", certDir, "-u", secure.Username, "--password-stdin", secure.Address], "not-the-password\n");
        wrong.AssertError(125, "invalid username or password");
        string authFile = Path.Combine(skiff.Sandbox.RuntimeDirectory, "containers", "auth.json");
        Assert.False(File.Exists(authFile));

        ProcessResult ok = (await skiff.RunAsync(["login", "--cert-dir", certDir, "-u", secure.Username, "--password-stdin", secure.Address], secure.Password + "\n")).AssertSuccess();
        Assert.Contains("Login Succeeded!", ok.Stdout);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(authFile));
        Assert.Equal(secure.Username, (await skiff.RunAsync("login", "--get-login", secure.Address)).AssertSuccess().Stdout.Trim());

        (await skiff.RunAsync("pull", "-q", "--cert-dir", certDir, reference)).AssertSuccess();

        // The rootless user's certs.d is searched too (root's lives in /etc, which tests leave alone).
        if (rootless)
        {
            string userCerts = Path.Combine(skiff.Sandbox.ConfigHome, "containers", "certs.d", secure.Address);
            (await skiff.ExecAsync("mkdir", "-p", userCerts)).AssertSuccess();
            (await skiff.ExecAsync("cp", Path.Combine(certDir, "ca.crt"), userCerts)).AssertSuccess();
            (await skiff.RunAsync("pull", "-q", reference)).AssertSuccess();
        }

        Assert.Contains($"Removed login credentials for {secure.Address}", (await skiff.RunAsync("logout", secure.Address)).AssertSuccess().Stdout);
        (await skiff.RunAsync("logout", secure.Address)).AssertError(125, "not logged into");
        (await skiff.RunAsync("pull", "--cert-dir", certDir, reference)).AssertError(125, "authentication required");
        (await skiff.RunAsync("pull", "-q", "--cert-dir", certDir, "--creds", secure.Registry.Credentials!, reference)).AssertSuccess();
        (await skiff.RunAsync("pull", "-q", "--tls-verify=false", "--creds", secure.Registry.Credentials!, reference)).AssertSuccess();
    }

    [Theory]
    [RootAndRootless]
    public async Task Bad_auth_files_and_flags_are_one_error_line(bool rootless)
    {
        using var skiff = new SkiffCli(output, rootless);
        string reference = registry.Reference("login/never-pulled");
        string broken = Path.Combine(skiff.Sandbox.Work, "broken.json");
        await File.WriteAllTextAsync(broken, "{ this is not json");
        File.SetUnixFileMode(broken, (UnixFileMode)Convert.ToInt32("644", 8));
        ProcessResult bad = await skiff.RunAsync("pull", "--tls-verify=false", "--authfile", broken, reference);
        bad.AssertError(125, $"reading auth file {broken}");
        Assert.Single(bad.Stderr.Split('\n'), line => line.StartsWith("Error:", StringComparison.Ordinal));

        (await skiff.RunAsync("pull", "--tls-verify=false", "--authfile", "/nonexistent/auth.json", reference)).AssertError(125, "/nonexistent/auth.json");
        (await skiff.RunAsync("pull", "Not A Reference")).AssertError(125, "invalid reference format");
        (await skiff.RunAsync("pull", "--no-such-flag", reference)).AssertError(125, "Error:");
        (await skiff.RunAsync("pull", "--tls-verify=false", reference)).AssertError(125, "manifest unknown");
        Assert.Empty(StoreInspection.ImageRecords(skiff.Sandbox.StorageRoot));
    }
}
