/* The first stage's loop over postings, compiled (see index/retrieval/kernels/__init__.py).
 *
 * Plain C called through ctypes: no Python API, so it builds with any C compiler and loads in
 * about a millisecond. It does exactly the float operations of the numpy path (the int16
 * weight times the term's scale, added to 0.0 term by term in the query's order), so the
 * approximate sums are bit-identical; build with -ffp-contract=off so the compiler never fuses
 * a product and a sum into one rounding.
 */
#include <math.h>
#include <stdint.h>

/* The SHA-256 of this file as compiled (hatch_build.py passes it): a library built from an
 * older source is not used. */
#ifndef VERBATIM_SOURCE_DIGEST
#define VERBATIM_SOURCE_DIGEST "unknown"
#endif
const char *verbatim_source_digest(void) { return VERBATIM_SOURCE_DIGEST; }

static void sift_down(double *heap, int64_t size, int64_t i)
{
    for (;;) {
        int64_t least = i, left = 2 * i + 1, right = left + 1;
        if (left < size && heap[left] < heap[least])
            least = left;
        if (right < size && heap[right] < heap[least])
            least = right;
        if (least == i)
            return;
        double swap = heap[i];
        heap[i] = heap[least];
        heap[least] = swap;
        i = least;
    }
}

static void offer(double *heap, int64_t k, int64_t *filled, double sum)
{
    if (*filled < k) { /* build the heap of the k best so far */
        heap[(*filled)++] = sum;
        if (*filled == k)
            for (int64_t i = k / 2 - 1; i >= 0; i--)
                sift_down(heap, k, i);
    } else if (sum > heap[0]) {
        heap[0] = sum;
        sift_down(heap, k, 0);
    }
}

static int64_t lower_bound(const int32_t *docs, int64_t lo, int64_t hi, int64_t doc)
{
    /* Branch-free halving (a conditional move per step): which half holds `doc` is a coin
     * toss a branch predictor loses, at ~20 cycles a miss. */
    int64_t n = hi - lo;
    if (n <= 0)
        return lo;
    const int32_t *base = docs + lo;
    while (n > 1) {
        int64_t half = n / 2;
        base = base[half - 1] < doc ? base + half : base;
        n -= half;
    }
    return (base - docs) + (*base < doc);
}

/* lower_bound for a target near `lo` (the next block's first posting): steps of 1, 2, 4 ...
 * then halving, so the cost is the log of the distance, not of the list's length (a binary
 * search over a whole long list at every block jumps across megabytes each step). */
static int64_t gallop(const int32_t *docs, int64_t lo, int64_t hi, int64_t doc)
{
    if (lo >= hi || docs[lo] >= doc)
        return lo;
    int64_t below = lo, step = 1; /* docs[below] < doc */
    while (below + step < hi && docs[below + step] < doc) {
        below += step;
        step <<= 1;
    }
    return lower_bound(docs, below + 1, below + step < hi ? below + step + 1 : hi, doc);
}

/* MaxScore over blocks of passages: the top-k candidates of an OR query of `terms` terms, their
 * postings docs[lo[t]:hi[t]] (passages ascending), weights `weights * scale[t]`, sorted by
 * `peak` (the most a term adds) ascending.
 *
 * The passages are taken one block of `block` at a time. The essential terms (those whose
 * peaks, with every lower one's, could still lift a passage to the k-th best) have their
 * postings in the block added into `values` (zero, one slot per passage; `seen` marks what was
 * collected) -- the writes stay in a window the core's cache holds. Each passage collected is
 * then looked up in the other terms' postings (binary search within the block) unless even
 * their peaks cannot lift it to the k-th best so far; a fully summed passage enters the heap of
 * the k best. As that k-th best rises, the long lists of common words stop being scanned.
 * (Measured and left out at 1M: per-block maxima of the long lists and a first bound from the
 * rarest term's best passages changed the kernel's time by less than the noise.)
 *
 * Sums are approximate (quantized weights, any order): each is within `slack` of the exact
 * score, peaks too, so a passage is dropped only when its exact score is surely below the
 * k-th best exact score; ties are kept. Writes the passages kept (sum >= the k-th best less
 * 2 * slack; all of them when there are at most k) to out_docs/out_sums (room for the lists'
 * total length) and returns how many. Scratch:
 * `pos`, `stop` and `prefix` of terms (+1) entries, `heap` of k; `values`/`seen` left zero. */
