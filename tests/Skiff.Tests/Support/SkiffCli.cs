using System.Text;
using Xunit.Abstractions;

namespace Skiff.Tests.Support;

/// <summary>
/// Runs the published skiff as root or as the rootless test user, in a private sandbox (store,
/// runtime state, HOME, XDG dirs), with a timeout, logging each command, its output and exit code.
/// <code>
/// [Theory, RootAndRootless]
/// public async Task Pulls(bool rootless)
/// {
///     using var skiff = new SkiffCli(output, rootless);
///     (await skiff.RunAsync("pull", "--tls-verify=false", image)).AssertSuccess();
/// }
/// </code>
/// </summary>
public sealed class SkiffCli : IDisposable
{
    private readonly ITestOutputHelper output;
    private readonly bool ownsSandbox;

    /// <summary>A skiff with its own fresh sandbox, removed on dispose.</summary>
    public SkiffCli(ITestOutputHelper output, bool rootless)
        : this(output, TestSandbox.Create(rootless), ownsSandbox: true)
    {
    }

    /// <summary>A skiff using a sandbox the caller owns (to share one store between several clis or tests).</summary>
    public SkiffCli(ITestOutputHelper output, TestSandbox sandbox)
        : this(output, sandbox, ownsSandbox: false)
    {
    }

    private SkiffCli(ITestOutputHelper output, TestSandbox sandbox, bool ownsSandbox)
    {
        if (!sandbox.Rootless && !TestEnvironment.IsRoot)
        {
            Assert.Fail("this test runs skiff as root; run the tests as root (sudo ./tests/run.sh)");
        }

        this.output = output;
        this.ownsSandbox = ownsSandbox;
        Sandbox = sandbox;
        Binary = TestEnvironment.RequireSkiffBinary();
        Environment = sandbox.Environment();
    }

    public TestSandbox Sandbox { get; }

    public bool Rootless => Sandbox.Rootless;

    public string Binary { get; }

    /// <summary>The complete environment skiff and <see cref="ExecAsync"/> programs get; tests may add to it.</summary>
    public Dictionary<string, string> Environment { get; }

    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Runs <c>skiff ARGS</c>. As root, <c>--root</c> and <c>--runroot</c> pointing into the sandbox come
    /// first; rootless, the sandbox's XDG directories select the store as they would for a real user.
    /// </summary>
    public Task<ProcessResult> RunAsync(params string[] arguments) => RunAsync(arguments, (byte[]?)null);

    public Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, string? stdin = null, TimeSpan? timeout = null) =>
        RunAsync(arguments, stdin is null ? null : Encoding.UTF8.GetBytes(stdin), timeout);

    public Task<ProcessResult> RunAsync(IReadOnlyList<string> arguments, byte[]? stdin, TimeSpan? timeout = null) =>
        RawAsync(StoreFlags().Concat(arguments).ToList(), stdin, timeout);

    /// <summary>Runs <c>skiff ARGS</c> exactly as given (no store flags): for tests of the flags or default paths themselves.</summary>
    public Task<ProcessResult> RawAsync(IReadOnlyList<string> arguments, byte[]? stdin = null, TimeSpan? timeout = null) =>
        TestProcess.RunAsync(Spec(Binary, arguments, stdin, timeout), output);

    /// <summary>Runs another program as the same user with the same environment (podman, skopeo, id, ...).</summary>
    public Task<ProcessResult> ExecAsync(string program, params string[] arguments) =>
        TestProcess.RunAsync(Spec(program, arguments, stdin: null, timeout: null), output);

    public Task<ProcessResult> ExecAsync(string program, IReadOnlyList<string> arguments, byte[]? stdin, TimeSpan? timeout = null) =>
        TestProcess.RunAsync(Spec(program, arguments, stdin, timeout), output);

    /// <summary>
    /// Puts the busybox image into this skiff's store with <c>skiff import</c> (no registry needed) and
    /// returns its name; fails the test when the import fails.
    /// </summary>
    public async Task<string> ImportBusyboxAsync(string name = "busybox")
    {
        string tar = Path.Combine(Sandbox.Work, $"busybox-rootfs-{Guid.NewGuid():N}.tar");
        TestImages.WriteBusyboxRootfsTar(tar);
        (await RunAsync("import", tar, name)).AssertSuccess();
        File.Delete(tar);
        return name;
    }

    /// <summary><c>skiff pull --tls-verify=false REFERENCE</c> (for the plain loopback registry); fails the test on error.</summary>
    public async Task<ProcessResult> PullInsecureAsync(string reference) =>
        (await RunAsync(["pull", "-q", "--tls-verify=false", reference], (byte[]?)null, TimeSpan.FromSeconds(180))).AssertSuccess();

    /// <summary>The global flags that point skiff at the sandbox's store.</summary>
    public IReadOnlyList<string> StoreFlags() =>
        Rootless ? [] : ["--root", Sandbox.StorageRoot, "--runroot", Sandbox.RunRoot];

    public void Dispose()
    {
        if (ownsSandbox)
        {
            Sandbox.Dispose();
        }
    }

    private ProcessSpec Spec(string program, IReadOnlyList<string> arguments, byte[]? stdin, TimeSpan? timeout) =>
        new(program, arguments)
        {
            Environment = Environment,
            StandardInput = stdin,
            Timeout = timeout ?? DefaultTimeout,
            WorkingDirectory = Sandbox.Work,
            User = Sandbox.User,
        };
}
