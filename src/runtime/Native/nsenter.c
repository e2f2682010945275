// skiff's native entry stage. It runs as an ELF constructor, before the .NET runtime starts
// threads, because unshare(CLONE_NEWUSER) and setns() into a user namespace need a
// single-threaded process (see shared/DESIGN.md; runc's nsexec solves the same problem).
//
// It does nothing unless _SKIFF_NS_SYNC names a socket fd. Then, driven by environment variables:
//   _SKIFF_NS_JOIN=<pid>        join the namespaces of <pid> listed in _SKIFF_NS_JOIN_TYPES
//   _SKIFF_NS_JOIN_TYPES=a,b    namespace names under /proc/<pid>/ns (user first, then the rest)
//   _SKIFF_NS_PATH_<name>=file  join the namespace bound at file (e.g. /run/netns/x), <name> as in /proc/PID/ns
//   _SKIFF_NS_FLAGS=<int>       clone flags to unshare (CLONE_NEWUSER first, then the rest)
//   _SKIFF_NS_NOSETUID=1        stay at the mapped ids instead of switching to 0 in the new user namespace
//   _SKIFF_NS_CLONE_FROM=/proc/<pid>/root/<path>
//                               first of all, clone the mount tree at <path> of <pid>'s mount namespace (a
//                               detached copy, open_tree(OPEN_TREE_CLONE), which only works from inside that
//                               namespace, and setns(CLONE_NEWNS) only single-threaded: here) and leave its fd
//                               in _SKIFF_NS_CLONED=<fd>:<the same path> for the runtime to attach in place of a
//                               bind of that path (--ipc container:'s /dev/shm)
//   _SKIFF_NS_PAUSE=file        hold the namespaces and never start .NET: fork, report the child, which
//                               closes every fd and sleeps until killed or until file (its pause.pid) no
//                               longer names it (the rootless user namespace's holder, podman's "pause
//                               process"; see UserNamespaceHolder.cs)
// Protocol on the sync socket, messages are three int32 {tag, value, step}:
//   'U' pid      child -> parent: user namespace created, please write uid_map/gid_map for pid
//   'M'          parent -> child: maps written
//   'P' pid      child -> parent: pid of the process that continues into .NET
//                (a forked grandchild when a pid namespace was unshared or joined)
//   'E' errno s  child -> parent: step s failed with errno; the process then exits 125
// When a fork was needed, the intermediate process exits 0 right after 'P': the launcher must be a
// child subreaper (the monitor is) to wait for the grandchild.
//
// Without _SKIFF_NS_SYNC, a rootless skiff whose verb runs in skiff's user namespace joins the namespace
// of the user's holder (pause.pid, see UserNamespaceHolder.cs) here, as podman's C constructor joins its
// pause process: the CLI continues inside it and need not start itself again. Only when the holder is
// valid and the verb needs nothing the C# side decides (see shortcut_verbs); otherwise nothing happens
// and the C# side re-executes skiff as before.
#define _GNU_SOURCE
#include <errno.h>
#include <link.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>
#include <linux/mount.h>

enum step {
    STEP_UNSHARE_USER = 1,
    STEP_WAIT_MAPS = 2,
    STEP_SETID = 3,
    STEP_UNSHARE_REST = 4,
    STEP_FORK = 5,
    STEP_OPEN_NS = 6,
    STEP_SETNS = 7,
    STEP_CLONE_MOUNT = 8,
};

static int sync_fd = -1;

static void send_msg(int32_t tag, int32_t value, int32_t step)
{
    int32_t msg[3] = {tag, value, step};
    ssize_t n;
    do {
        n = write(sync_fd, msg, sizeof msg);
    } while (n < 0 && errno == EINTR);
}

static void fail(int step)
{
    send_msg('E', errno, step);
    _exit(125);
}

static void wait_maps(void)
{
    int32_t msg[3];
    ssize_t n;
    do {
        n = read(sync_fd, msg, sizeof msg);
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof msg || msg[0] != 'M') {
        errno = n < 0 ? errno : EPIPE;
        fail(STEP_WAIT_MAPS);
    }
}

static void become_root(void)
{
    if (getenv("_SKIFF_NS_NOSETUID") != NULL)
        return;
    if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
        fail(STEP_SETID);
}

