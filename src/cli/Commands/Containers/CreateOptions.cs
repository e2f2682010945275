using System.CommandLine;
using Skiff.Cli.Commands.Registry;
using Skiff.Rootless.Network;

namespace Skiff.Cli.Commands.Containers;

/// <summary>The flags shared by <c>run</c> and <c>create</c> (docker's and podman's names).</summary>
public sealed class CreateOptions
{
    public Option<bool> Interactive { get; } = new("--interactive", "-i") { Description = "Keep STDIN open even if not attached" };

    public Option<bool> Tty { get; } = new("--tty", "-t") { Description = "Allocate a pseudo-TTY" };

    public Option<bool> Remove { get; } = new("--rm") { Description = "Remove the container when it exits" };

    public Option<string?> Restart { get; } = new("--restart") { Description = "Restart policy to apply when a container exits (no, on-failure[:MAX], always, unless-stopped)" };

    public Option<string?> Name { get; } = new("--name") { Description = "Assign a name to the container" };

    public Option<string[]> Env { get; } = new("--env", "-e") { Description = "Set environment variables", AllowMultipleArgumentsPerToken = false };

    public Option<string[]> EnvFile { get; } = new("--env-file") { Description = "Read in a file of environment variables" };

    public Option<string[]> EnvMerge { get; } = new("--env-merge") { Description = "Preprocess the image's environment variables (NAME=VALUE, with ${VAR} the image's value)" };

    public Option<bool> EnvHost { get; } = new("--env-host") { Description = "Use all of skiff's environment variables in the container (before --env-file and -e)" };

    public Option<bool> HttpProxy { get; } = new("--http-proxy") { Description = "Set proxy environment variables in the container based on the host proxy vars", DefaultValueFactory = _ => true };

    public Option<string?> Workdir { get; } = new("--workdir", "-w") { Description = "Working directory inside the container" };

    public Option<string?> User { get; } = new("--user", "-u") { Description = "Username or UID (format: <name|uid>[:<group|gid>])" };

    public Option<bool> Passwd { get; } = new("--passwd") { Description = "Add entries to /etc/passwd and /etc/group", DefaultValueFactory = _ => true };

    public Option<string?> PasswdEntry { get; } = new("--passwd-entry") { Description = "Entry to write to /etc/passwd" };

    public Option<string[]> HostUser { get; } = new("--hostuser") { Description = "Host user account to add to /etc/passwd within the container (NAME or UID)" };

    public Option<string?> ConmonPidfile { get; } = new("--conmon-pidfile") { Description = "Path to the file that will receive the PID of the container's monitor (podman's conmon)" };

    public Option<string?> Personality { get; } = new("--personality") { Description = "Configure the execution domain (LINUX or LINUX32)" };

    /// <summary>podman 4.3 takes it and does nothing ("a Docker specific option"); so does skiff.</summary>
    public Option<bool> DisableContentTrust { get; } = new("--disable-content-trust") { Description = "This is a Docker specific option and is a NOOP", Hidden = true };

    public Option<string?> Entrypoint { get; } = new("--entrypoint") { Description = "Overwrite the default ENTRYPOINT of the image" };

    public Option<string?> Hostname { get; } = new("--hostname") { Description = "Container host name" };

    public Option<string[]> Volume { get; } = new("--volume", "-v") { Description = "Bind mount a volume (SRC:DST[:OPTIONS])" };

    public Option<string[]> Mount { get; } = new("--mount") { Description = "Attach a filesystem mount (type=bind|volume|tmpfs,...)" };

    public Option<string[]> Tmpfs { get; } = new("--tmpfs") { Description = "Mount a tmpfs directory (DST[:OPTIONS])" };

    public Option<string[]> VolumesFrom { get; } = new("--volumes-from") { Description = "Mount the volumes of the specified container(s) (CONTAINER[:ro|rw])" };

