/* Where the words of an ASCII sentence start and end, compiled (see
 * index/retrieval/kernels/__init__.py, ``WordScanner``).
 *
 * The analyzer's token pattern (index/text/analyzer.py, ``_TOKEN``) is
 *     (?:[^\W_]\.){2,}|[^\W_]+(?:['’‘`.,][^\W_]+)*
 * and on ASCII text ``[^\W_]`` is exactly [A-Za-z0-9] and the separators are ' ` . , (the
 * curly quotes are not ASCII). Python's engine takes the first alternative that matches at the
 * leftmost position, each repeat greedy; nothing follows either repeat, so no backtracking
 * changes a match. This scan does the same in one pass: the re-ranker and the quotes need the
 * word spans of some 40 sentences a question, and a match object per word cost ~1 µs each.
 * The words that give no term (stopwords: the sentence marks' ``dropped``) are left out here
 * too, looked up in their sorted list.
 */
#include <stdint.h>
#include <string.h>

static int alnum(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int separator(uint8_t c) { return c == '\'' || c == '`' || c == '.' || c == ','; }

/* Whether text[0:n] is one of the ``count`` sorted words ``words[at[i]:at[i + 1]]``. */
static int listed(const uint8_t *text, int64_t n, const uint8_t *words, const int32_t *at,
                  int64_t count)
{
    int64_t lo = 0, hi = count;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2, size = at[mid + 1] - at[mid];
        int order = memcmp(text, words + at[mid], (size_t)(n < size ? n : size));
        if (order == 0)
            order = (n > size) - (n < size);
        if (order == 0)
            return 1;
        if (order < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

/* Writes the [start, end) of each word that is not one of the ``skips`` sorted ``skip`` words
 * into ``starts``/``ends`` (room for n / 2 + 1 words) and returns how many there are. */
int64_t verbatim_ascii_words(const uint8_t *text, int64_t n, const uint8_t *skip,
                             const int32_t *skip_at, int64_t skips, int32_t *starts, int32_t *ends)
{
    int64_t count = 0, i = 0;
    while (i < n) {
        if (!alnum(text[i])) {
            i++;
            continue;
        }
        /* (?:X\.){2,}: letters each followed by a dot, at least twice ("U.S.") */
        int64_t j = i, repeats = 0;
        while (j + 1 < n && alnum(text[j]) && text[j + 1] == '.') {
            j += 2;
            repeats++;
        }
        if (repeats < 2) {
            /* X+(?:[sep]X+)*: a run of letters, then separator-and-run while one follows */
            j = i;
            while (j < n && alnum(text[j]))
                j++;
            while (j + 1 < n && separator(text[j]) && alnum(text[j + 1])) {
                j++;
                while (j < n && alnum(text[j]))
                    j++;
            }
        }
        if (!listed(text + i, j - i, skip, skip_at, skips)) {
            starts[count] = (int32_t)i;
            ends[count] = (int32_t)j;
            count++;
        }
        i = j;
    }
    return count;
}
