#include "CLauncher.h"

int cl_launcher_version(void) { return 1; }