    public Option<bool> ReadOnly { get; } = new("--read-only") { Description = "Mount the container's root filesystem as read only" };

    public Option<bool> ReadOnlyTmpfs { get; } = new("--read-only-tmpfs") { Description = "With --read-only, mount a read-write tmpfs on /run, /tmp and /var/tmp", DefaultValueFactory = _ => true };

    public Option<string> ImageVolume { get; } = new("--image-volume") { Description = "How the image's VOLUMEs are mounted: bind (a new anonymous volume), tmpfs or ignore", DefaultValueFactory = _ => ImageVolumes.Bind };

    public Option<bool> Init { get; } = new("--init") { Description = "Run an init inside the container that forwards signals and reaps processes" };

    public Option<string?> InitPath { get; } = new("--init-path") { Description = "Path to the container-init binary" };

    public Option<string> Systemd { get; } = new("--systemd") { Description = "Run the container in systemd mode (true: when the command is an init or systemd; always; false)", DefaultValueFactory = _ => "true" };

    public Option<string?> StopSignal { get; } = new("--stop-signal") { Description = "Signal to stop the container" };

    public Option<int?> StopTimeout { get; } = new("--stop-timeout") { Description = "Timeout (in seconds) to stop the container" };

    public Option<string[]> Ulimit { get; } = new("--ulimit") { Description = "Ulimit options (name=soft[:hard])" };

    public Option<string[]> Label { get; } = new("--label", "-l") { Description = "Set metadata on the container" };

    public Option<string[]> LabelFile { get; } = new("--label-file") { Description = "Read in a line-delimited file of labels" };

    public Option<string[]> Sysctl { get; } = new("--sysctl") { Description = "Set a namespaced kernel parameter (KEY=VALUE: net.*, fs.mqueue.*, kernel.msg*/sem/shm*)" };

    public Option<string> Pull { get; } = new("--pull") { Description = "Pull image policy (always, missing, never)", DefaultValueFactory = _ => "missing" };

    public Option<bool> Quiet { get; } = new("--quiet", "-q") { Description = "Suppress output information when pulling images" };

    /// <summary>--platform, --os, --arch, --variant.</summary>
    public PlatformFlags Platform { get; } = new("The platform of the image (os/arch[/variant]): a local image of another platform does not count, a pull picks this one");

    /// <summary>--tls-verify, --authfile, --cert-dir and --creds for the pull that --pull may do.</summary>
    public RegistryFlags Registry { get; } = new();

    public Option<string[]> Network { get; } = new("--network", "--net") { Description = "Connect the container to a network (none, host, pasta[:OPTIONS], slirp4netns[:OPTIONS], or networks from 'skiff network ls', repeated or comma-separated; default pasta, else slirp4netns)" };

    /// <summary>The --network values as one selection; null when the flag was not given.</summary>
    public NetworkSelection? Networks(ParseResult parse) => NetworkSelection.Parse(parse.GetValue(Network));

    public NetworkFlags NetworkFlags { get; } = new();

    public UserNamespaceFlags UserNamespace { get; } = new();

    public NamespaceFlags Namespaces { get; } = new();

    public HealthFlags Health { get; } = new();

    public CreationFlags Creation { get; } = new();

    public ProcessFlags Process { get; } = new();

    public DeviceFlags Devices { get; } = new();

    public SecretFlags Secrets { get; } = new();

    public Option<string> LogDriver { get; } = new("--log-driver") { Description = "Logging driver (k8s-file, json-file, none, passthrough)", DefaultValueFactory = _ => "k8s-file" };

    public Option<string[]> LogOpt { get; } = new("--log-opt") { Description = "Logging driver options: path=FILE, max-size=SIZE, max-file=N, tag=TEXT" };

    public Option<string?> DetachKeys { get; } = new("--detach-keys") { Description = "Override the key sequence for detaching a container" };

    public Option<string[]> GroupAdd { get; } = new("--group-add") { Description = "Add additional groups to join" };

