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

/* Where the word starting at text[i] (a letter or digit) ends. */
static int64_t word_end(const uint8_t *text, int64_t n, int64_t i)
{
    /* (?:X\.){2,}: letters each followed by a dot, at least twice ("U.S.") */
    int64_t j = i, repeats = 0;
    while (j + 1 < n && alnum(text[j]) && text[j + 1] == '.') {
        j += 2;
        repeats++;
    }
    if (repeats >= 2)
        return j;
    /* X+(?:[sep]X+)*: a run of letters, then separator-and-run while one follows */
    j = i;
    while (j < n && alnum(text[j]))
        j++;
    while (j + 1 < n && separator(text[j]) && alnum(text[j + 1])) {
        j++;
        while (j < n && alnum(text[j]))
            j++;
    }
    return j;
}

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
        int64_t j = word_end(text, n, i);
        if (!listed(text + i, j - i, skip, skip_at, skips)) {
            starts[count] = (int32_t)i;
            ends[count] = (int32_t)j;
            count++;
        }
        i = j;
    }
    return count;
}

/* The build's raw word -> term id table (``kernels.rows``), and the rows of the forward index
 * for a run of a document's sentences in one call: the word scan above, a hash lookup per word
 * and the counting that ``ForwardBuilder.add_text`` does in Python (~2 µs a word there).
 * Learning a word (normalizing, stemming) stays in Python: a sentence with words the table
 * does not hold ends a run with their spans, for Python to learn them (which puts them in the
 * table) and run again from that sentence; one with a character past ASCII or no lower case
 * letter but an upper case one (shouted text analyzes otherwise) ends it for Python to add. */
#include <stdlib.h>

#define INLINE 16 /* words up to this long are kept in their entry, the rest in ``words`` */

typedef struct {
    uint64_t hash;
    int32_t id; /* the word's term id, -1 for a word that gives no term */
    uint32_t size;
    union {
        uint8_t bytes[INLINE]; /* a short word, zero padded */
        uint64_t at;           /* where a longer one starts in ``words`` */
    } word;
} entry_t;

typedef struct {
    uint32_t seen;
    int32_t place;
} mark_t;

/* Open addressing over a dense index: ``slots`` (4 bytes each, linear probing: a probe's next
 * slot is in the same cache line) holds 1 + the number of a word's entry, and the entries are
 * in the order the words were learned, so the common words, met first, share cache lines. */
typedef struct {
    uint32_t *slots;
    uint64_t mask; /* the number of slots less one (a power of two) */
    entry_t *entries;
    uint64_t held, entries_room;
    uint8_t *words;
    uint64_t words_size, words_room;
    /* Per term id: the last sentence it was seen in (``serial``) and its place in that row. */
    mark_t *marks;
    int64_t ids_room;
    uint32_t serial;
} table_t;

static uint64_t hash_of(const uint8_t *word, int64_t n)
{
    uint64_t hash = 1469598103934665603ULL; /* FNV-1a, mixed so the low bits pick the slot */
    for (int64_t i = 0; i < n; i++)
        hash = (hash ^ word[i]) * 1099511628211ULL;
    return hash ^ (hash >> 29);
}

/* The slot of word[0:n]: the one naming its entry, or the empty one where it would go. */
static uint32_t *slot_of(const table_t *table, const uint8_t *word, int64_t n, uint64_t hash)
{
    uint8_t padded[INLINE] = {0};
    if (n <= INLINE)
        memcpy(padded, word, (size_t)n);
    for (uint64_t i = hash & table->mask;; i = (i + 1) & table->mask) {
        uint32_t *slot = &table->slots[i];
        if (*slot == 0)
            return slot;
        const entry_t *entry = &table->entries[*slot - 1];
        if (entry->hash != hash || entry->size != (uint64_t)n)
            continue;
        if (n <= INLINE ? memcmp(entry->word.bytes, padded, INLINE) == 0
                        : memcmp(table->words + entry->word.at, word, (size_t)n) == 0)
            return slot;
    }
}

void verbatim_table_free(table_t *table)
{
    if (table == NULL)
        return;
    free(table->slots);
    free(table->entries);
    free(table->words);
    free(table->marks);
    free(table);
}

table_t *verbatim_table_new(void)
{
    table_t *table = calloc(1, sizeof(table_t));
    if (table == NULL)
        return NULL;
    table->mask = (1 << 12) - 1;
    table->slots = calloc(table->mask + 1, sizeof(uint32_t));
    if (table->slots == NULL) {
        free(table);
        return NULL;
    }
    return table;
}

