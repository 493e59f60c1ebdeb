#ifndef CLAUNCHER_INTERNAL_H
#define CLAUNCHER_INTERNAL_H

#include <sched.h>

#include "CLauncher.h"

/// Descriptor slots shared by every process between the runner and the job, fixed so no process needs a table.
enum {
    CL_FD_STDOUT = 1,
    CL_FD_STDERR = 2,
    CL_FD_ERROR = 3,
    CL_FD_STATUS = 4,
};

/// Exit code of a helper process that failed before the job could start (the shell's "runner failed").
enum { CL_EXIT_SETUP_FAILED = 125 };

/// Writes all of buffer, retrying on EINTR and short writes; 0 or -1 with errno.
int cl_write_fully(int fd, const void *buffer, size_t length);

/// Reads until length bytes or end of file, retrying on EINTR; the number of bytes read or -1 with errno.
ssize_t cl_read_fully(int fd, void *buffer, size_t length);

/// Sends {stage, error} on the error pipe and ends the process with code. Async-signal-safe.
__attribute__((noreturn)) void cl_fail(int error_fd, int stage, int error, int code);

/// Moves the child's output ends, the error pipe and the status pipe (or -1) to their fixed slots (1, 2, 3, 4) and
/// closes every other descriptor above 2, so that helper processes never hold another job's pipes open.
/// Reports a failure on the error pipe itself.
void cl_place_descriptors(int stdout_fd, int stderr_fd, int error_fd, int status_fd);

/// Marks every descriptor from 3 upwards close-on-exec, so the job inherits only its standard streams.
void cl_mark_inherited_close_on_exec(void);

/// Sets the parent-death signal to SIGKILL and ends the process if the expected parent is already gone.
void cl_die_with_parent(pid_t expected_parent, int error_fd);

/// Sends the signals a job must be able to receive (SIGINT, SIGTERM, …) on to the job's process group.
void cl_forward_signals_to(pid_t job);

/// Installs the forwarding handlers with no target yet; signals must be blocked until a target is set.
void cl_install_forwarding(void);

/// Unblocks every signal of the calling process.
void cl_unblock_signals(void);

/// What a process created by clone() needs from its creator; it lives in memory the child can read.
typedef struct {
    const cl_launch_spec *spec;
    pid_t runner;
    int error_fd;
    int status_fd;
    /// The top of a stack for the job, which is created with CLONE_VM|CLONE_VFORK (no copy of the address space).
    void *job_stack_top;
    /// The top of a stack for PID 1 when it is created the same way (it then executes jobrunner-init).
    void *init_stack_top;
    /// The CPUs the launching thread may run on, which every child restores before execve: during the launch the
    /// thread is pinned to its current CPU so that each child starts there (see cl_launch); NULL when it is not.
    const cpu_set_t *runner_affinity;
} cl_clone_context;

/// Turns the current process into the job: new session, terminal, working directory, clean signals, execve.
__attribute__((noreturn)) void cl_become_job(const cl_clone_context *context);

/// Gives the calling child the runner's own CPUs back (see cl_clone_context.runner_affinity), before execve.
void cl_restore_runner_affinity(const cl_clone_context *context);

/// Creates the job with CLONE_VM|CLONE_VFORK on the context's stack, as posix_spawn does: nothing is copied and
/// the caller is suspended until the job has called execve or exited. The job first runs prepare(context).
pid_t cl_spawn_job(const cl_clone_context *context, void (*prepare)(const cl_clone_context *));

/// Creates PID 1 of new PID (and mount, and user) namespaces, which then starts the job: by sharing the runner's
/// memory until it executes spec->init_executable when one is given and no user namespace is needed, else by a copy
/// of the runner (a raw clone that behaves like fork).
pid_t cl_clone_namespace_init(const cl_clone_context *context);

/// An exit code that mirrors a wait status: the code itself, or 128 + the signal number.
int cl_mirror_status(int status);

#endif