    public Option<bool> Rootfs { get; } = new("--rootfs") { Description = "The first argument is an exploded root filesystem directory, not an image" };

    public Option<string?> Runtime { get; } = new("--runtime") { Description = "OCI runtime: skiff (built in, the default), runc, crun or a path" };

    public ResourceOptions Resources { get; } = new();

    public Option<string?> Cgroupns { get; } = new("--cgroupns") { Description = "Cgroup namespace: private (the default on cgroup v2) or host (the default on v1)" };

    public Option<string?> CgroupParent { get; } = new("--cgroup-parent") { Description = "Optional parent cgroup for the container (a slice with the systemd cgroup manager)" };

    public Option<string?> Cgroups { get; } = new("--cgroups") { Description = "Control container cgroup configuration (\"enabled\"|\"disabled\"|\"no-conmon\"|\"split\")" };

    public Option<string[]> Requires { get; } = new("--requires") { Description = "Add one or more requirement containers that must be started before this container will start" };

    public Option<bool> Privileged { get; } = new("--privileged") { Description = "Give extended privileges to the container" };

    public Option<string[]> CapAdd { get; } = new("--cap-add") { Description = "Add Linux capabilities (or ALL)" };

    public Option<string[]> CapDrop { get; } = new("--cap-drop") { Description = "Drop Linux capabilities (or ALL)" };

    public Option<string[]> SecurityOpt { get; } = new("--security-opt") { Description = "Security options (no-new-privileges, seccomp=unconfined|FILE, mask=PATHS, unmask=ALL|PATHS)" };

    public Option<string> SeccompPolicy { get; } = new("--seccomp-policy") { Description = "Policy for selecting a seccomp profile (default, or image: the image's io.containers.seccomp.profile label)", DefaultValueFactory = _ => Containers.SeccompPolicy.Default };

    /// <summary>docker's --gpus: podman 4.3 accepts it, hidden, and does nothing with it; so does skiff.</summary>
    public Option<string[]> Gpus { get; } = new("--gpus") { Description = "GPU devices to add to the container (accepted for docker compatibility, no effect)", Hidden = true };

    public Argument<string> Image { get; } = new("image") { Description = "Image (or root filesystem directory with --rootfs)" };

    public Argument<string[]> Command { get; } = new("command") { Arity = ArgumentArity.ZeroOrMore, Description = "Command and arguments" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[]
        {
            Interactive, Tty, Remove, Restart, Name, Env, EnvFile, EnvMerge, EnvHost, HttpProxy, Workdir, User, Passwd, PasswdEntry, HostUser, ConmonPidfile, Personality, DisableContentTrust, Entrypoint, Hostname, Volume, Mount, Tmpfs, VolumesFrom, ReadOnly, ReadOnlyTmpfs, ImageVolume,
            Init, InitPath, Systemd, StopSignal, StopTimeout, Ulimit, Label, LabelFile, Sysctl, Pull, Quiet, Network, LogDriver, LogOpt, DetachKeys, GroupAdd, Rootfs, Runtime,
            Cgroupns, CgroupParent, Cgroups, Requires, Privileged, CapAdd, CapDrop, SecurityOpt, SeccompPolicy, Gpus,
        })
        {
            command.Options.Add(option);
        }

        Resources.AddTo(command);
        Platform.AddTo(command);
        Registry.AddTo(command);
        Pull.AcceptOnlyFromAmong("always", "missing", "never", "newer");
        Cgroupns.AcceptOnlyFromAmong("host", "private");
        NetworkFlags.AddTo(command);
        UserNamespace.AddTo(command);
        Namespaces.AddTo(command);
        Health.AddTo(command);
        Creation.AddTo(command);
        Process.AddTo(command);
        Devices.AddTo(command);
        Secrets.AddTo(command);
        command.Arguments.Add(Image);
        command.Arguments.Add(Command);
    }
}
