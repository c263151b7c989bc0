/* The answer path's reads of forward rows and sentence marks with pread, compiled (see
 * index/retrieval/row_files.py).
 *
 * An answer reads the rows of a few hundred sentences scattered over the corpus. Mapped, each
 * first touch of a page makes the kernel map the 64 KB around it (fault-around; MADV_RANDOM
 * does not stop it), so one question left 36 MB of the forward files resident and a thousand
 * all of them. Read with pread, nothing stays; one call here does every read of a batch (a
 * read per run of consecutive sentences), so the system calls are the only cost added.
 *
 * The forward entries file holds one fixed-size little-endian record per entry: the term id's
 * low 16 bits at byte 0, its high bits (`high_size` bytes at `high_at`, none when `high_at`
 * is negative) and the count (`count_size` bytes at `count_at`). Offsets and lengths are read
 * from mapped arrays of `ptr_size`/`length_size` byte unsigned integers (host order, as numpy
 * maps them).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    int64_t fd, offset, size, high_at, high_size, count_at, count_size;
} verbatim_entries;

static int64_t little(const unsigned char *at, int64_t size)
{
    int64_t value = 0;
    for (int64_t i = size - 1; i >= 0; i--)
        value = (value << 8) | at[i];
    return value;
}

static int64_t item(const void *values, int64_t size, int64_t i)
{
    switch (size) {
    case 1: return ((const uint8_t *)values)[i];
    case 2: return ((const uint16_t *)values)[i];
    case 4: return ((const uint32_t *)values)[i];
    default: return ((const int64_t *)values)[i];
    }
}

static int64_t term_of(const verbatim_entries *e, const unsigned char *entry)
{
    int64_t id = entry[0] | (int64_t)entry[1] << 8;
    if (e->high_at >= 0)
        id |= little(entry + e->high_at, e->high_size) << 16;
    return id;
}

/* `size` bytes at `offset` of `fd` into `out`; 0, or -1 on an error or a short read. */
static int read_all(int64_t fd, int64_t offset, int64_t size, unsigned char *out)
{
    while (size > 0) {
        ssize_t got = pread((int)fd, out, (size_t)size, (off_t)offset);
        if (got <= 0)
            return -1;
        out += got, offset += got, size -= got;
    }
    return 0;
}

/* Entries `first:last` (positions in the file) into `out`. */
static int read_entries(const verbatim_entries *e, int64_t first, int64_t last, unsigned char *out)
{
    return read_all(e->fd, e->offset + first * e->size, (last - first) * e->size, out);
}

/* The term ids of entries `first:last` into `ids`; their count, or -1 when the read failed. */
int64_t verbatim_entry_terms(const verbatim_entries *e, int64_t first, int64_t last, int32_t *ids)
{
    unsigned char *buffer = malloc((size_t)((last - first) * e->size + 1));
    if (buffer == NULL || read_entries(e, first, last, buffer) != 0) {
        free(buffer);
        return -1;
    }
    for (int64_t i = 0; i < last - first; i++)
        ids[i] = (int32_t)term_of(e, buffer + i * e->size);
    free(buffer);
    return last - first;
}

/* How often each wanted term occurs in each span of sentences lo[s]:hi[s], and each span's
 * number of terms with repeats (`lengths` summed). `column[t]` is term t's column of the
 * `width`-wide matrix `out` (spans x width, zeroed here), -1 for a term not wanted (`terms`
 * entries). The rows
 * are read a run at a time: `order` lists the spans by ascending lo, and spans that overlap
 * or touch are read once (a candidate's sentence lies in its paragraph's span). Returns 0,
 * or -1 when a read failed (or no memory). */
