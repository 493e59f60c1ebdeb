#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "CLauncher.h"

int cl_open_pseudo_terminal(int *controller, int *terminal) {
    int primary = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (primary < 0) return errno;
    char name[128];
    if (grantpt(primary) != 0 || unlockpt(primary) != 0 || ptsname_r(primary, name, sizeof name) != 0) {
        int error = errno;
        (void)close(primary);
        return error;
    }
    int secondary = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (secondary < 0) {
        int error = errno;
        (void)close(primary);
        return error;
    }
    /* No output post-processing (such as "\n" to "\r\n"): the runner must see the job's bytes unchanged. */
    struct termios settings;
    if (tcgetattr(secondary, &settings) != 0) {
        int error = errno;
        (void)close(primary);
        (void)close(secondary);
        return error;
    }
    settings.c_oflag &= ~(tcflag_t)(OPOST | ONLCR);
    if (tcsetattr(secondary, TCSANOW, &settings) != 0) {
        int error = errno;
        (void)close(primary);
        (void)close(secondary);
        return error;
    }
    *controller = primary;
    *terminal = secondary;
    return 0;
}

int cl_copy_window_size(int from_fd, int to_fd) {
    struct winsize size;
    if (ioctl(from_fd, TIOCGWINSZ, &size) != 0) return errno;
    if (ioctl(to_fd, TIOCSWINSZ, &size) != 0) return errno;
    return 0;
}

int cl_is_terminal(int fd) { return isatty(fd); }
