#include "CExecutorHook.h"

#include <stddef.h>

/// The Swift runtime's hook variable (swift/Runtime/Concurrency.h declares it as a function pointer with the
/// Swift calling convention); only its address and an atomic exchange are needed here.
extern const void *swift_task_enqueueGlobal_hook;

bool jobrunner_install_global_enqueue_hook(const void *hook) {
    const void *expected = NULL;
    return __atomic_compare_exchange_n(&swift_task_enqueueGlobal_hook, &expected, hook, false, __ATOMIC_SEQ_CST,
                                       __ATOMIC_SEQ_CST);
}
