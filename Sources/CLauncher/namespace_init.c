#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher_internal.h"

int cl_mirror_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return CL_EXIT_SETUP_FAILED;
}

/* Writes text to a /proc file of this process (uid_map, gid_map, setgroups); 0 or -1 with errno. */
static int write_proc_file(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    int result = cl_write_fully(fd, text, strlen(text));
    int saved = errno;
    if (close(fd) != 0 && result == 0) return -1;
    errno = saved;
    return result;
}

/* The job's first steps inside the namespace: the status pipe is PID 1's alone. */
static void prepare_job_in_namespace(const cl_clone_context *context) {
    (void)context;
    (void)close(CL_FD_STATUS);
}

/*
 * PID 1 of the new PID namespace, in its own mount namespace: mounts the private tmpfs and writes the files, starts
 * the job, forwards signals to its process group, reaps every orphan, and when the job ends reports its raw status
 * and exits, which makes the kernel kill whatever the job left behind and drop the mount namespace with the tmpfs.
 */
__attribute__((noreturn)) static void run_namespace_init(const cl_clone_context *context) {
    const cl_launch_spec *spec = context->spec;
    cl_place_descriptors(spec->stdout_fd, spec->stderr_fd, context->error_fd, context->status_fd);
    /* A session of its own: Ctrl-C on the runner's terminal reaches only the runner, which forwards it. */
    if (setsid() < 0) cl_fail(CL_FD_ERROR, CL_STAGE_SESSION, errno, CL_EXIT_SETUP_FAILED);
    if (spec->use_user_namespace) {
        /* An unprivileged process may map only its own ids, and only once setgroups is denied. */
        if (write_proc_file("/proc/self/setgroups", "deny") != 0 ||
            write_proc_file("/proc/self/uid_map", spec->uid_map) != 0 ||
            write_proc_file("/proc/self/gid_map", spec->gid_map) != 0) {
            cl_fail(CL_FD_ERROR, CL_STAGE_USER_MAP, errno, CL_EXIT_SETUP_FAILED);
        }
    }
    /* This process is a copy of the runner's memory: keep other processes of the same user (the job included) from
     * reading it through /proc/PID/mem or ptrace. After the maps, which need /proc/self files this process owns. */
    if (prctl(PR_SET_DUMPABLE, 0) != 0) cl_fail(CL_FD_ERROR, CL_STAGE_NOT_DUMPABLE, errno, CL_EXIT_SETUP_FAILED);
    /* The runner's death must take this process, and so the whole namespace, with it. getppid() is 0 in a new
     * PID namespace, so whether the runner is still there is read from the status pipe: no reader, no runner. */
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        cl_fail(CL_FD_ERROR, CL_STAGE_PARENT_DEATH_SIGNAL, errno, CL_EXIT_SETUP_FAILED);
    }
    struct pollfd runner = {.fd = CL_FD_STATUS, .events = POLLOUT};
    if (poll(&runner, 1, 0) > 0 && (runner.revents & POLLERR)) _exit(CL_EXIT_SETUP_FAILED);

    if (spec->secrets_directory != NULL) {
        /* Private propagation first, so the tmpfs never shows up in the runner's mount namespace. */
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
            cl_fail(CL_FD_ERROR, CL_STAGE_PRIVATE_ROOT, errno, CL_EXIT_SETUP_FAILED);
        }
        if (mount("tmpfs", spec->secrets_directory, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, spec->tmpfs_options) !=
            0) {
            cl_fail(CL_FD_ERROR, CL_STAGE_MOUNT_TMPFS, errno, CL_EXIT_SETUP_FAILED);
        }
        int stage = CL_STAGE_NONE;
        int error = 0;
        if (cl_populate_secret_directory(spec->secrets_directory, spec->files, spec->file_count, &stage, &error) != 0) {
            cl_fail(CL_FD_ERROR, stage, error, CL_EXIT_SETUP_FAILED);
        }
    }

    cl_install_forwarding();
    pid_t job = cl_spawn_job(context, prepare_job_in_namespace);
    if (job < 0) cl_fail(CL_FD_ERROR, CL_STAGE_FORK_JOB, errno, CL_EXIT_SETUP_FAILED);
    cl_forward_signals_to(job);
    /* The job has called execve (the spawn waits for it), so this copy of the plaintext is no longer needed. */
    if (spec->plaintext != NULL) explicit_bzero(spec->plaintext, spec->plaintext_length);
    /* Only the job keeps the output and error pipes open, so the runner sees end of file when it is done. */
    (void)close(0);
    (void)close(CL_FD_STDOUT);
    (void)close(CL_FD_STDERR);
    (void)close(CL_FD_ERROR);
    cl_unblock_signals();
    for (;;) {
        int status = 0;
        pid_t ended = waitpid(-1, &status, 0);
        if (ended == job) {
            int32_t raw = status;
            (void)cl_write_fully(CL_FD_STATUS, &raw, sizeof raw);
            _exit(cl_mirror_status(status));
        }
        if (ended < 0 && errno != EINTR) _exit(CL_EXIT_SETUP_FAILED);
    }
}

pid_t cl_clone_namespace_init(const cl_clone_context *context) {
    const cl_launch_spec *spec = context->spec;
    unsigned long flags = CLONE_NEWPID | SIGCHLD;
    if (spec->secrets_directory != NULL) flags |= CLONE_NEWNS;
    if (spec->use_user_namespace) flags |= CLONE_NEWUSER;
    /* A raw clone behaves like fork (a copy of the address space, returning twice) but takes namespace flags, and
     * unlike unshare it works from a multi-threaded process. With a NULL stack the child continues on its copy. */
    pid_t child = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, 0UL);
    if (child == 0) run_namespace_init(context);
    return child;
}