static const struct {
    const char *name;
    int flag;
} ns_types[] = {
    {"user", CLONE_NEWUSER}, {"ipc", CLONE_NEWIPC}, {"uts", CLONE_NEWUTS},     {"net", CLONE_NEWNET},
    {"pid", CLONE_NEWPID},   {"cgroup", CLONE_NEWCGROUP}, {"mnt", CLONE_NEWNS},
};

static int listed(const char *types, const char *name)
{
    size_t len = strlen(name);
    const char *p = types;
    while (p != NULL && *p) {
        if (strncmp(p, name, len) == 0 && (p[len] == ',' || p[len] == '\0'))
            return 1;
        const char *comma = strchr(p, ',');
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

// Joins the listed namespaces of pid and those named by _SKIFF_NS_PATH_<name>. All fds are
// opened first: after joining the mount namespace, /proc and the paths may show other things.
static int join_namespaces(const char *pid, const char *types)
{
    int fds[sizeof ns_types / sizeof ns_types[0]];
    int joined_pid = 0;
    size_t count = sizeof ns_types / sizeof ns_types[0];
    for (size_t i = 0; i < count; i++) {
        fds[i] = -1;
        const char *name = ns_types[i].name;
        size_t len = strlen(name);
        char variable[32] = "_SKIFF_NS_PATH_";
        memcpy(variable + 15, name, len + 1);
        const char *file = getenv(variable);
        if (file != NULL) {
            unsetenv(variable);
            fds[i] = open(file, O_RDONLY | O_CLOEXEC);
            if (fds[i] < 0)
                fail(STEP_OPEN_NS);
            continue;
        }
        if (pid == NULL || types == NULL || !listed(types, name))
            continue;
        char path[64];
        size_t pl = strlen(pid);
        if (pl > 20)
            fail(STEP_OPEN_NS);
        memcpy(path, "/proc/", 6);
        memcpy(path + 6, pid, pl);
        memcpy(path + 6 + pl, "/ns/", 4);
        memcpy(path + 10 + pl, name, len + 1);
        fds[i] = open(path, O_RDONLY | O_CLOEXEC);
        if (fds[i] < 0)
            fail(STEP_OPEN_NS);
    }
    for (size_t i = 0; i < count; i++) {
        if (fds[i] < 0)
            continue;
        if (setns(fds[i], ns_types[i].flag) < 0)
            fail(STEP_SETNS);
        close(fds[i]);
        if (ns_types[i].flag == CLONE_NEWUSER)
            become_root();
        if (ns_types[i].flag == CLONE_NEWPID)
            joined_pid = 1;
    }
    return joined_pid;
}

// See _SKIFF_NS_CLONE_FROM above. Runs in the caller's namespaces, with its credentials.
static void clone_foreign_mount(const char *from)
{
    const char *prefix = "/proc/";
    size_t plen = strlen(prefix);
    if (strncmp(from, prefix, plen) != 0) {
        errno = EINVAL;
        fail(STEP_CLONE_MOUNT);
    }
    const char *pid = from + plen;
    const char *slash = strchr(pid, '/');
    if (slash == NULL || slash == pid || slash - pid > 20 || strncmp(slash, "/root/", 6) != 0) {
        errno = EINVAL;
        fail(STEP_CLONE_MOUNT);
    }
    const char *rest = slash + 6;
    char path[64];
    size_t len = (size_t)(slash - pid);
    memcpy(path, "/proc/", 6);
    memcpy(path + 6, pid, len);
    memcpy(path + 6 + len, "/root", 6);
    int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
    memcpy(path + 6 + len, "/ns/mnt", 8);
    int theirs = open(path, O_RDONLY | O_CLOEXEC);
    int ours = open("/proc/self/ns/mnt", O_RDONLY | O_CLOEXEC);
    int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (root < 0 || theirs < 0 || ours < 0 || cwd < 0)
        fail(STEP_CLONE_MOUNT);
    if (setns(theirs, CLONE_NEWNS) < 0)
        fail(STEP_CLONE_MOUNT);
    int tree = (int)syscall(SYS_open_tree, root, *rest ? rest : ".", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    int saved = errno;
    // Back home whatever happened: the rest of the stage and .NET run in our own mount namespace.
    if (setns(ours, CLONE_NEWNS) < 0 || fchdir(cwd) < 0)
        fail(STEP_CLONE_MOUNT);
    if (tree < 0) {
        errno = saved;
        fail(STEP_CLONE_MOUNT);
    }
    close(root);
    close(theirs);
    close(ours);
    close(cwd);
    char value[4200];
    if ((size_t)snprintf(value, sizeof value, "%d:%s", tree, from) >= sizeof value) {
        errno = ENAMETOOLONG;
        fail(STEP_CLONE_MOUNT);
    }
    setenv("_SKIFF_NS_CLONED", value, 1);
}

// The holder keeps nothing open (no pipe of the command that started it may stay open, or a caller
// reading its output would never see EOF) and ignores the signals a terminal or a session sends.
// True while the first line of the record names this process. Unreadable for another reason than
// absence counts as naming us: only a removed or rewritten record ends the holder.
static int still_recorded(const char *record)
{
    char buf[32];
    int fd = open(record, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno != ENOENT && errno != ENOTDIR;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0)
        return 1;
    buf[n] = '\0';
    return strtol(buf, NULL, 10) == (long)getpid();
}

static void hold_forever(const char *record)
{
    static const int ignored[] = {SIGHUP, SIGINT, SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGTSTP, SIGTTIN, SIGTTOU};
    for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
        signal(ignored[i], SIG_IGN);
    int fd = open("/dev/null", O_RDWR);
    for (int i = 0; i < 3 && fd >= 0; i++)
        dup2(fd, i);
    long max = sysconf(_SC_OPEN_MAX);
    for (long i = 3; i < (max > 0 ? max : 1024); i++)
        close((int)i);
    if (chdir("/") < 0) {
        // Nothing to report to: stay where we are; the holder pins only a directory.
    }
    prctl(PR_SET_NAME, "skiff-pause", 0, 0, 0);
    // Joining our user namespace opens /proc/<pid>/ns/user: a non-dumpable process would hide it.
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
    // Nobody can find a holder whose record is gone (its runtime directory removed: a logout, a test
    // sandbox) or names another holder: it would only leak. Two misses in a row, so a record being
    // written right after the start is never taken for a missing one.
    int misses = 0;
    for (;;) {
        sleep(10);
        misses = record[0] != '\0' && !still_recorded(record) ? misses + 1 : 0;
        if (misses >= 2)
            _exit(0);
    }
}

// Verbs of CommandTree.UserNamespaceVerbs that always run in the user namespace with a mount namespace
// of their own. Left out: those whose namespaces the C# side chooses (container: cp/export/exec; network,
// start, restart: the rootless network namespace's user namespace). A unit test keeps this list and
// UserNamespaceVerbs in step.
static const char *const shortcut_verbs[] = {
    "unshare", "run", "create", "rm", "pull", "push", "image", "tag", "untag", "rmi", "import", "load", "volume", NULL,
};

// Global options that take a separate value (Program.cs FindVerb skips the same).
static const char *const valued_globals[] = {"--root", "--runroot", "--log-level", "--storage-driver", "--cgroup-manager", NULL};

static int one_of(const char *word, const char *const *list)
{
    for (size_t i = 0; list[i] != NULL; i++)
        if (strcmp(word, list[i]) == 0)
            return 1;
    return 0;
}

// --network values that never mean a user-defined network (those need the network's user namespace).
static int plain_network(const char *value)
{
    static const char *const plain[] = {"none", "host", "pasta", "slirp4netns", NULL};
    if (one_of(value, plain))
        return 1;
    return strncmp(value, "pasta:", 6) == 0 || strncmp(value, "slirp4netns:", 12) == 0;
}

// The index of the verb in argv (the first word that is neither a global option nor its value), or -1.
static int find_verb(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') {
            if (one_of(argv[i], valued_globals))
                i++;
            continue;
        }
        return i;
    }
    return -1;
}

// True when argv asks for a verb of shortcut_verbs and nothing that would make the C# side decide
// otherwise (help, a network that may be user-defined). Errs on the side of "no": the re-exec is always right.
static int shortcut_wanted(int argc, char **argv)
{
    int verb = find_verb(argc, argv);
    if (verb < 0 || !one_of(argv[verb], shortcut_verbs))
        return 0;
    int runs = strcmp(argv[verb], "run") == 0 || strcmp(argv[verb], "create") == 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
            return 0;
        if (!runs)
            continue;
        const char *value = NULL;
        if (strcmp(a, "--network") == 0 || strcmp(a, "--net") == 0) {
            if (i + 1 >= argc)
                return 0;
            value = argv[i + 1];
        } else if (strncmp(a, "--network=", 10) == 0) {
            value = a + 10;
        } else if (strncmp(a, "--net=", 6) == 0) {
            value = a + 6;
        }
        if (value != NULL && !plain_network(value))
            return 0;
    }
    return 1;
}

