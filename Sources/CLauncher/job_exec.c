#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "launcher_internal.h"

/* Gives every signal its default action: ignored signals (the runner ignores SIGINT, SIGPIPE, …) would otherwise
 * stay ignored in the job across execve. */
static void reset_signal_dispositions(void) {
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    for (int number = 1; number < NSIG; number++) {
        if (number == SIGKILL || number == SIGSTOP) continue;
        (void)sigaction(number, &default_action, NULL);
    }
}

void cl_restore_runner_affinity(const cl_clone_context *context) {
    if (context->runner_affinity != NULL) (void)sched_setaffinity(0, sizeof(cpu_set_t), context->runner_affinity);
}

void cl_become_job(const cl_clone_context *context) {
    const cl_launch_spec *spec = context->spec;
    /* A session of its own: the runner's terminal signals reach only the runner, which forwards them. */
    if (setsid() < 0) cl_fail(CL_FD_ERROR, CL_STAGE_SESSION, errno, CL_EXIT_SETUP_FAILED);
    if (spec->stdout_is_terminal && ioctl(CL_FD_STDOUT, TIOCSCTTY, 0) != 0) {
        cl_fail(CL_FD_ERROR, CL_STAGE_CONTROLLING_TERMINAL, errno, CL_EXIT_SETUP_FAILED);
    }
    if (chdir(spec->working_directory) != 0) {
        cl_fail(CL_FD_ERROR, CL_STAGE_WORKING_DIRECTORY, errno, 126);
    }
    reset_signal_dispositions();
    cl_mark_inherited_close_on_exec();
    cl_restore_runner_affinity(context);
    cl_unblock_signals();
    execve(spec->executable, spec->argv, spec->envp);
    int error = errno;
    cl_fail(CL_FD_ERROR, CL_STAGE_EXEC, error, error == ENOENT ? 127 : 126);
}

/* What the job's entry point needs, on the creator's (suspended) stack. */
typedef struct {
    const cl_clone_context *context;
    void (*prepare)(const cl_clone_context *);
} spawn_arguments;

static int job_entry(void *raw) {
    const spawn_arguments *arguments = raw;
    arguments->prepare(arguments->context);
    cl_become_job(arguments->context);
}

pid_t cl_spawn_job(const cl_clone_context *context, void (*prepare)(const cl_clone_context *)) {
    spawn_arguments arguments = {context, prepare};
    return clone(job_entry, context->job_stack_top, CLONE_VM | CLONE_VFORK | SIGCHLD, &arguments);
}
