#ifndef CLAUNCHER_H
#define CLAUNCHER_H

// The part of the job launcher that runs between fork and exec, in C because the runner is a multi-threaded Swift
// process: after fork only async-signal-safe system calls may run, and Swift's Glibc module lacks unshare, mount,
// prctl, close_range and pipe2. Everything the child needs (argv, environment, file contents) is prepared by the
// caller before the fork; nothing here allocates memory in a child.

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/// Where a launch failed; sent with errno through the error pipe so the runner can name the failing call.
enum {
    CL_STAGE_NONE = 0,
    CL_STAGE_PIPE = 1,
    CL_STAGE_FORK = 2,
    CL_STAGE_DESCRIPTORS = 3,
    CL_STAGE_SESSION = 4,
    CL_STAGE_PARENT_DEATH_SIGNAL = 5,
    CL_STAGE_NAMESPACES = 6,
    CL_STAGE_USER_MAP = 7,
    CL_STAGE_PRIVATE_ROOT = 8,
    CL_STAGE_MOUNT_TMPFS = 9,
    CL_STAGE_OPEN_DIRECTORY = 10,
    CL_STAGE_NOT_TMPFS = 11,
    CL_STAGE_WRITE_FILE = 12,
    CL_STAGE_NOT_DUMPABLE = 13,
    CL_STAGE_FORK_JOB = 14,
    CL_STAGE_CONTROLLING_TERMINAL = 15,
    CL_STAGE_WORKING_DIRECTORY = 16,
    CL_STAGE_EXEC = 17,
    CL_STAGE_EXEC_INIT = 18,
};

/// One secret file to create in the secrets directory: a plain name (already validated) and its bytes.
typedef struct {
    const char *name;
    const unsigned char *bytes;
    size_t length;
} cl_secret_file;

/// Everything a launch needs, prepared before the fork so that the children only read memory.
typedef struct {
    /// The path handed to execve (already resolved against the child's PATH).
    const char *executable;
    /// NULL-terminated argument and environment vectors, used exactly as given.
    char *const *argv;
    char *const *envp;
    const char *working_directory;
    /// The empty directory to hold the files (the tmpfs mount point in namespace mode), or NULL for none.
    const char *secrets_directory;
    const cl_secret_file *files;
    size_t file_count;
    /// Mount data for the private tmpfs, such as "mode=0700,size=8388608".
    const char *tmpfs_options;
    /// 1: private mount + PID namespace whose PID 1 starts the job; 0: start the job directly.
    int use_namespaces;
    /// 1: also create a user namespace (the caller is not root); the maps are written as given, e.g. "1000 1000 1".
    int use_user_namespace;
    /// The small program that PID 1 becomes once the job runs (jobrunner-init, see cl_run_as_namespace_init), or
    /// NULL. With it, PID 1 is created sharing the runner's memory (like vfork) and then executes it, so the
    /// runner's large address space is never copied; without it (or with a user namespace, whose id maps PID 1
    /// must write while it can still open its own /proc files), PID 1 is a copy of the runner made by fork.
    const char *init_executable;
    const char *uid_map;
    const char *gid_map;
    /// The child's ends of its standard output and error (pipe write ends or terminal devices).
    int stdout_fd;
    int stderr_fd;
    /// 1: stdout_fd is a terminal that becomes the job's controlling terminal.
    int stdout_is_terminal;
    /// Memory holding plaintext (environment, file contents) that PID 1 overwrites in its own copy of the runner's
    /// memory once the job runs, so the long-lived helper does not keep it; NULL for none.
    void *plaintext;
    size_t plaintext_length;
} cl_launch_spec;

/// What cl_launch reports back.
typedef struct {
    /// The direct child: the namespace's PID 1 in namespace mode, the job itself otherwise.
    pid_t pid;
    /// Namespace mode: the read end of the pipe on which PID 1 writes the job's raw wait status; -1 otherwise.
    int status_fd;
    /// CL_STAGE_NONE when the job was executed; else where it failed.
    int failed_stage;
    /// The errno of the failure, or the filesystem magic number for CL_STAGE_NOT_TMPFS.
    int failed_errno;
} cl_launch_outcome;

/// Starts the job as the spec says; returns 0 once execve succeeded, -1 when any step failed (the child is then
/// already reaped). Blocks all signals around the clone; call it from a thread that outlives the child, because the
/// parent-death signal follows the creating thread.
int cl_launch(const cl_launch_spec *spec, cl_launch_outcome *outcome);

/// The rest of the life of a namespace's PID 1 once the job `job` runs: forwards the runner's signals to the job's
/// process group, reaps every orphan, and when the job ends writes its raw wait status to descriptor 4 (the status
/// pipe) and exits with the job's code (128 + N for signal N). Signals must be blocked on entry; it unblocks them
/// once its handlers are in place, so a signal that came earlier is delivered then, not lost.
__attribute__((noreturn)) void cl_run_as_namespace_init(pid_t job);

/// The system call that a stage stands for, for error messages ("unshare", "mount", "execve").
const char *cl_stage_call(int stage);

/// Creates the files in an existing directory after checking with fstatfs that it is tmpfs; 0 or -1 with stage/errno.
int cl_populate_secret_directory(const char *directory, const cl_secret_file *files, size_t count, int *stage,
                                 int *error);

/// Unlinks every entry of a flat directory, then the directory itself; 0 or an errno value.
int cl_remove_flat_directory(const char *path);

/// The filesystem magic number of the filesystem holding path (statfs f_type), or -1 with errno.
long cl_filesystem_magic(const char *path);

/// The magic number of tmpfs, for comparisons in Swift.
long cl_tmpfs_magic(void);

/// Opens a pseudo-terminal pair (both ends close-on-exec), with output post-processing off on the terminal side so
/// bytes pass unchanged; 0 or an errno value.
int cl_open_pseudo_terminal(int *controller, int *terminal);

/// Copies the window size of the terminal on from_fd to to_fd; 0 or an errno value.
int cl_copy_window_size(int from_fd, int to_fd);

/// Whether fd is a terminal.
int cl_is_terminal(int fd);

/// Waits until pid has exited without reaping it (so its pid cannot be reused yet); 0 or an errno value.
int cl_wait_until_exited(pid_t pid);

/// Reaps pid and stores its raw wait status; 0 or an errno value.
int cl_reap(pid_t pid, int *status);

/// The exit code in a raw wait status, or -1 when the process did not exit normally.
int cl_status_exit_code(int status);

/// The signal that ended the process in a raw wait status, or 0 when it was not a signal.
int cl_status_signal(int status);

/// The abbreviation of a signal ("TERM" for SIGTERM), or NULL for an unknown number; for messages.
const char *cl_signal_abbreviation(int number);

/// Marks the runner not dumpable, so processes of the same user (its own jobs among them) cannot read its memory
/// through /proc/PID/mem or ptrace while it holds resolved secrets; 0 or an errno value.
int cl_protect_runner_memory(void);

/// Creates a close-on-exec pipe; 0 or an errno value.
int cl_pipe(int fds[2]);

#endif