static ssize_t read_small(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n;
    do {
        n = read(fd, buf, size - 1);
    } while (n < 0 && errno == EINTR);
    close(fd);
    if (n >= 0)
        buf[n] = '\0';
    return n;
}

// Field 22 of /proc/PID/stat (start time), or -1 when the process is gone or a zombie.
static long long start_time(long pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    if (read_small(path, buf, sizeof buf) <= 0)
        return -1;
    char *p = strrchr(buf, ')');
    if (p == NULL || p[1] != ' ' || p[2] == 'Z' || p[2] == 'X')
        return -1;
    p += 2;
    for (int field = 3; field < 22; field++) {
        p = strchr(p, ' ');
        if (p == NULL)
            return -1;
        p++;
    }
    return strtoll(p, NULL, 10);
}

static int file_stamp_matches(const char *path, long long size, long long mtime)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return size == -1 && mtime == -1;
    // 100 ns units since the epoch, as UserNamespaceHolderRecord writes them (.NET's DateTime resolution).
    return (long long)st.st_size == size && (long long)st.st_mtim.tv_sec * 10000000LL + st.st_mtim.tv_nsec / 100 == mtime;
}

// Opens the holder's user namespace when pause.pid names a live holder (same start time, same namespace)
// started with today's /etc/subuid and /etc/subgid; -1 otherwise.
// The directory is StorePaths' default rootless runroot: $XDG_RUNTIME_DIR/skiff, else $TMPDIR (or /tmp)/skiff-run-UID.
static int open_holder(uid_t uid)
{
    char path[4096], buf[4096];
    const char *runtime_dir = getenv("XDG_RUNTIME_DIR");
    const char *tmp = getenv("TMPDIR");
    int len = runtime_dir != NULL && runtime_dir[0] != '\0'
        ? snprintf(path, sizeof path, "%s/skiff/pause.pid", runtime_dir)
        : snprintf(path, sizeof path, "%s/skiff-run-%u/pause.pid", tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp", (unsigned)uid);
    if (len < 0 || len >= (int)sizeof path)
        return -1;
    if (read_small(path, buf, sizeof buf) <= 0)
        return -1;
    long pid;
    long long start, uid_size, uid_mtime, gid_size, gid_mtime;
    char userns[64];
    if (sscanf(buf, "%ld\nstart %lld\nuserns %63s\nsubids %lld:%lld %lld:%lld", &pid, &start, userns, &uid_size,
               &uid_mtime, &gid_size, &gid_mtime) != 7 || pid <= 0)
        return -1;
    if (!file_stamp_matches("/etc/subuid", uid_size, uid_mtime) || !file_stamp_matches("/etc/subgid", gid_size, gid_mtime))
        return -1;
    if (start_time(pid) != start)
        return -1;
    snprintf(path, sizeof path, "/proc/%ld/ns/user", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char link[64];
    ssize_t n = readlink(path, link, sizeof link - 1);
    // Checked after opening: the pid cannot have been reused for the namespace we hold now.
    if (n <= 0 || (link[n] = '\0', strcmp(link, userns) != 0) || start_time(pid) != start) {
        close(fd);
        return -1;
    }
    return fd;
}

static void join_holder(int argc, char **argv)
{
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (uid == 0 || getenv("_SKIFF_ROOTLESS") != NULL || !shortcut_wanted(argc, argv))
        return;
    int fd = open_holder(uid);
    if (fd < 0)
        return;

    // What the C# side passes to the skiff it re-executes (CurrentUser.RootlessVariable): who we are outside.
    char identity[320];
    struct passwd entry, *found = NULL;
    char pwbuf[1024];
    if (getpwuid_r(uid, &entry, pwbuf, sizeof pwbuf, &found) == 0 && found != NULL && strlen(found->pw_name) < 256)
        snprintf(identity, sizeof identity, "%u:%u:%s", (unsigned)uid, (unsigned)gid, found->pw_name);
    else
        snprintf(identity, sizeof identity, "%u:%u:%u", (unsigned)uid, (unsigned)gid, (unsigned)uid);

    if (setns(fd, CLONE_NEWUSER) < 0) {
        close(fd);
        return;
    }
    close(fd);
    // Inside now: there is no way back, so a failure ends the command.
    if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0 || unshare(CLONE_NEWNS) < 0) {
        fprintf(stderr, "Error: cannot enter skiff's rootless user namespace: %s\nHint: run 'skiff system migrate' and try again\n", strerror(errno));
        _exit(125);
    }
    setenv("_SKIFF_ROOTLESS", identity, 1);
    setenv("_SKIFF_NS_ENTERED", "1", 1);
}

// skiff's long-lived helpers (DnsServer.Verb, PortForwarder.Verb, RootlessNetworkNamespaceSetup.Verb; a unit
// test keeps them in step): they idle for as long as their containers run, and their resident size is what users
// see. (The user namespace's holder never gets this far: hold_forever.)
static const char *const helper_verbs[] = {"__dns", "__port-forward", "__rootless-netns", NULL};

static int map_code(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type == PT_LOAD && (segment->p_flags & PF_X)) {
            uintptr_t start = (info->dlpi_addr + segment->p_vaddr) & ~(uintptr_t)4095;
            uintptr_t end = info->dlpi_addr + segment->p_vaddr + segment->p_memsz;
            // MADV_POPULATE_READ (Linux 5.14): an older kernel says EINVAL and nothing changes.
            madvise((void *)start, end - start, 22);
        }
    }
    return 1; // the first object is the program itself
}

