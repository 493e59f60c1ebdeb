#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "launcher_internal.h"

/* The signals a job must be able to receive from the runner through the helper processes. */
static const int forwarded_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH};

/* The job whose process group gets forwarded signals; 0 until it exists. */
static volatile sig_atomic_t forward_target = 0;

static void forward_signal(int number) {
    int saved = errno;
    pid_t job = forward_target;
    /* Before the job's setsid its group does not exist yet: then the job itself gets the signal. */
    if (job > 0 && kill(-job, number) != 0) (void)kill(job, number);
    errno = saved;
}

void cl_install_forwarding(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = forward_signal;
    action.sa_flags = SA_RESTART;
    sigfillset(&action.sa_mask);
    for (size_t index = 0; index < sizeof forwarded_signals / sizeof forwarded_signals[0]; index++) {
        (void)sigaction(forwarded_signals[index], &action, NULL);
    }
    /* The runner may ignore SIGCHLD; helpers must be able to wait for their children. */
    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    (void)sigaction(SIGCHLD, &default_action, NULL);
}

void cl_forward_signals_to(pid_t job) { forward_target = job; }

void cl_unblock_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
}

void cl_die_with_parent(pid_t expected_parent, int error_fd) {
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        cl_fail(error_fd, CL_STAGE_PARENT_DEATH_SIGNAL, errno, CL_EXIT_SETUP_FAILED);
    }
    /* The parent died before the signal was armed: nobody waits for this launch any more. */
    if (getppid() != expected_parent) _exit(CL_EXIT_SETUP_FAILED);
}
