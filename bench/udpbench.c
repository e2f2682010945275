/* UDP echo server and load generator for bench/udp.sh (busybox has no UDP server or client).
 *   udpbench serve PORT                         echo every datagram back to its sender
 *   udpbench rtt IP PORT COUNT SIZE             one datagram at a time: median and 99th percentile round trip (us)
 *   udpbench stream IP PORT SECONDS SIZE WINDOW keep WINDOW datagrams in flight: echoed MB/s, datagrams/s, lost % */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

static char buf[65536];

static double now_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int client(const char *ip, const char *port, int timeout_ms)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(port)) };
    struct timeval t = { .tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000 };
    int big = 4 << 20;
    inet_pton(AF_INET, ip, &a.sin_addr);
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &t, sizeof t);
    setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) { perror("connect"); exit(1); }
    return s;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "serve") == 0) {
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        int big = 4 << 20;
        struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(atoi(argv[2])) };
        setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
        if (bind(s, (struct sockaddr *)&a, sizeof a) != 0) { perror("bind"); return 1; }
        for (;;) {
            struct sockaddr_in from;
            socklen_t len = sizeof from;
            ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&from, &len);
            if (n >= 0) sendto(s, buf, n, 0, (struct sockaddr *)&from, len);
        }
    }
    if (argc == 6 && strcmp(argv[1], "rtt") == 0) {
        int s = client(argv[2], argv[3], 1000), count = atoi(argv[4]), size = atoi(argv[5]), done = 0, lost = 0;
        double *rtt = calloc(count, sizeof *rtt);
        memset(buf, 'x', size);
        /* Warm up (the first datagram makes the forwarder's flow), then time. */
        for (int i = 0; i < 50; i++) { send(s, buf, size, 0); if (recv(s, buf, sizeof buf, 0) >= 0) break; }
        for (int i = 0; i < count; i++) {
            double t0 = now_us();
            send(s, buf, size, 0);
            if (recv(s, buf, sizeof buf, 0) < 0) { lost++; continue; }
            rtt[done++] = now_us() - t0;
        }
        qsort(rtt, done, sizeof *rtt, cmp);
        printf("rtt_median_us=%.1f rtt_p99_us=%.1f lost=%d\n", done ? rtt[done / 2] : -1, done ? rtt[done * 99 / 100] : -1, lost);
        return 0;
    }
    if (argc == 7 && strcmp(argv[1], "stream") == 0) {
        int s = client(argv[2], argv[3], 100), size = atoi(argv[5]), window = atoi(argv[6]);
        double seconds = atof(argv[4]), t0, end;
        long sent = 0, echoed = 0, inflight = 0;
        memset(buf, 'x', size);
        for (int i = 0; i < 50; i++) { send(s, buf, size, 0); if (recv(s, buf, sizeof buf, 0) >= 0) break; }
        t0 = now_us();
        end = t0 + seconds * 1e6;
        while (now_us() < end) {
            while (inflight < window) { if (send(s, buf, size, 0) == size) { sent++; inflight++; } else break; }
            if (recv(s, buf, sizeof buf, 0) >= 0) { echoed++; inflight--; }
            else inflight = 0; /* 100 ms without an echo: the rest of the window is lost */
        }
        double elapsed = (now_us() - t0) / 1e6;
        printf("echoed_MBps=%.1f datagrams_per_s=%.0f lost_pct=%.2f\n", echoed * (double)size / elapsed / 1e6, echoed / elapsed,
               sent ? 100.0 * (sent - echoed) / sent : 0);
        return 0;
    }
    fprintf(stderr, "usage: udpbench serve PORT | rtt IP PORT COUNT SIZE | stream IP PORT SECONDS SIZE WINDOW\n");
    return 2;
}
