#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "launcher_internal.h"

long cl_tmpfs_magic(void) { return TMPFS_MAGIC; }

long cl_filesystem_magic(const char *path) {
    struct statfs info;
    if (statfs(path, &info) != 0) return -1;
    return (long)info.f_type;
}

/* Creates one file with exactly mode 0400 and writes all its bytes; 0 or -1 with errno. Async-signal-safe. */
static int write_secret_file(int directory, const cl_secret_file *file) {
    int fd = openat(directory, file->name, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0400);
    if (fd < 0) return -1;
    int result = 0;
    /* The umask could only remove bits from 0400, but fchmod makes the mode exact whatever it is. */
    if (fchmod(fd, 0400) != 0 || cl_write_fully(fd, file->bytes, file->length) != 0) result = -1;
    int saved = errno;
    if (close(fd) != 0 && result == 0) return -1;
    errno = saved;
    return result;
}

int cl_populate_secret_directory(const char *directory, const cl_secret_file *files, size_t count, int *stage,
                                 int *error) {
    int fd = open(directory, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        *stage = CL_STAGE_OPEN_DIRECTORY;
        *error = errno;
        return -1;
    }
    /* Checked on the very directory the files go into, so nothing can swap it between check and write. */
    struct statfs info;
    if (fstatfs(fd, &info) != 0) {
        *stage = CL_STAGE_OPEN_DIRECTORY;
        *error = errno;
        (void)close(fd);
        return -1;
    }
    if (info.f_type != TMPFS_MAGIC) {
        *stage = CL_STAGE_NOT_TMPFS;
        *error = (int)info.f_type;
        (void)close(fd);
        return -1;
    }
    for (size_t index = 0; index < count; index++) {
        if (write_secret_file(fd, &files[index]) != 0) {
            *stage = CL_STAGE_WRITE_FILE;
            *error = errno;
            (void)close(fd);
            return -1;
        }
    }
    (void)close(fd);
    return 0;
}

int cl_remove_flat_directory(const char *path) {
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return errno;
    DIR *listing = fdopendir(fd);
    if (listing == NULL) {
        int error = errno;
        (void)close(fd);
        return error;
    }
    int result = 0;
    struct dirent *entry;
    while ((entry = readdir(listing)) != NULL) {
        const char *name = entry->d_name;
        if (name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0))) continue;
        /* The files are on tmpfs: unlinking frees the pages; there is no disk copy to overwrite. */
        if (unlinkat(fd, name, 0) != 0 && errno != ENOENT && result == 0) result = errno;
    }
    (void)closedir(listing);
    if (rmdir(path) != 0 && result == 0) result = errno;
    return result;
}
