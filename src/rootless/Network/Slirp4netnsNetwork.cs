using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Skiff.Core.Errors;

namespace Skiff.Rootless.Network;

/// <summary>
/// slirp4netns: user-mode networking for a namespace through a tap device. It stays in the foreground for
/// the container's lifetime, so it runs as a <see cref="HelperProcess"/> owned by whoever outlives the CLI
/// (the container's monitor); published ports are added over its API socket.
/// In slirp4netns the container sees connections from published ports coming from 10.0.2.2, not from the real client.
/// </summary>
public static class Slirp4netnsNetwork
{
    public static IReadOnlyList<string> BuildArguments(Slirp4netnsOptions options, int pid) =>
        BuildArguments(options, pid.ToString(CultureInfo.InvariantCulture), byPath: false);

    /// <summary>The argv for a network namespace bound to a file (joined without changing user namespace).</summary>
    public static IReadOnlyList<string> BuildArguments(Slirp4netnsOptions options, string netnsPath) =>
        BuildArguments(options, netnsPath, byPath: true);

    private static IReadOnlyList<string> BuildArguments(Slirp4netnsOptions options, string target, bool byPath)
    {
        var args = new List<string>
        {
            "--configure",
            "--mtu=" + options.Mtu.ToString(CultureInfo.InvariantCulture),
        };
        if (options.DisableHostLoopback)
        {
            args.Add("--disable-host-loopback");
        }

        if (options.EnableIpv6)
        {
            args.Add("--enable-ipv6");
        }

        args.Add("--enable-sandbox");
        args.Add("--enable-seccomp");
        args.Add("--api-socket");
        args.Add(options.ApiSocket);
        if (options.ReadyFd is int ready)
        {
            args.Add("--ready-fd=" + ready.ToString(CultureInfo.InvariantCulture));
        }

        if (options.ExitFd is int exit)
        {
            args.Add("--exit-fd=" + exit.ToString(CultureInfo.InvariantCulture));
        }

        if (byPath)
        {
            args.Add("--netns-type=path");
        }

        args.Add(target);
        args.Add("tap0");
        return args;
    }

    /// <summary>The add_hostfwd request for one port: {"execute":"add_hostfwd","arguments":{...}}.</summary>
    public static byte[] AddHostForwardRequest(PortMapping port)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("execute", "add_hostfwd");
            writer.WriteStartObject("arguments");
            writer.WriteString("proto", port.ProtocolName);
            writer.WriteString("host_addr", port.HostIp ?? "0.0.0.0");
            writer.WriteNumber("host_port", port.HostPort);
            writer.WriteString("guest_addr", Slirp4netnsOptions.GuestAddress);
            writer.WriteNumber("guest_port", port.ContainerPort);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Null when the reply is {"return": ...}; otherwise the error description slirp4netns sent.</summary>
    public static string? ReplyError(ReadOnlySpan<byte> reply)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(reply.ToArray());
            JsonElement root = document.RootElement;
            if (root.TryGetProperty("return", out _))
            {
                return null;
            }

            if (root.TryGetProperty("error", out JsonElement error))
            {
                return error.TryGetProperty("desc", out JsonElement desc) ? desc.GetString() ?? error.ToString() : error.ToString();
            }

            return "unexpected reply: " + root.ToString();
        }
        catch (JsonException e)
        {
            return "malformed reply: " + e.Message;
        }
    }

    /// <summary>Starts slirp4netns for <paramref name="pid"/>'s namespace and publishes the ports once its API socket answers.</summary>
    public static async Task<HelperProcess> StartAsync(Slirp4netnsOptions options, int pid, string program = "slirp4netns", CancellationToken cancellationToken = default)
    {
        HelperProcess helper = HelperProcess.Start(program, BuildArguments(options, pid));
        try
        {
            foreach (PortMapping port in options.Ports.SelectMany(p => p.Expand()))
            {
                await AddPortAsync(helper, options.ApiSocket, port, cancellationToken).ConfigureAwait(false);
            }

            return helper;
        }
        catch
        {
            helper.Dispose();
            throw;
        }
    }

    /// <summary>Publishes one port through the API socket of a slirp4netns that is already running.</summary>
    public static void AddPort(string apiSocket, PortMapping port)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(apiSocket));
        socket.Send(AddHostForwardRequest(port));
        socket.Shutdown(SocketShutdown.Send);
        byte[] reply = new byte[4096];
        int length = 0;
        int read;
        while (length < reply.Length && (read = socket.Receive(reply.AsSpan(length))) > 0)
        {
            length += read;
        }

        CheckReply(port, reply.AsSpan(0, length));
    }

    private static async Task AddPortAsync(HelperProcess helper, string apiSocket, PortMapping port, CancellationToken cancellationToken)
    {
        // The API socket appears once slirp4netns has configured the namespace; until then, or if it died,
        // there is nothing to connect to.
        for (int attempt = 0; ; attempt++)
        {
            if (helper.HasExited)
            {
                throw SkiffException.Unavailable(
                    $"slirp4netns exited with code {helper.ExitCode}: {NetworkHelperErrors.Clean(helper.StandardError)}",
                    NetworkHelperErrors.HintFor(helper.StandardError, "slirp4netns"));
            }

            try
            {
                using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(apiSocket), cancellationToken).ConfigureAwait(false);
                await socket.SendAsync(AddHostForwardRequest(port), cancellationToken).ConfigureAwait(false);
                socket.Shutdown(SocketShutdown.Send);
                byte[] reply = new byte[4096];
                int length = 0;
                int read;
                while ((read = await socket.ReceiveAsync(reply.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0 && length < reply.Length)
                {
                    length += read;
                }

                CheckReply(port, reply.AsSpan(0, length));
                return;
            }
            catch (SocketException) when (attempt < 500)
            {
                await Task.Delay(10, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Throws slirp4netns' answer to an add_hostfwd request when it is an error.</summary>
    private static void CheckReply(PortMapping port, ReadOnlySpan<byte> reply)
    {
        if (ReplyError(reply) is { } error)
        {
            throw SkiffException.Unavailable($"slirp4netns could not publish {port}: {error}", "another program may use the host port; choose another with -p");
        }
    }
}
