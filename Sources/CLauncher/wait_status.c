#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "CLauncher.h"

int cl_wait_until_exited(pid_t pid) {
    siginfo_t info;
    while (waitid(P_PID, (id_t)pid, &info, WEXITED | WNOWAIT) != 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

int cl_reap(pid_t pid, int *status) {
    while (waitpid(pid, status, 0) < 0) {
        if (errno != EINTR) return errno;
    }
    return 0;
}

int cl_status_exit_code(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

int cl_status_signal(int status) { return WIFSIGNALED(status) ? WTERMSIG(status) : 0; }

int cl_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno; }

const char *cl_signal_abbreviation(int number) { return sigabbrev_np(number); }
