#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "launcher_internal.h"

const char *cl_stage_call(int stage) {
    switch (stage) {
    case CL_STAGE_PIPE: return "pipe2";
    case CL_STAGE_FORK: return "clone";
    case CL_STAGE_DESCRIPTORS: return "dup3";
    case CL_STAGE_SESSION: return "setsid";
    case CL_STAGE_PARENT_DEATH_SIGNAL: return "prctl(PR_SET_PDEATHSIG)";
    case CL_STAGE_NAMESPACES: return "clone(CLONE_NEWPID|CLONE_NEWNS)";
    case CL_STAGE_USER_MAP: return "write uid_map/gid_map";
    case CL_STAGE_PRIVATE_ROOT: return "mount(/, MS_PRIVATE)";
    case CL_STAGE_MOUNT_TMPFS: return "mount(tmpfs)";
    case CL_STAGE_OPEN_DIRECTORY: return "open secrets directory";
    case CL_STAGE_NOT_TMPFS: return "statfs";
    case CL_STAGE_WRITE_FILE: return "write secret file";
    case CL_STAGE_NOT_DUMPABLE: return "prctl(PR_SET_DUMPABLE)";
    case CL_STAGE_FORK_JOB: return "clone (job)";
    case CL_STAGE_CONTROLLING_TERMINAL: return "ioctl(TIOCSCTTY)";
    case CL_STAGE_WORKING_DIRECTORY: return "chdir";
    case CL_STAGE_EXEC: return "execve";
    case CL_STAGE_EXEC_INIT: return "execve (jobrunner-init)";
    default: return "launch";
    }
}

static int fail_in_parent(cl_launch_outcome *outcome, int stage, int error) {
    outcome->failed_stage = stage;
    outcome->failed_errno = error;
    return -1;
}

/* The job started straight from the runner (no namespaces): its descriptors in place, dying with the runner. */
static void prepare_direct_job(const cl_clone_context *context) {
    cl_place_descriptors(context->spec->stdout_fd, context->spec->stderr_fd, context->error_fd, -1);
    cl_die_with_parent(context->runner, CL_FD_ERROR);
}

/*
 * Pins the calling thread to the CPU it runs on, saving the CPUs it may use in `saved`; 1 when pinned. A namespace
 * launch is a chain of children that this thread waits for in turn (PID 1, then the job, then PID 1's execve of
 * jobrunner-init), all created with CLONE_VFORK: pinned like this thread, each starts on the CPU the waiting creator
 * leaves idle instead of queueing behind other work on a busy one. With another process keeping one of two cores
 * busy that saved about 2 ms of an `exec` (bench/exec-overhead); a direct launch, one child, gained nothing. Every
 * child gives the saved CPUs back before execve, and this thread right after the launch.
 */
static int pin_to_current_cpu(cpu_set_t *saved) {
    int cpu = sched_getcpu();
    if (cpu < 0 || sched_getaffinity(0, sizeof *saved, saved) != 0) return 0;
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    return sched_setaffinity(0, sizeof one, &one) == 0;
}

/* Room for the calls between clone and execve, of the job and (when it executes jobrunner-init) of PID 1: two
 * halves, because PID 1 waits on its own half while the job runs on the other. Their frames are small and they never
 * allocate. */
enum { job_stack_size = 256 * 1024 };

int cl_launch(const cl_launch_spec *spec, cl_launch_outcome *outcome) {
    outcome->pid = -1;
    outcome->status_fd = -1;
    outcome->failed_stage = CL_STAGE_NONE;
    outcome->failed_errno = 0;

    if (!spec->use_namespaces && spec->secrets_directory != NULL) {
        int stage = CL_STAGE_NONE;
        int error = 0;
        if (cl_populate_secret_directory(spec->secrets_directory, spec->files, spec->file_count, &stage, &error) != 0) {
            return fail_in_parent(outcome, stage, error);
        }
    }

    int error_pipe[2];
    int status_pipe[2] = {-1, -1};
    if (pipe2(error_pipe, O_CLOEXEC) != 0) return fail_in_parent(outcome, CL_STAGE_PIPE, errno);
    if (spec->use_namespaces && pipe2(status_pipe, O_CLOEXEC) != 0) {
        int error = errno;
        (void)close(error_pipe[0]);
        (void)close(error_pipe[1]);
        return fail_in_parent(outcome, CL_STAGE_PIPE, error);
    }
    void *stack = mmap(NULL, job_stack_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (stack == MAP_FAILED) {
        int error = errno;
        (void)close(error_pipe[0]);
        (void)close(error_pipe[1]);
        if (status_pipe[0] >= 0) (void)close(status_pipe[0]);
        if (status_pipe[1] >= 0) (void)close(status_pipe[1]);
        return fail_in_parent(outcome, CL_STAGE_FORK, error);
    }
    cl_clone_context context = {
        .spec = spec,
        .runner = getpid(),
        .error_fd = error_pipe[1],
        .status_fd = status_pipe[1],
        .job_stack_top = (char *)stack + job_stack_size,
        .init_stack_top = (char *)stack + job_stack_size / 2,
    };

    /* Signals stay blocked in the children until their handlers are reset or in place. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    cpu_set_t runner_affinity;
    if (spec->use_namespaces && pin_to_current_cpu(&runner_affinity)) context.runner_affinity = &runner_affinity;
    pid_t child = spec->use_namespaces ? cl_clone_namespace_init(&context) : cl_spawn_job(&context, prepare_direct_job);
    int clone_error = errno;
    if (context.runner_affinity != NULL) (void)sched_setaffinity(0, sizeof runner_affinity, &runner_affinity);
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    /* PID 1 has its own copy of the stack or has executed jobrunner-init; a direct job has called execve or exited
     * by now. */
    (void)munmap(stack, job_stack_size);
    (void)close(error_pipe[1]);
    if (status_pipe[1] >= 0) (void)close(status_pipe[1]);
    if (child < 0) {
        (void)close(error_pipe[0]);
        if (status_pipe[0] >= 0) (void)close(status_pipe[0]);
        /* These say the kernel refuses the namespaces here (no privilege, disabled, too many), not that it is out of
         * resources. */
        int refused = clone_error == EPERM || clone_error == EINVAL || clone_error == ENOSPC || clone_error == EUSERS ||
                      clone_error == EACCES;
        int stage = spec->use_namespaces && refused ? CL_STAGE_NAMESPACES : CL_STAGE_FORK;
        return fail_in_parent(outcome, stage, clone_error);
    }

    /* End of file without a record: every writer is gone because execve closed the last one. */
    int32_t failure[2] = {CL_STAGE_NONE, 0};
    ssize_t got = cl_read_fully(error_pipe[0], failure, sizeof failure);
    int read_error = errno;
    (void)close(error_pipe[0]);
    if (got != 0) {
        int status = 0;
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        if (status_pipe[0] >= 0) (void)close(status_pipe[0]);
        if (got == (ssize_t)sizeof failure) return fail_in_parent(outcome, failure[0], failure[1]);
        return fail_in_parent(outcome, CL_STAGE_PIPE, got < 0 ? read_error : EPROTO);
    }
    outcome->pid = child;
    outcome->status_fd = status_pipe[0];
    return 0;
}
