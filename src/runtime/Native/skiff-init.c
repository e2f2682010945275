// skiff-init: the minimal PID 1 behind `skiff run --init`. It runs the command as its only child,
// forwards every signal it receives to that child, reaps every process re-parented to it (orphans
// become zombies forever when PID 1 never calls wait), and exits with the child's status
// (128+N when the child was killed by signal N, docker's convention).
//
// It is linked statically and bind-mounted read-only into the container (/run/skiff-init), so it
// works in any image, including ones without a libc. Usage: skiff-init [--] COMMAND [ARG...]
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    int first = (argc > 1 && strcmp(argv[1], "--") == 0) ? 2 : 1;
    if (first >= argc) {
        fprintf(stderr, "skiff-init: usage: skiff-init [--] COMMAND [ARG...]\n");
        return 125;
    }

    // All signals stay blocked in this process and are taken with sigwaitinfo: no handler can race
    // with the reaping loop, and the pid-namespace rule (PID 1 ignores signals it has no handler
    // for) does not swallow them.
    sigset_t all, original;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &original);
    if (getpid() != 1) {
        // Not PID 1 (e.g. a shared pid namespace): orphans still come to us to be reaped.
        prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }

    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "skiff-init: fork: %s\n", strerror(errno));
        return 125;
    }

    if (child == 0) {
        // Own process group, in the foreground of the terminal if there is one, so that the
        // terminal's ^C reaches the command once (and not also us, who would forward it again).
        // SIGTTOU is still blocked here, which tcsetpgrp from a background group needs.
        setpgid(0, 0);
        if (isatty(STDIN_FILENO)) {
            tcsetpgrp(STDIN_FILENO, getpid());
        }

        sigprocmask(SIG_SETMASK, &original, NULL);
        execvp(argv[first], argv + first);
        int error = errno;
        fprintf(stderr, "skiff-init: exec %s: %s\n", argv[first], strerror(error));
        _exit(error == ENOENT ? 127 : 126);
    }

    for (;;) {
        siginfo_t info;
        int signal = sigwaitinfo(&all, &info);
        if (signal < 0) {
            continue;
        }

        if (signal != SIGCHLD) {
            // SIGTTIN/SIGTTOU/SIGTSTP aimed at us are passed on too: the child decides.
            kill(child, signal);
            continue;
        }

        int status;
        pid_t pid;
        while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            if (pid != child) {
                continue;
            }

            if (WIFEXITED(status)) {
                return WEXITSTATUS(status);
            }

            if (WIFSIGNALED(status)) {
                return 128 + WTERMSIG(status);
            }
        }
    }
}