/* Room for term ids up to ``id`` in ``marks``, grown by doubling (serial 0 is no sentence). */
static int ids_room(table_t *table, int64_t id)
{
    if (id < table->ids_room)
        return 1;
    int64_t room = table->ids_room ? table->ids_room : 1024;
    while (room <= id)
        room *= 2;
    mark_t *marks = realloc(table->marks, (size_t)room * sizeof(mark_t));
    if (marks == NULL)
        return 0;
    memset(marks + table->ids_room, 0, (size_t)(room - table->ids_room) * sizeof(mark_t));
    table->marks = marks;
    table->ids_room = room;
    return 1;
}

/* The next sentence's serial; when they run out, every mark is cleared and they start again. */
static uint32_t next_serial(table_t *table)
{
    if (table->serial == UINT32_MAX) {
        memset(table->marks, 0, (size_t)table->ids_room * sizeof(mark_t));
        table->serial = 0;
    }
    return ++table->serial;
}

/* Room for one more word: twice the slots when 5/8 of them are held, more entries when full. */
static int grow(table_t *table)
{
    if (table->held == table->entries_room) {
        uint64_t room = table->entries_room ? table->entries_room * 2 : 1 << 10;
        entry_t *entries = realloc(table->entries, room * sizeof(entry_t));
        if (entries == NULL)
            return 0;
        table->entries = entries;
        table->entries_room = room;
    }
    if ((table->held + 1) * 8 <= (table->mask + 1) * 5)
        return 1;
    uint64_t size = (table->mask + 1) * 2;
    uint32_t *slots = table->held < UINT32_MAX ? calloc(size, sizeof(uint32_t)) : NULL;
    if (slots == NULL)
        return 0;
    free(table->slots);
    table->slots = slots;
    table->mask = size - 1;
    for (uint64_t e = 0; e < table->held; e++) {
        uint64_t at = table->entries[e].hash & table->mask;
        while (slots[at] != 0)
            at = (at + 1) & table->mask;
        slots[at] = (uint32_t)(e + 1);
    }
    return 1;
}

/* Keeps a word longer than INLINE in ``words``; 0 when out of memory. */
static int keep(table_t *table, entry_t *entry, const uint8_t *word, int64_t n)
{
    if (table->words_size + (uint64_t)n > table->words_room) {
        uint64_t room = table->words_room ? table->words_room : 1 << 16;
        while (room < table->words_size + (uint64_t)n)
            room *= 2;
        uint8_t *words = realloc(table->words, room);
        if (words == NULL)
            return 0;
        table->words = words;
        table->words_room = room;
    }
    memcpy(table->words + table->words_size, word, (size_t)n);
    entry->word.at = table->words_size;
    table->words_size += (uint64_t)n;
    return 1;
}

/* Records word[0:n] -> id (a word already held takes the new id); 0 when out of memory or the
 * word is empty or too long. */
int64_t verbatim_table_put(table_t *table, const uint8_t *word, int64_t n, int64_t id)
{
    if (n <= 0 || n > UINT32_MAX || id < -1 || id > INT32_MAX || !ids_room(table, id))
        return 0;
    if (!grow(table))
        return 0;
    uint64_t hash = hash_of(word, n);
    uint32_t *slot = slot_of(table, word, n, hash);
    if (*slot == 0) {
        entry_t *entry = &table->entries[table->held];
        memset(entry, 0, sizeof(entry_t));
        if (n <= INLINE)
            memcpy(entry->word.bytes, word, (size_t)n);
        else if (!keep(table, entry, word, n))
            return 0;
        entry->hash = hash;
        entry->size = (uint32_t)n;
        table->held++;
        *slot = (uint32_t)table->held;
    }
    table->entries[*slot - 1].id = (int32_t)id;
    return 1;
}

/* The id of word[0:n], or -2 when the table does not hold it. */
int64_t verbatim_table_get(const table_t *table, const uint8_t *word, int64_t n)
{
    if (n <= 0)
        return -2;
    const uint32_t *slot = slot_of(table, word, n, hash_of(word, n));
    return *slot ? table->entries[*slot - 1].id : -2;
}

/* Whether text[0:n] analyzes as ordinary text: no byte past ASCII (the caller turns every
 * other character into one), and not shouted (Python's ``isupper``: an upper case letter and
 * no lower case one). */
static int plain(const uint8_t *text, int64_t n)
{
    unsigned high = 0, lower = 0, upper = 0; /* no branch a byte: the loop is vectorized */
    for (int64_t i = 0; i < n; i++) {
        uint8_t c = text[i];
        high |= c & 0x80u;
        lower |= (uint8_t)(c - 'a') < 26;
        upper |= (uint8_t)(c - 'A') < 26;
    }
    return !high && (lower || !upper);
}