int64_t verbatim_span_counts(const verbatim_entries *e, const void *row_ptr, int64_t ptr_size,
                             const void *lengths, int64_t length_size, const int64_t *lo,
                             const int64_t *hi, const int64_t *order, int64_t spans,
                             const int32_t *column, int64_t terms, int64_t width,
                             int64_t *out, int64_t *out_lengths)
{
    for (int64_t i = 0; i < spans * width; i++)
        out[i] = 0;
    int64_t room = 0;
    for (int64_t s = 0; s < spans; s++)
        room += item(row_ptr, ptr_size, hi[s]) - item(row_ptr, ptr_size, lo[s]);
    unsigned char *buffer = malloc((size_t)(room * e->size + 1));
    int64_t *start = malloc((size_t)(spans + 1) * sizeof(int64_t));
    if (buffer == NULL || start == NULL) {
        free(buffer);
        free(start);
        return -1;
    }
    /* start[s]: where span s's first entry is in `buffer`. */
    int64_t filled = 0, run_first = 0, run_last = -1, run_at = 0;
    for (int64_t r = 0; r < spans; r++) {
        int64_t s = order[r];
        int64_t first = item(row_ptr, ptr_size, lo[s]), last = item(row_ptr, ptr_size, hi[s]);
        if (first > run_last) { /* a new run: read the one before */
            if (run_last > run_first && read_entries(e, run_first, run_last, buffer + run_at) != 0)
                goto failed;
            run_at = filled;
            run_first = first;
            run_last = first;
        }
        if (last > run_last) {
            filled += (last - run_last) * e->size;
            run_last = last;
        }
        start[s] = run_at + (first - run_first) * e->size;
    }
    if (run_last > run_first && read_entries(e, run_first, run_last, buffer + run_at) != 0)
        goto failed;
    for (int64_t s = 0; s < spans; s++) {
        int64_t first = item(row_ptr, ptr_size, lo[s]), last = item(row_ptr, ptr_size, hi[s]);
        const unsigned char *entry = buffer + start[s];
        int64_t *row = out + s * width;
        for (int64_t i = first; i < last; i++, entry += e->size) {
            int64_t term = term_of(e, entry);
            if (term >= terms)
                goto failed; /* not a term of the index */
            int32_t c = column[term];
            if (c >= 0)
                row[c] += little(entry + e->count_at, e->count_size);
        }
        int64_t total = 0;
        for (int64_t p = lo[s]; p < hi[s]; p++)
            total += item(lengths, length_size, p);
        out_lengths[s] = total;
    }
    free(buffer);
    free(start);
    return 0;
failed:
    free(buffer);
    free(start);
    return -1;
}

/* Each of sentences ids[0:n]'s terms in order: its marks' places (`places_size` bytes each,
 * at `places_offset` of `places_fd`; sentence p's are the `lengths[p]` from
 * `checkpoints[p / 64]` plus the lengths of the sentences before it in its group of 64) mapped
 * through its forward row. Writes the term ids end to end to `out` and each sentence's count
 * to `sizes` (`out` has room for the sum of their lengths). Returns how many ids were
 * written, or -1 when a read failed (no memory, or a place outside its row). */
int64_t verbatim_sequences(const verbatim_entries *e, int64_t places_fd, int64_t places_offset,
                           int64_t places_size, const void *row_ptr, int64_t ptr_size,
                           const void *lengths, int64_t length_size, const int64_t *checkpoints,
                           const int64_t *ids, int64_t n, int32_t *out, int64_t *sizes)
{
    int64_t written = 0, room = 0;
    for (int64_t k = 0; k < n; k++) {
        int64_t p = ids[k];
        int64_t need = (item(row_ptr, ptr_size, p + 1) - item(row_ptr, ptr_size, p)) * e->size
                       + item(lengths, length_size, p) * places_size;
        room = need > room ? need : room;
    }
    unsigned char *buffer = malloc((size_t)room + 1);
    if (buffer == NULL)
        return -1;
    for (int64_t k = 0; k < n; k++) {
        int64_t p = ids[k];
        int64_t first = item(row_ptr, ptr_size, p), last = item(row_ptr, ptr_size, p + 1);
        int64_t at = checkpoints[p >> 6];
        for (int64_t q = p & ~(int64_t)63; q < p; q++)
            at += item(lengths, length_size, q);
        int64_t count = item(lengths, length_size, p);
        unsigned char *places = buffer + (last - first) * e->size;
        if (read_entries(e, first, last, buffer) != 0
            || read_all(places_fd, places_offset + at * places_size, count * places_size, places)
                   != 0)
            goto failed;
        for (int64_t i = 0; i < count; i++) {
            int64_t place = little(places + i * places_size, places_size);
            if (place >= last - first)
                goto failed;
            out[written++] = (int32_t)term_of(e, buffer + place * e->size);
        }
        sizes[k] = count;
    }
    free(buffer);
    return written;
failed:
    free(buffer);
    return -1;
}
