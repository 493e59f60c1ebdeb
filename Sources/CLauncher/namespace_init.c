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

/* PID 1's set-up, common to both ways of creating it: its descriptors and session, the user namespace's id maps,
 * death with the runner, and the private tmpfs with the files. Reports failures on the error pipe and exits. */
static void set_up_namespace_init(const cl_clone_context *context, int copy_of_runner) {
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
    /* A copy of the runner's memory: keep other processes of the same user (the job included) from reading it
     * through /proc/PID/mem or ptrace. After the maps, which need /proc/self files this process owns. (Sharing the
     * runner's memory, PID 1 shares its "not dumpable" mark already, and loses the memory at its execve.) */
    if (copy_of_runner && prctl(PR_SET_DUMPABLE, 0) != 0) {
        cl_fail(CL_FD_ERROR, CL_STAGE_NOT_DUMPABLE, errno, CL_EXIT_SETUP_FAILED);
    }
    /* The runner's death must take this process, and so the whole namespace, with it (the mark survives execve).
     * getppid() is 0 in a new PID namespace, so whether the runner is still there is read from the status pipe: no
     * reader, no runner. */
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
}

/* Only the job keeps the output pipes (and the runner's standard input) open, so the runner sees end of file when
 * the job is done, not when PID 1 is. */
static void close_job_streams(void) {
    (void)close(0);
    (void)close(CL_FD_STDOUT);
    (void)close(CL_FD_STDERR);
}

void cl_run_as_namespace_init(pid_t job) {
    cl_install_forwarding();
    cl_forward_signals_to(job);
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

/*
 * PID 1 of the new PID namespace as a copy of the runner, in its own mount namespace: mounts the private tmpfs and
 * writes the files, starts the job, then stays the namespace's init (cl_run_as_namespace_init); when it exits the
 * kernel kills whatever the job left behind and drops the mount namespace with the tmpfs.
 */
__attribute__((noreturn)) static void run_namespace_init_copy(const cl_clone_context *context) {
    set_up_namespace_init(context, 1);
    /* Handlers in place before the job exists; signals stay blocked until cl_run_as_namespace_init. */
    cl_install_forwarding();
    pid_t job = cl_spawn_job(context, prepare_job_in_namespace);
    if (job < 0) cl_fail(CL_FD_ERROR, CL_STAGE_FORK_JOB, errno, CL_EXIT_SETUP_FAILED);
    /* The job has called execve (the spawn waits for it), so this copy of the plaintext is no longer needed. */
    const cl_launch_spec *spec = context->spec;
    if (spec->plaintext != NULL) explicit_bzero(spec->plaintext, spec->plaintext_length);
    close_job_streams();
    (void)close(CL_FD_ERROR);
    cl_restore_runner_affinity(context);
    cl_run_as_namespace_init(job);
}

/*
 * PID 1 sharing the runner's memory while the runner waits (CLONE_VM|CLONE_VFORK): the same set-up and job, then it
 * executes jobrunner-init, which runs cl_run_as_namespace_init in a process of a few pages. Signals stay blocked
 * across execve, so none sent meanwhile is lost: a namespace's init only ignores signals it has no handler for
 * when they are not blocked.
 */
static int namespace_init_entry(void *raw) {
    const cl_clone_context *context = raw;
    set_up_namespace_init(context, 0);
    pid_t job = cl_spawn_job(context, prepare_job_in_namespace);
    if (job < 0) cl_fail(CL_FD_ERROR, CL_STAGE_FORK_JOB, errno, CL_EXIT_SETUP_FAILED);

    /* argv[1] is the job's pid in this namespace, in decimal, built without allocating. */
    char pid_text[16];
    char *digit = pid_text + sizeof pid_text;
    *--digit = '\0';
    unsigned int value = (unsigned int)job;
    do {
        *--digit = (char)('0' + value % 10);
        value /= 10;
    } while (value > 0);
    char *const argv[] = {"jobrunner-init", digit, NULL};
    char *const envp[] = {NULL};
    /* The status pipe stays open across execve; the error pipe closes there (it is close-on-exec), which tells the
     * runner that the launch succeeded. */
    if (fcntl(CL_FD_STATUS, F_SETFD, 0) != 0) {
        int error = errno;
        (void)kill(job, SIGKILL);
        cl_fail(CL_FD_ERROR, CL_STAGE_EXEC_INIT, error, CL_EXIT_SETUP_FAILED);
    }
    close_job_streams();
    cl_restore_runner_affinity(context);
    execve(context->spec->init_executable, argv, envp);
    /* Without its init the namespace cannot be kept: end the job now rather than leave it unwatched. */
    int error = errno;
    (void)kill(job, SIGKILL);
    cl_fail(CL_FD_ERROR, CL_STAGE_EXEC_INIT, error, CL_EXIT_SETUP_FAILED);
    return 0;
}

pid_t cl_clone_namespace_init(const cl_clone_context *context) {
    const cl_launch_spec *spec = context->spec;
    unsigned long flags = CLONE_NEWPID | SIGCHLD;
    if (spec->secrets_directory != NULL) flags |= CLONE_NEWNS;
    if (spec->init_executable != NULL && !spec->use_user_namespace) {
        /* Nothing is copied: the runner is suspended until PID 1 has executed jobrunner-init (or failed). */
        return clone(namespace_init_entry, context->init_stack_top, flags | CLONE_VM | CLONE_VFORK, (void *)context);
    }
    if (spec->use_user_namespace) flags |= CLONE_NEWUSER;
    /* A raw clone behaves like fork (a copy of the address space, returning twice) but takes namespace flags, and
     * unlike unshare it works from a multi-threaded process. With a NULL stack the child continues on its copy. */
    pid_t child = (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, 0UL);
    if (child == 0) run_namespace_init_copy(context);
    return child;
}