/* Appends the rows of sentences first, first + 1, ... of ``text`` (their [start, end) pairs in
 * ``spans``, ``count`` in all) and returns the sentence it stopped at (``count`` when none
 * needs Python). Row k of the run gets its distinct term ids in order of first appearance in
 * ``terms`` with their ``counts``, its number of term words in ``lengths[k]`` and where its
 * terms end, from ``base``, in ``ends[k]``; each term word's place in its row goes to
 * ``places`` (when not NULL). ``room`` is how many entries ``terms``, ``counts``, ``places``
 * and ``unknown`` hold (two per entry in ``unknown``), ``rows`` those of ``lengths`` and
 * ``ends``: the run stops before a sentence that might not fit. ``written`` receives how many
 * terms and places were written, how many words of the stopping sentence the table lacks
 * (their [start, end) pairs in ``unknown``) and why the run stopped: STOP_*. */
enum { STOP_DONE, STOP_WORDS, STOP_PYTHON, STOP_ROOM };
#define BATCH 32

int64_t verbatim_rows(table_t *table, const uint8_t *text, const int32_t *spans, int64_t first,
                      int64_t count, int64_t base, int64_t room, int64_t rows, int32_t *terms,
                      int32_t *counts, int32_t *places, int32_t *lengths, int64_t *ends,
                      int32_t *unknown, int64_t *written)
{
    int64_t row = 0, terms_done = 0, places_done = 0, lacking = 0, s = first, stop = STOP_DONE;
    for (; s < count; s++) {
        int64_t start = spans[2 * s], n = spans[2 * s + 1] - start;
        const uint8_t *sentence = text + start;
        if (row >= rows || places_done + n / 2 + 1 > room) {
            stop = STOP_ROOM;
            break;
        }
        if (!plain(sentence, n)) {
            stop = STOP_PYTHON;
            break;
        }
        uint32_t serial = next_serial(table);
        int64_t distinct = 0, length = 0, i = 0;
        while (i < n) {
            /* The next BATCH words' spans and hashes, their slots and then their entries
             * fetched ahead: a batch's lookups wait for memory together, not in turn. */
            int64_t at[BATCH], size[BATCH];
            uint64_t hash[BATCH];
            int64_t batch = 0;
            while (batch < BATCH && i < n) {
                if (!alnum(sentence[i])) {
                    i++;
                    continue;
                }
                int64_t j = word_end(sentence, n, i);
                at[batch] = i;
                size[batch] = j - i;
                hash[batch] = hash_of(sentence + i, j - i);
                __builtin_prefetch(&table->slots[hash[batch] & table->mask]);
                batch++;
                i = j;
            }
            for (int64_t w = 0; w < batch; w++) {
                uint32_t slot = table->slots[hash[w] & table->mask];
                if (slot)
                    __builtin_prefetch(&table->entries[slot - 1]);
            }
            for (int64_t w = 0; w < batch; w++) { /* the marks of the (likely) term ids */
                uint32_t slot = table->slots[hash[w] & table->mask];
                int32_t id = slot ? table->entries[slot - 1].id : -1;
                if (id >= 0)
                    __builtin_prefetch(&table->marks[id]);
            }
            for (int64_t w = 0; w < batch; w++) {
                const uint32_t *slot = slot_of(table, sentence + at[w], size[w], hash[w]);
                int64_t id = *slot ? table->entries[*slot - 1].id : -2;
                if (id == -2) {
                    unknown[2 * lacking] = (int32_t)(start + at[w]);
                    unknown[2 * lacking + 1] = (int32_t)(start + at[w] + size[w]);
                    lacking++;
                }
                if (id < 0 || lacking)
                    continue;
                mark_t *mark = &table->marks[id];
                if (mark->seen != serial) {
                    mark->seen = serial;
                    mark->place = (int32_t)distinct;
                    terms[terms_done + distinct] = (int32_t)id;
                    counts[terms_done + distinct] = 0;
                    distinct++;
                }
                counts[terms_done + mark->place]++;
                if (places != NULL)
                    places[places_done + length] = mark->place;
                length++;
            }
        }
        if (lacking) {
            stop = STOP_WORDS;
            break;
        }
        terms_done += distinct;
        places_done += length;
        lengths[row] = (int32_t)length;
        ends[row] = base + terms_done;
        row++;
    }
    written[0] = terms_done;
    written[1] = places_done;
    written[2] = lacking;
    written[3] = stop;
    return s;
}