int64_t verbatim_maxscore(const int32_t *docs, const int16_t *weights, const int64_t *lo,
                          const int64_t *hi, const double *scale, const double *peak,
                          int64_t terms, int64_t k, double slack, int64_t block,
                          double *values, uint8_t *seen, int64_t *pos, int64_t *stop,
                          double *prefix, double *heap, int32_t *out_docs, double *out_sums)
{
    int64_t count = 0, filled = 0, cut = 0; /* terms [0, cut) are not essential */
    prefix[0] = 0.0;
    for (int64_t t = 0; t < terms; t++) {
        pos[t] = lo[t];
        prefix[t + 1] = prefix[t] + peak[t];
    }
    for (;;) {
        double theta = filled == k ? heap[0] : -INFINITY;
        while (cut < terms && prefix[cut + 1] + 2 * slack < theta)
            cut++;
        int64_t start = INT64_MAX;
        for (int64_t t = cut; t < terms; t++)
            if (pos[t] < hi[t] && docs[pos[t]] < start)
                start = docs[pos[t]];
        if (start == INT64_MAX)
            break; /* no essential term left: no passage not yet seen can reach the top k */
        int64_t end = start - start % block + block, found = count;
        for (int64_t t = cut; t < terms; t++) {
            int64_t j = pos[t], last = hi[t];
            double s = scale[t];
            for (; j < last && docs[j] < end; j++) {
                int32_t d = docs[j];
                values[d] += (double)weights[j] * s;
                out_docs[found] = d; /* branch-free: seen before or not is a coin toss */
                found += !seen[d];
                seen[d] = 1;
            }
            pos[t] = j;
        }
        for (int64_t t = 0; t < cut; t++)
            stop[t] = gallop(docs, pos[t], hi[t], end);
        /* Each collected passage (in place: the write index never passes the read index). */
        for (int64_t i = count; i < found; i++) {
            int32_t d = out_docs[i];
            double sum = values[d];
            values[d] = 0.0;
            seen[d] = 0;
            theta = filled == k ? heap[0] : -INFINITY;
            int64_t t = cut;
            for (; t > 0; t--) {
                if (sum + prefix[t] + 3 * slack < theta)
                    break; /* the terms left cannot lift it into the top k */
                int64_t j = lower_bound(docs, pos[t - 1], stop[t - 1], d);
                if (j < stop[t - 1] && docs[j] == d)
                    sum += (double)weights[j] * scale[t - 1];
            }
            if (t > 0)
                continue;
            if (k > 0)
                offer(heap, k, &filled, sum);
            out_docs[count] = d;
            out_sums[count] = sum;
            count++;
        }
        for (int64_t t = 0; t < cut; t++)
            pos[t] = stop[t];
    }
    if (k <= 0 || count <= k)
        return count;
    double floor = heap[0] - 2 * slack;
    int64_t kept = 0;
    for (int64_t i = 0; i < count; i++) {
        if (out_sums[i] >= floor) {
            out_docs[kept] = out_docs[i];
            out_sums[kept] = out_sums[i];
            kept++;
        }
    }
    return kept;
}

/* The exact scores of `n` candidate passages (Okapi and Lucene weights, which differ only in
 * idf), summed term by term in query order as rank-bm25 sums them; each term's posting of a
 * candidate is found by binary search in its list, its weight computed from the count and the
 * passage's length with exactly numpy's operations in numpy's order:
 *   norm = (1 - b) + (b * length) / avgdl;  weight = idf * ((tf * (k1 + 1)) / (tf + k1 * norm))
 * A term a candidate lacks adds nothing (numpy adds 0.0: the same bits). */
void verbatim_exact(const int32_t *docs, const uint8_t *tf, const uint8_t *lengths,
                    const int64_t *lo, const int64_t *hi, const double *idf, int64_t terms,
                    const int32_t *candidates, int64_t n, double k1, double b, double avgdl,
                    double *out)
{
    double k1_plus_1 = k1 + 1.0, one_minus_b = 1.0 - b;
    for (int64_t i = 0; i < n; i++)
        out[i] = 0.0;
    for (int64_t t = 0; t < terms; t++) {
        for (int64_t i = 0; i < n; i++) {
            int32_t d = candidates[i];
            int64_t j = lower_bound(docs, lo[t], hi[t], d);
            if (j < hi[t] && docs[j] == d) {
                double count = (double)tf[j];
                double norm = one_minus_b + (b * (double)lengths[d]) / avgdl;
                out[i] += idf[t] * ((count * k1_plus_1) / (count + k1 * norm));
            }
        }
    }
}

/* ``weights.term_major`` in one pass: a stable counting sort of the ``count`` postings by term.
 * ``cursor[t]`` is where term t's first posting goes (advanced as they are placed); posting i
 * of passage r (row_ptr[r] <= i < row_ptr[r + 1]) goes to order[at] = i, docs[at] = r. The
 * same order as numpy's stable argsort (a stable sort by term is unique), without its
 * chunked sorts and binary searches (~1.8 s at a million sentences, in the build's serial
 * tail). */
void verbatim_term_major(const int32_t *terms, const int64_t *row_ptr, int64_t rows,
                         int64_t *cursor, int32_t *order, int32_t *docs)
{
    for (int64_t r = 0; r < rows; r++) {
        for (int64_t i = row_ptr[r]; i < row_ptr[r + 1]; i++) {
            int64_t at = cursor[terms[i]]++;
            order[at] = (int32_t)i;
            docs[at] = (int32_t)r;
        }
    }
}
