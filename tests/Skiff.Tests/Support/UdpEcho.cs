using System.Diagnostics;

namespace Skiff.Tests.Support;

/// <summary>
/// A UDP echo server and client, compiled here (gcc -static) because the test image's busybox has no UDP
/// server or client. <c>udpecho serve PORT</c> answers each datagram with the same bytes, except "addr?",
/// which it answers with the sender's address as it sees it ("IP:PORT"). <c>udpecho ask IP PORT TEXT</c>
/// sends TEXT and prints the answer (exit 1 after 5 s without one).
/// </summary>
public static class UdpEcho
{
    public const string Source = """
        #include <arpa/inet.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/socket.h>
        #include <sys/time.h>
        #include <unistd.h>

        static char buf[65536];

        int main(int argc, char **argv)
        {
            int s = socket(AF_INET, SOCK_DGRAM, 0);
            struct sockaddr_in a = { .sin_family = AF_INET };
            if (argc == 3 && strcmp(argv[1], "serve") == 0) {
                a.sin_port = htons(atoi(argv[2]));
                if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) { perror("bind"); return 1; }
                for (;;) {
                    struct sockaddr_in from;
                    socklen_t len = sizeof from;
                    ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
                    if (n < 0) continue;
                    if (n == 5 && memcmp(buf, "addr?", 5) == 0)
                        n = snprintf(buf, sizeof buf, "%s:%d", inet_ntoa(from.sin_addr), ntohs(from.sin_port));
                    sendto(s, buf, n, 0, (struct sockaddr *)&from, len);
                }
            }
            if (argc == 5 && strcmp(argv[1], "ask") == 0) {
                struct timeval t = { .tv_sec = 5 };
                setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
                a.sin_port = htons(atoi(argv[3]));
                inet_pton(AF_INET, argv[2], &a.sin_addr);
                for (int i = 0; i < 50; i++) {
                    sendto(s, argv[4], strlen(argv[4]), 0, (struct sockaddr *)&a, sizeof a);
                    ssize_t n = recv(s, buf, sizeof buf, 0);
                    if (n >= 0) { fwrite(buf, 1, n, stdout); return 0; }
                    usleep(100000);
                }
                return 1;
            }
            fprintf(stderr, "usage: udpecho serve PORT | udpecho ask IP PORT TEXT\n");
            return 2;
        }
        """;

    /// <summary>Compiles the program into <paramref name="directory"/>; returns its path.</summary>
    public static string Build(string directory)
    {
        string source = Path.Combine(directory, "udpecho.c");
        string binary = Path.Combine(directory, "udpecho");
        File.WriteAllText(source, Source);
        using Process gcc = Process.Start(new ProcessStartInfo("gcc", ["-static", "-O2", "-o", binary, source]) { RedirectStandardError = true })!;
        string errors = gcc.StandardError.ReadToEnd();
        gcc.WaitForExit();
        Assert.True(gcc.ExitCode == 0, "gcc failed: " + errors);
        File.SetUnixFileMode(binary, (UnixFileMode)Convert.ToInt32("755", 8));
        return binary;
    }

    /// <summary>Imports busybox with /bin/udpecho as <paramref name="name"/> into <paramref name="skiff"/>'s store; returns the host's copy of the program.</summary>
    public static async Task<string> ImportImageAsync(SkiffCli skiff, string name)
    {
        string binary = Build(skiff.Sandbox.Work);
        LayerBuilder layer = TestImages.BusyboxLayer();
        layer.File("/bin/udpecho", File.ReadAllBytes(binary), mode: 0b111_101_101);
        string tar = Path.Combine(skiff.Sandbox.Work, $"udpecho-rootfs-{Guid.NewGuid():N}.tar");
        File.WriteAllBytes(tar, layer.ToTar());
        File.SetUnixFileMode(tar, (UnixFileMode)Convert.ToInt32("644", 8));
        (await skiff.RunAsync("import", tar, name)).AssertSuccess();
        File.Delete(tar);
        return binary;
    }
}