// Maps the program's code (the executable segment, ~9 MB of page-cache pages) into the page tables in one
// call. A short-lived skiff otherwise takes ~60 separate page faults on its code, each mapping the 16 pages
// around the address (the kernel's fault-around), and a fault costs ~14 us in the VMs measured here
// (bench/README.md, session 16): 185 fewer faults per `run --rm` of its three processes. Done by the process
// that goes on into .NET: a fork does not copy the parent's page tables of file mappings.
static void map_code_ahead(int argc, char **argv)
{
    int verb = argv != NULL ? find_verb(argc, argv) : -1;
    if (verb >= 0 && one_of(argv[verb], helper_verbs))
        return;
    dl_iterate_phdr(map_code, NULL);
}

// NamespaceLauncher's direct path: starts a program as posix_spawn does (a vfork-style clone, the calling thread
// waits until the child exec'd or failed; the child runs only this C on a stack of its own, never .NET code), but
// in new namespaces made by the clone itself and after joining others by descriptor, so the program goes on into
// .NET already inside them: no entry stage to exec, no fork for a new pid namespace, no intermediate process.
// Not for a new or joined user namespace (a process sharing its memory may enter none: the entry stage does that)
// nor a joined pid namespace (its members are children, so the entry stage's fork is needed).
struct skiff_spawn_request {
    const char *path;
    char *const *argv;
    char *const *envp;
    const int *fds;   // nfds pairs {descriptor, number in the child}; every other descriptor is closed
    int nfds;
    int close_from;   // above the highest number in the child
    const int *joins; // njoins pairs {namespace descriptor, CLONE_NEW* type}, joined in this order
    int njoins;
    int flags;        // CLONE_NEW* flags of the namespaces to create
    int error;        // out: errno of the step that failed, 0 when the program was exec'd
    int step;         // out: that step (enum step)
};

