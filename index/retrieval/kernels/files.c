/* Whether the article files an index lists are still as it saw them, compiled (see
 * index/storage/listing.py, ``_files_unchanged``).
 *
 * Seeing that an index is current checks every article file's size and mtime: one ``stat``
 * each, 25,000 at a million sentences. ``os.stat`` spends about as long again as the system
 * call making its result (three float times, three nanosecond times built as Python integers),
 * for the two numbers compared. Here each file is one ``fstatat`` below the corpus folder's
 * descriptor, and nothing is made; the interpreter's lock is released meanwhile (``ctypes``).
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>

/* The position of the first of ``count`` files (their paths one after another in ``paths``,
 * each ended by a NUL, relative to the folder open as ``root``) that is missing, not a regular
 * file, or of another size or mtime (nanoseconds) than ``sizes[i]``/``mtimes[i]``: ``count``
 * when every one is unchanged. Symbolic links are followed, as ``os.stat`` follows them. */
int64_t verbatim_first_changed(int64_t root, const char *paths, int64_t count,
                               const int64_t *sizes, const int64_t *mtimes)
{
    const char *path = paths;
    for (int64_t i = 0; i < count; i++) {
        struct stat info;
        if (fstatat((int)root, path, &info, 0) != 0 || !S_ISREG(info.st_mode))
            return i;
        int64_t mtime = (int64_t)info.st_mtim.tv_sec * 1000000000 + (int64_t)info.st_mtim.tv_nsec;
        if ((int64_t)info.st_size != sizes[i] || mtime != mtimes[i])
            return i;
        path += strlen(path) + 1;
    }
    return count;
}
