// jobrunner-init: what PID 1 of a job's private namespace becomes once the job runs (see cl_launch_spec's
// init_executable). The runner starts it; it is not meant to be run by hand.

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "CLauncher.h"

int main(int argc, char **argv) {
    char *end = NULL;
    long job = argc == 2 ? strtol(argv[1], &end, 10) : 0;
    if (getpid() != 1 || job <= 1 || end == NULL || *end != '\0') {
        fputs("jobrunner-init: started by 'jobrunner run' and 'jobrunner exec' as the first process of a job's private "
              "namespace, with the job's process id; it is not meant to be run by hand\n",
              stderr);
        return 125;
    }
    cl_run_as_namespace_init((pid_t)job);
}