enum { STEP_SPAWN_CLONE = 9, STEP_SPAWN_FDS = 10, STEP_SPAWN_EXEC = 11, SPAWN_STAGING_FD = 900 };

static int spawn_failed(struct skiff_spawn_request *request, int step)
{
    // The parent's memory, shared until the exec: it reads these once the clone returned.
    request->error = errno;
    request->step = step;
    _exit(127);
}

static int spawn_child(void *arg)
{
    struct skiff_spawn_request *request = arg;
    // Every signal to its default, as POSIX_SPAWN_SETSIGDEF with a full set: .NET's handlers must never run here.
    struct sigaction original;
    memset(&original, 0, sizeof original);
    original.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++) {
        if (sig != SIGKILL && sig != SIGSTOP)
            sigaction(sig, &original, NULL); // glibc's own signals answer EINVAL: nothing to reset there
    }
    for (int i = 0; i < request->njoins; i++) {
        if (setns(request->joins[2 * i], request->joins[2 * i + 1]) < 0)
            spawn_failed(request, STEP_SETNS);
    }
    // Through staging numbers first, so no dup2 onto a target clobbers a source still needed (as Spawner does).
    for (int i = 0; i < request->nfds; i++) {
        if (dup2(request->fds[2 * i], SPAWN_STAGING_FD + i) < 0)
            spawn_failed(request, STEP_SPAWN_FDS);
    }
    for (int i = 0; i < request->nfds; i++) {
        if (dup2(SPAWN_STAGING_FD + i, request->fds[2 * i + 1]) < 0)
            spawn_failed(request, STEP_SPAWN_FDS);
    }
    if (syscall(SYS_close_range, (unsigned)request->close_from, ~0U, 0) < 0)
        spawn_failed(request, STEP_SPAWN_FDS);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execve(request->path, request->argv, request->envp);
    return spawn_failed(request, STEP_SPAWN_EXEC);
}

