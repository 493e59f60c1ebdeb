#define _GNU_SOURCE
#include <sys/prctl.h>
#include <errno.h>

#include "CLauncher.h"

int cl_protect_runner_memory(void) {
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == 0 ? 0 : errno;
}
