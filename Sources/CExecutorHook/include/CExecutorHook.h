#ifndef JOBRUNNER_C_EXECUTOR_HOOK_H
#define JOBRUNNER_C_EXECUTOR_HOOK_H

#include <stdbool.h>

/// Installs `hook` as Swift concurrency's global enqueue hook (the runtime variable
/// `swift_task_enqueueGlobal_hook`), if no hook is installed yet; returns whether it was installed.
///
/// SwiftNIO installs its event loops there through `dlsym`, which finds the variable only when the Swift
/// runtime is a shared library: a binary built with `--static-swift-stdlib` links the runtime in with its
/// symbols unexported, and `dlsym` then finds nothing. Referring to the variable from C resolves it when the
/// binary is linked, in either build.
bool jobrunner_install_global_enqueue_hook(const void *hook);

#endif