// Returns the child's pid (with request->error set when it failed before its exec: it then exits 127 and must be
// waited for), or -1 when no child was made.
int skiff_spawn_into(struct skiff_spawn_request *request)
{
    const size_t size = 64 * 1024;
    char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        request->error = errno;
        request->step = STEP_SPAWN_CLONE;
        return -1;
    }
    // Blocked across the clone, so no handler of the caller's runs in the child before it reset them all.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    request->error = 0;
    int pid = clone(spawn_child, stack + size, CLONE_VM | CLONE_VFORK | SIGCHLD | request->flags, request);
    int saved = errno;
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    munmap(stack, size);
    if (pid < 0) {
        request->error = saved;
        request->step = STEP_SPAWN_CLONE;
    }
    return pid;
}

// glibc passes argc, argv and envp to ELF constructors.
__attribute__((constructor)) static void skiff_nsenter(int argc, char **argv, char **envp)
{
    (void)envp;
    const char *sync = getenv("_SKIFF_NS_SYNC");
    if (sync == NULL) {
        if (argv != NULL)
            join_holder(argc, argv);
        map_code_ahead(argc, argv);
        return;
    }
    sync_fd = atoi(sync);
    if (sync_fd <= 2) {
        map_code_ahead(argc, argv);
        return;
    }

    const char *flags_text = getenv("_SKIFF_NS_FLAGS");
    const char *join_pid = getenv("_SKIFF_NS_JOIN");
    const char *join_types = getenv("_SKIFF_NS_JOIN_TYPES");
    int flags = flags_text ? (int)strtol(flags_text, NULL, 10) : 0;
    char record[4096] = "";
    const char *pause_record = getenv("_SKIFF_NS_PAUSE");
    int hold = pause_record != NULL;
    if (hold && strlen(pause_record) < sizeof record)
        strcpy(record, pause_record);
    // The holder must not stay the launcher's child: the fork leaves it to init (or the nearest subreaper).
    int need_fork = hold;

    // Children that .NET starts later must not run this stage again.
    unsetenv("_SKIFF_NS_FLAGS");
    unsetenv("_SKIFF_NS_JOIN");
    unsetenv("_SKIFF_NS_JOIN_TYPES");
    unsetenv("_SKIFF_NS_PAUSE");

    const char *clone_from = getenv("_SKIFF_NS_CLONE_FROM");
    if (clone_from != NULL) {
        clone_foreign_mount(clone_from);
        unsetenv("_SKIFF_NS_CLONE_FROM");
    }

    need_fork |= join_namespaces(join_pid, join_types);

    if (flags & CLONE_NEWUSER) {
        if (unshare(CLONE_NEWUSER) < 0)
            fail(STEP_UNSHARE_USER);
        // The parent writes our maps; it needs to open /proc/<pid>/uid_map, which a
        // non-dumpable process would hide from it.
        prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
        send_msg('U', (int32_t)getpid(), 0);
        wait_maps();
        become_root();
    }

    int rest = flags & ~CLONE_NEWUSER;
    if (rest != 0 && unshare(rest) < 0)
        fail(STEP_UNSHARE_REST);
    if (rest & CLONE_NEWPID)
        need_fork = 1;

    if (need_fork) {
        pid_t child = fork();
        if (child < 0)
            fail(STEP_FORK);
        if (child > 0) {
            send_msg('P', (int32_t)child, 0);
            _exit(0);
        }
    } else {
        send_msg('P', (int32_t)getpid(), 0);
    }
    if (hold)
        hold_forever(record);
    setenv("_SKIFF_NS_ENTERED", "1", 1);
    map_code_ahead(argc, argv);
}
