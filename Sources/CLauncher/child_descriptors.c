#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "launcher_internal.h"

int cl_write_fully(int fd, const void *buffer, size_t length) {
    const unsigned char *bytes = buffer;
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        bytes += written;
        length -= (size_t)written;
    }
    return 0;
}

ssize_t cl_read_fully(int fd, void *buffer, size_t length) {
    unsigned char *bytes = buffer;
    size_t total = 0;
    while (total < length) {
        ssize_t got = read(fd, bytes + total, length - total);
        if (got < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        if (got == 0) break;
        total += (size_t)got;
    }
    return (ssize_t)total;
}

void cl_fail(int error_fd, int stage, int error, int code) {
    int32_t record[2] = {stage, error};
    (void)cl_write_fully(error_fd, record, sizeof record);
    _exit(code);
}

/* Closes (or with CLOSE_RANGE_CLOEXEC marks) every descriptor from first upwards; falls back to a loop on kernels
 * without close_range. */
static void close_from(unsigned int first, unsigned int flags) {
    if (close_range(first, ~0U, flags) == 0) return;
    struct rlimit limit;
    rlim_t last = 65536;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) last = limit.rlim_cur;
    for (rlim_t fd = first; fd < last; fd++) {
        if (flags & CLOSE_RANGE_CLOEXEC) {
            int current = fcntl((int)fd, F_GETFD);
            if (current >= 0) (void)fcntl((int)fd, F_SETFD, current | FD_CLOEXEC);
        } else {
            (void)close((int)fd);
        }
    }
}

void cl_mark_inherited_close_on_exec(void) { close_from(CL_FD_ERROR, CLOSE_RANGE_CLOEXEC); }

void cl_place_descriptors(int stdout_fd, int stderr_fd, int error_fd, int status_fd) {
    /* First lift every source above the target slots, so that moving one cannot overwrite another. */
    enum { lifted_floor = 10 };
    int sources[4] = {stdout_fd, stderr_fd, error_fd, status_fd};
    int lifted[4] = {-1, -1, -1, -1};
    for (int index = 0; index < 4; index++) {
        if (sources[index] < 0) continue;
        lifted[index] = fcntl(sources[index], F_DUPFD_CLOEXEC, lifted_floor);
        if (lifted[index] < 0) cl_fail(error_fd, CL_STAGE_DESCRIPTORS, errno, CL_EXIT_SETUP_FAILED);
    }
    /* stdout and stderr stay open across execve; the error and status pipes must not. */
    if (dup2(lifted[0], CL_FD_STDOUT) < 0 || dup2(lifted[1], CL_FD_STDERR) < 0 ||
        dup3(lifted[2], CL_FD_ERROR, O_CLOEXEC) < 0) {
        cl_fail(lifted[2], CL_STAGE_DESCRIPTORS, errno, CL_EXIT_SETUP_FAILED);
    }
    unsigned int first_closed = CL_FD_ERROR + 1;
    if (lifted[3] >= 0) {
        if (dup3(lifted[3], CL_FD_STATUS, O_CLOEXEC) < 0) {
            cl_fail(CL_FD_ERROR, CL_STAGE_DESCRIPTORS, errno, CL_EXIT_SETUP_FAILED);
        }
        first_closed = CL_FD_STATUS + 1;
    }
    close_from(first_closed, 0);
}
