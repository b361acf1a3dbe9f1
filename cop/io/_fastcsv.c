/* cop.io._fastcsv: a CSV file without quotes, every text column dictionary-encoded with ONE
 * dictionary for the whole file (Arrow's reader makes one per block, which must then be unified:
 * measured at 10M rows, the activity ids' 226 block dictionaries took 1.1 s of the load's 9.2 s of
 * CPU, benchmarks/bench_load.py), a strict ISO 8601
 * timestamp column parsed to UTC nanoseconds.  The file is read in the byte ranges given, each
 * on a thread of its own (without the GIL), whose dictionaries are then joined.
 * Lines are split 64 bytes at a time by SSE2 compares where the compiler has SSE2 (every x86-64),
 * else byte by byte (set_scalar(True) forces that, for the tests that compare the two).
 *
 * It reads only the plainest files and gives up (returns None) on anything else, so that the
 * caller reads the file with Arrow and gets Arrow's result or error, message for message:
 * a quote, a row whose cell count differs from the header's, a carriage return that does not
 * end a line, a timestamp that is missing or not of the strict form, or outside years 1678-2261,
 * a value that is not UTF-8, no data row.  Blank lines are skipped, as Arrow does;
 * an empty value is missing (code -1), as Arrow's reader is told ("" is null).
 *
 * read(path, ranges, ncols, delimiter, ts_col, ts_mode) -> None | (n_rows, columns)
 *   ranges: [(lo, hi), ...] byte offsets, each range starting a line (the first after the header)
 *   and ending after a newline or at the end of the file.
 *   columns[j]: (codes: bytearray of int32, values: list of str) for a text column, in the
 *   order each value first appears; bytearray of int64 nanoseconds for the timestamp column.
 *   ts_mode 0: no timestamp column; 1: every value "YYYY-MM-DD[T ]HH:MM:SS[.f{1,9}](Z|+HH:MM)";
 *   2: every value without a zone "YYYY-MM-DD[[T ]HH:MM[:SS[.f{1,9}]]]" (taken as UTC).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#define BLOCK (4u << 20)
/* Spare bytes after a read buffer's end, so that a value's last word may be read whole. */
#define PAD 8

enum { OK = 0, GIVE_UP = 1, NO_MEMORY = 2, IO_ERROR = 3 };

typedef struct {   /* one slot of the open-addressing table (16 bytes: 4 to a cache line) */
    uint32_t tag;     /* the hash's high half */
    int32_t code;     /* -1: empty */
    uint64_t at;      /* the value's offset in the arena << LEN_BITS | its length */
} Slot;

/* Bits of a slot's length; a longer value makes the reader give up. */
#define LEN_BITS 24
#define MAX_LEN ((1u << LEN_BITS) - 1)
#define SLOT_OFF(t) ((t)->at >> LEN_BITS)
#define SLOT_LEN(t) ((size_t)((t)->at & MAX_LEN))

typedef struct {
    Slot *slot;
    size_t mask;
    size_t n;         /* distinct values */
    int64_t *off;     /* per code: offset of its bytes in the arena */
    int32_t *len;     /* per code */
    size_t ncap;
    char *arena;
    size_t alen, acap;
} Dict;

typedef struct {
    char *p;
    size_t n, cap; /* in items */
    size_t item;
} Vec;

typedef struct {  /* one value of a row, between its split and its lookup */
    const char *p;
    size_t n;
    uint64_t hash;
} Cell;

/* Rows split before their values are looked up: their slots are fetched from memory for all of
 * them at once (the tables of ids outgrow the caches, and a lookup would otherwise wait for
 * memory twice, for its slot and for the value's bytes). */
#ifndef BATCH
#define BATCH 64
#endif

typedef struct {
    int ncols, ts_col, ts_mode;
    char delim;
    Dict *dicts;  /* ncols, unused for the timestamp column */
    Vec *out;     /* ncols: int32 codes or int64 nanoseconds */
    size_t rows;
    Cell *cells;  /* BATCH rows of ncols cells, split but not yet looked up */
    unsigned char special[256]; /* the delimiter, the carriage return and the quote */
    int batched;  /* rows in cells */
} Parser;

/* Room in v for k more items. */
static int vec_reserve(Vec *v, size_t k) {
    if (v->n + k <= v->cap) return OK;
    size_t cap = v->cap ? v->cap : (1u << 16);
    while (cap < v->n + k) cap *= 2;
    char *p = realloc(v->p, cap * v->item);
    if (!p) return NO_MEMORY;
    v->p = p;
    v->cap = cap;
    return OK;
}

static inline uint64_t hash_bytes(const unsigned char *s, size_t n) {
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
        h ^= h >> 29;
        s += 8;
        n -= 8;
    }
    uint64_t w = 0;
    if (n) { /* the last 1-7 bytes: a word read whole (buffers end in PAD spare bytes), the bytes past them masked off */
        memcpy(&w, s, 8);
        w &= ~0ULL >> (64 - 8 * n);
    }
    h ^= w;
    h ^= h >> 33; /* MurmurHash3's finaliser: every bit of the value reaches the low bits, the table's index */
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Tables from this size on are asked for in huge pages (Linux: the lookups of a large table at
 * random would otherwise miss the address cache about every time). */
#define HUGE (2u << 20)

/* Memory for n bytes, aligned for huge pages and advised to use them when n is large; freed by free(). */
static void *big_alloc(size_t n) {
#if defined(MADV_HUGEPAGE)
    if (n >= HUGE) {
        void *p = NULL;
        size_t whole = (n + HUGE - 1) & ~((size_t)HUGE - 1);
        if (posix_memalign(&p, HUGE, whole) != 0) return NULL;
        madvise(p, whole, MADV_HUGEPAGE); /* advice only: a kernel without it gives small pages */
        return p;
    }
#endif
    return malloc(n);
}

static Slot *slots(size_t cap) {
    Slot *s = big_alloc(cap * sizeof *s);
    if (s)
        for (size_t i = 0; i < cap; i++) s[i].code = -1;
    return s;
}

/* Whether the n bytes at a and at b are equal, compared a word at a time (both end in PAD spare bytes). */
static inline int same_bytes(const char *a, const char *b, size_t n) {
    uint64_t x, y;
    for (; n >= 8; a += 8, b += 8, n -= 8) {
        memcpy(&x, a, 8);
        memcpy(&y, b, 8);
        if (x != y) return 0;
    }
    if (!n) return 1;
    memcpy(&x, a, 8);
    memcpy(&y, b, 8);
    return ((x ^ y) & (~0ULL >> (64 - 8 * n))) == 0;
}

static int dict_init(Dict *d) {
    memset(d, 0, sizeof *d);
    size_t cap = 1u << 12;
    d->slot = slots(cap);
    if (!d->slot) return NO_MEMORY;
    d->mask = cap - 1;
    return OK;
}

static void dict_free(Dict *d) {
    free(d->slot);
    free(d->off);
    free(d->len);
    free(d->arena);
}

static int dict_grow(Dict *d) {
    size_t cap = (d->mask + 1) * 2, mask = cap - 1;
    Slot *s = slots(cap);
    if (!s) return NO_MEMORY;
    for (size_t i = 0; i <= d->mask; i++) {
        if (d->slot[i].code < 0) continue;
        const Slot *t = &d->slot[i];
        size_t j = hash_bytes((const unsigned char *)d->arena + SLOT_OFF(t), SLOT_LEN(t)) & mask;
        while (s[j].code >= 0) j = (j + 1) & mask;
        s[j] = d->slot[i];
    }
    free(d->slot);
    d->slot = s;
    d->mask = mask;
    return OK;
}

/* The code of the n bytes at s (of hash h), a new one (the next) for a value not seen before; -1 on no memory. */
static int32_t dict_code(Dict *d, const char *s, size_t n, uint64_t h) {
    size_t i = h & d->mask;
    for (;;) {
        Slot *t = &d->slot[i];
        if (t->code < 0) break;
        if (t->tag == (uint32_t)(h >> 32) && SLOT_LEN(t) == n && same_bytes(d->arena + SLOT_OFF(t), s, n)) return t->code;
        i = (i + 1) & d->mask;
    }
    if (d->n >= 0x7ffffff0) return -1;
    if ((d->n + 1) * 2 > d->mask + 1) {
        if (dict_grow(d) != OK) return -1;
        i = h & d->mask;
        while (d->slot[i].code >= 0) i = (i + 1) & d->mask;
    }
    if (d->n == d->ncap) {
        size_t ncap = d->ncap ? d->ncap * 2 : 1024;
        int64_t *off = realloc(d->off, ncap * sizeof *off);
        if (!off) return -1;
        d->off = off;
        int32_t *len = realloc(d->len, ncap * sizeof *len);
        if (!len) return -1;
        d->len = len;
        d->ncap = ncap;
    }
    if (d->alen + n + PAD > d->acap) {
        size_t acap = d->acap ? d->acap : 1u << 16;
        while (acap < d->alen + n + PAD) acap *= 2; /* PAD: a value's last word may be read whole */
        char *a = realloc(d->arena, acap);
        if (!a) return -1;
        d->arena = a;
        d->acap = acap;
    }
    memcpy(d->arena + d->alen, s, n);
    int32_t c = (int32_t)d->n;
    d->off[c] = (int64_t)d->alen;
    d->len[c] = (int32_t)n;
    d->slot[i] = (Slot){(uint32_t)(h >> 32), c, ((uint64_t)d->alen << LEN_BITS) | n};
    d->alen += n;
    d->n++;
    return c;
}

static inline int digits(const unsigned char *s, int n, int *out) {
    int v = 0;
    for (int k = 0; k < n; k++) {
        unsigned d = (unsigned)s[k] - '0';
        if (d > 9) return 0;
        v = v * 10 + (int)d;
    }
    *out = v;
    return 1;
}

/* days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil) */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static int days_in_month(int y, int m) {
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return dim[m - 1];
}

/* The instant of a strict ISO 8601 value (see the header) in UTC nanoseconds; 0 if not of the form. */
static int parse_ts(const unsigned char *s, size_t n, int mode, int64_t *out) {
    int y, mo, d, h = 0, mi = 0, sec = 0;
    int64_t frac = 0, zone = 0;
    if (n < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' || !digits(s + 8, 2, &d))
        return 0;
    size_t i = 10;
    int timed = 0;
    if (n > 10) {
        if ((s[10] != 'T' && s[10] != ' ') || n < 16 || !digits(s + 11, 2, &h) || s[13] != ':' || !digits(s + 14, 2, &mi))
            return 0;
        i = 16;
        timed = 1;
        if (i < n && s[i] == ':') {
            if (n < 19 || !digits(s + 17, 2, &sec)) return 0;
            i = 19;
            if (i < n && s[i] == '.') {
                size_t k = i + 1;
                int64_t scale = 100000000;
                while (k < n && (unsigned)s[k] - '0' <= 9 && k - i <= 9) {
                    frac += (s[k] - '0') * scale;
                    scale /= 10;
                    k++;
                }
                if (k == i + 1) return 0;
                i = k;
            }
        } else if (mode == 1) {
            return 0; /* zoned values carry their seconds */
        }
    }
    if (mode == 1) {
        if (!timed || i >= n) return 0;
        if (s[i] == 'Z' && i + 1 == n) {
            zone = 0;
        } else if ((s[i] == '+' || s[i] == '-') && i + 6 == n && s[i + 3] == ':') {
            int zh, zm;
            if (!digits(s + i + 1, 2, &zh) || !digits(s + i + 4, 2, &zm) || zh > 23 || zm > 59) return 0;
            zone = (int64_t)(zh * 3600 + zm * 60) * (s[i] == '-' ? -1 : 1);
        } else {
            return 0;
        }
    } else if (i != n) {
        return 0;
    }
    if (y < 1678 || y > 2261 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59)
        return 0;
    int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + sec - zone;
    *out = secs * 1000000000LL + frac;
    return 1;
}

/* Rows ahead of the one looked up whose slots, and whose values' bytes, are fetched from memory meanwhile. */
#ifndef AHEAD_SLOT
#define AHEAD_SLOT 4
#endif
#ifndef AHEAD_BYTES
#define AHEAD_BYTES 2
#endif

/* Looks up the values of the batched rows, fetching the slots and bytes of those ahead. */
static int flush(Parser *P) {
    int nc = P->ncols, rows = P->batched;
    Cell *cells = P->cells;
    for (int k = 0, j = 0; k < rows * nc; k++, j = j + 1 == nc ? 0 : j + 1) {
        Cell *c = &cells[k];
        c->hash = (j == P->ts_col || !c->n) ? 0 : hash_bytes((const unsigned char *)c->p, c->n);
    }
    for (int j = 0; j < nc; j++)
        if (vec_reserve(&P->out[j], (size_t)rows) != OK) return NO_MEMORY;
    for (int r = 0; r < rows; r++) {
        for (int j = 0; j < nc; j++) {
            if (j == P->ts_col) continue;
            const Dict *d = &P->dicts[j];
            if (r + AHEAD_SLOT < rows) __builtin_prefetch(&d->slot[cells[(r + AHEAD_SLOT) * nc + j].hash & d->mask]);
            if (r + AHEAD_BYTES < rows) {
                const Slot *t = &d->slot[cells[(r + AHEAD_BYTES) * nc + j].hash & d->mask];
                if (t->code >= 0) __builtin_prefetch(d->arena + SLOT_OFF(t));
            }
        }
        for (int j = 0; j < nc; j++) {
            Cell *c = &cells[r * nc + j];
            if (j == P->ts_col) {
                int64_t ns;
                if (!parse_ts((const unsigned char *)c->p, c->n, P->ts_mode, &ns)) return GIVE_UP;
                ((int64_t *)P->out[j].p)[P->out[j].n++] = ns;
            } else {
                int32_t code = -1;
                if (c->n) {
                    code = dict_code(&P->dicts[j], c->p, c->n, c->hash);
                    if (code < 0) return NO_MEMORY;
                }
                ((int32_t *)P->out[j].p)[P->out[j].n++] = code;
            }
        }
    }
    P->rows += (size_t)rows;
    P->batched = 0;
    return OK;
}

/* Splits one line (without its end; blank ones are skipped by the caller) into the batch. */
static int split_line(Parser *P, const char *p, const char *e) {
    Cell *row = &P->cells[P->batched * P->ncols];
    const char *f = p;
    int j = 0;
    for (const char *c = p;; c++) {
        int at_end = c == e;
        if (!at_end && !P->special[(unsigned char)*c]) continue;
        if (!at_end && *c != P->delim) return GIVE_UP; /* a carriage return (it ends a row for Arrow) or a quote */
        if (j >= P->ncols) return GIVE_UP; /* more cells than the header */
        row[j].p = f;
        row[j].n = (size_t)(c - f);
        if (row[j].n > MAX_LEN) return GIVE_UP; /* longer than a slot can say */
        j++;
        if (at_end) break;
        f = c + 1;
    }
    if (j != P->ncols) return GIVE_UP; /* fewer cells than the header */
    if (++P->batched == BATCH) return flush(P);
    return OK;
}

/* The lines between p and stop; the batch is looked up before the buffer they are in is reused. */
static int parse_lines_scalar(Parser *P, const char *p, const char *stop) {
    while (p < stop) {
        const char *nl = memchr(p, '\n', (size_t)(stop - p));
        const char *e = nl ? nl : stop;
        const char *next = nl ? nl + 1 : stop;
        const char *le = e;
        if (le > p && le[-1] == '\r') le--;
        if (le > p) {
            int rc = split_line(P, p, le);
            if (rc != OK) return rc;
        }
        p = next;
    }
    return P->batched ? flush(P) : OK;
}

#if defined(__SSE2__)
#include <emmintrin.h>
/* Bytes past a read buffer's end that a 64-byte step of the splitter may read (their bits are masked off). */
#define SCAN_PAD 64

/* Bit k set where the k-th of the 64 bytes at p is c. */
static inline uint64_t eq64(const char *p, __m128i c) {
    uint64_t m = 0;
    for (int k = 0; k < 4; k++) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + 16 * k));
        m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_cmpeq_epi8(v, c)) << (16 * k);
    }
    return m;
}

/* Set by set_scalar(True) (tests): every machine's lines split byte by byte, as where SSE2 is missing. */
static int force_scalar = 0;

/* The value from f to e as the line's j-th cell. */
static inline int put_cell(Cell *row, int j, int ncols, const char *f, const char *e) {
    if (j >= ncols) return GIVE_UP; /* more cells than the header */
    row[j].p = f;
    row[j].n = (size_t)(e - f);
    return row[j].n > MAX_LEN ? GIVE_UP : OK; /* longer than a slot can say */
}

/* The line's last value (its j-th, from f to e) put, and the line added to the batch. */
static inline int end_row(Parser *P, int j, const char *f, const char *e) {
    if (put_cell(&P->cells[P->batched * P->ncols], j, P->ncols, f, e) != OK || j + 1 != P->ncols)
        return GIVE_UP; /* ... or fewer cells than the header */
    return ++P->batched == BATCH ? flush(P) : OK;
}

/* The lines between p and stop, split 64 bytes at a time: the delimiters and newlines of each step
 * found by vector compares, then visited bit by bit.  The same rows, and the same give-ups, as
 * parse_lines_scalar: a quote anywhere gives up; a carriage return is kept only right before a
 * newline (or at the very end of the last range), where it is cut off the row's last value; blank
 * lines are skipped.  last: stop is the end of the range (a line may end there without a newline). */
static int parse_lines(Parser *P, const char *p, const char *stop, int last) {
    if (force_scalar) return parse_lines_scalar(P, p, stop);
    const __m128i vd = _mm_set1_epi8(P->delim), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r'),
                  vq = _mm_set1_epi8('"');
    const char *ls = p, *f = p; /* the line's and the value's start */
    int j = 0;                  /* values of the line so far */
    int rc;
    for (const char *base = p; base < stop; base += 64) {
        size_t left = (size_t)(stop - base);
        uint64_t live = left >= 64 ? ~0ULL : (1ULL << left) - 1;
        if (eq64(base, vq) & live) return GIVE_UP;
        /* carriage returns: each must be followed by a newline (the next byte, maybe in the next step) */
        for (uint64_t cr = eq64(base, vr) & live; cr; cr &= cr - 1) {
            const char *c = base + __builtin_ctzll(cr);
            if (c + 1 < stop ? c[1] != '\n' : !last) return GIVE_UP;
        }
        uint64_t nl = eq64(base, vn) & live;
        for (uint64_t bits = (eq64(base, vd) & live) | nl; bits; bits &= bits - 1) {
            int k = __builtin_ctzll(bits);
            const char *c = base + k;
            if (!((nl >> k) & 1)) { /* a delimiter */
                if ((rc = put_cell(&P->cells[P->batched * P->ncols], j++, P->ncols, f, c)) != OK) return rc;
                f = c + 1;
                continue;
            }
            const char *e = c > f && c[-1] == '\r' ? c - 1 : c;
            if (!(j == 0 && e == ls) && (rc = end_row(P, j, f, e)) != OK) return rc; /* a blank line is skipped */
            j = 0;
            ls = f = c + 1;
        }
    }
    if (ls < stop) { /* the last line, without a newline (only at the end of a range) */
        const char *e = stop[-1] == '\r' ? stop - 1 : stop;
        if (!(j == 0 && e == ls) && (rc = end_row(P, j, f, e)) != OK) return rc;
    }
    return P->batched ? flush(P) : OK;
}
#else
#define SCAN_PAD PAD
static int parse_lines(Parser *P, const char *p, const char *stop, int last) {
    (void)last;
    return parse_lines_scalar(P, p, stop);
}
#endif

static int parse_range(Parser *P, int fd, int64_t lo, int64_t hi) {
    size_t cap = 2 * (size_t)BLOCK, have = 0;
    char *buf = malloc(cap + SCAN_PAD);
    if (!buf) return NO_MEMORY;
    int64_t pos = lo;
    int rc = OK, reserved = 0;
    for (;;) {
        int eof = pos >= hi;
        if (!eof) {
            size_t want = cap - have;
            if ((int64_t)want > hi - pos) want = (size_t)(hi - pos);
            ssize_t got = pread(fd, buf + have, want, pos);
            if (got < 0) {
                if (errno == EINTR) continue;
                rc = IO_ERROR;
                break;
            }
            pos += got;
            have += (size_t)got;
            eof = pos >= hi || got == 0;
        }
        const char *end = buf + have, *stop = end;
        if (!eof) {
            const char *nl = end;
            while (nl > buf && nl[-1] != '\n') nl--; /* after the last newline (lines are short: a few bytes back) */
            stop = nl;
            if (stop == buf) { /* a line longer than the buffer */
                char *b = realloc(buf, cap * 2 + SCAN_PAD);
                if (!b) {
                    rc = NO_MEMORY;
                    break;
                }
                buf = b;
                cap *= 2;
                continue;
            }
        }
        rc = parse_lines(P, buf, stop, eof);
        if (rc != OK || eof) break;
        if (!reserved && P->rows) { /* the columns' room for the whole range, from the rows of its first block */
            reserved = 1;
            double per_byte = (double)P->rows / (double)(pos - lo - (int64_t)(end - stop));
            size_t want = (size_t)(per_byte * (double)(hi - lo) * 1.02) + BATCH;
            for (int j = 0; j < P->ncols && rc == OK; j++)
                if (want > P->out[j].n) rc = vec_reserve(&P->out[j], want - P->out[j].n);
            if (rc != OK) break;
        }
        have = (size_t)(end - stop);
        memmove(buf, stop, have);
    }
    free(buf);
    return rc;
}

static void parser_free(Parser *P) {
    for (int j = 0; j < P->ncols; j++) {
        if (P->dicts) dict_free(&P->dicts[j]);
        if (P->out) free(P->out[j].p);
    }
    free(P->dicts);
    free(P->out);
    free(P->cells);
}

static int parser_init(Parser *P, int ncols, int ts_col, int ts_mode, char delim) {
    memset(P, 0, sizeof *P);
    P->ncols = ncols;
    P->ts_col = ts_mode ? ts_col : -1;
    P->ts_mode = ts_mode;
    P->delim = delim;
    P->special[(unsigned char)delim] = P->special['\r'] = P->special['"'] = 1;
    P->dicts = calloc((size_t)ncols, sizeof *P->dicts);
    P->out = calloc((size_t)ncols, sizeof *P->out);
    P->cells = malloc((size_t)BATCH * (size_t)ncols * sizeof *P->cells);
    if (!P->dicts || !P->out || !P->cells) return NO_MEMORY;
    for (int j = 0; j < ncols; j++) {
        if (dict_init(&P->dicts[j]) != OK) return NO_MEMORY;
        P->out[j].item = j == P->ts_col ? sizeof(int64_t) : sizeof(int32_t);
    }
    return OK;
}

typedef struct { /* one byte range, parsed on a thread of its own */
    Parser P;
    int fd;
    int64_t lo, hi;
    int rc;
} Job;

static void *run_job(void *arg) {
    Job *job = arg;
    job->rc = parse_range(&job->P, job->fd, job->lo, job->hi);
    return NULL;
}

/* The ranges' dictionaries of each text column put into the first range's (each next range's new
 * values after, in the order they appear: Arrow's order), and its codes rewritten (-1 stays -1). */
static int join_ranges(Job *jobs, int n) {
    Parser *first = &jobs[0].P;
    for (int k = 1; k < n; k++) {
        Parser *P = &jobs[k].P;
        for (int j = 0; j < P->ncols; j++) {
            if (j == P->ts_col) continue;
            Dict *d = &P->dicts[j];
            int32_t *map = malloc((d->n + 1) * sizeof *map);
            if (!map) return NO_MEMORY;
            for (size_t c = 0; c < d->n; c++) {
                const char *v = d->arena + d->off[c];
                map[c] = dict_code(&first->dicts[j], v, (size_t)d->len[c], hash_bytes((const unsigned char *)v, (size_t)d->len[c]));
                if (map[c] < 0) {
                    free(map);
                    return NO_MEMORY;
                }
            }
            int32_t *codes = (int32_t *)P->out[j].p;
            for (size_t r = 0; r < P->out[j].n; r++) codes[r] = codes[r] < 0 ? -1 : map[codes[r]];
            free(map);
        }
    }
    return OK;
}

/* The result tuple (GIL held); None when a value is not UTF-8 (Arrow's reader gives the error). */
static PyObject *result(Job *jobs, int n) {
    Parser *first = &jobs[0].P;
    size_t rows = 0;
    for (int k = 0; k < n; k++) rows += jobs[k].P.rows;
    PyObject *cols = PyList_New(first->ncols);
    if (!cols) return NULL;
    for (int j = 0; j < first->ncols; j++) {
        size_t item = first->out[j].item;
        PyObject *data = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)(rows * item));
        if (!data) goto fail;
        char *at = PyByteArray_AS_STRING(data);
        for (int k = 0; k < n; k++) {
            Vec *v = &jobs[k].P.out[j];
            if (v->n) memcpy(at, v->p, v->n * item);
            at += v->n * item;
            free(v->p); /* copied: freed now, so that the columns are not all held twice */
            v->p = NULL;
            v->n = v->cap = 0;
        }
        if (j == first->ts_col) {
            PyList_SET_ITEM(cols, j, data);
            continue;
        }
        Dict *d = &first->dicts[j];
        PyObject *values = PyList_New((Py_ssize_t)d->n);
        if (!values) {
            Py_DECREF(data);
            goto fail;
        }
        for (size_t c = 0; c < d->n; c++) {
            PyObject *s = PyUnicode_DecodeUTF8(d->arena + d->off[c], d->len[c], "strict");
            if (!s) {
                Py_DECREF(data);
                Py_DECREF(values);
                Py_DECREF(cols);
                if (PyErr_ExceptionMatches(PyExc_UnicodeDecodeError)) {
                    PyErr_Clear();
                    Py_RETURN_NONE;
                }
                return NULL;
            }
            PyList_SET_ITEM(values, (Py_ssize_t)c, s);
        }
        PyObject *pair = Py_BuildValue("(NN)", data, values);
        if (!pair) goto fail;
        PyList_SET_ITEM(cols, j, pair);
    }
    return Py_BuildValue("(nN)", (Py_ssize_t)rows, cols);
fail:
    Py_DECREF(cols);
    return NULL;
}

/* At most this many ranges (threads) in one call. */
#define MAX_RANGES 64

static PyObject *fastcsv_read(PyObject *self, PyObject *args) {
    PyObject *path_obj, *ranges;
    int ncols, ts_col, ts_mode;
    const char *delim;
    Py_ssize_t delim_len;
    (void)self;
    if (!PyArg_ParseTuple(args, "O&Ois#ii", PyUnicode_FSConverter, &path_obj, &ranges, &ncols, &delim, &delim_len,
                          &ts_col, &ts_mode))
        return NULL;
    Py_ssize_t n = PySequence_Check(ranges) ? PySequence_Size(ranges) : -1;
    if (ncols < 1 || delim_len != 1 || n < 1 || n > MAX_RANGES || ts_mode < 0 || ts_mode > 2 ||
        (ts_mode != 0 && (ts_col < 0 || ts_col >= ncols))) {
        Py_DECREF(path_obj);
        PyErr_Clear();
        PyErr_SetString(PyExc_ValueError, "read(path, ranges, ncols, delimiter, ts_col, ts_mode): bad arguments");
        return NULL;
    }
    Job *jobs = calloc((size_t)n, sizeof *jobs);
    if (!jobs) {
        Py_DECREF(path_obj);
        return PyErr_NoMemory();
    }
    int rc = OK;
    for (Py_ssize_t k = 0; k < n; k++) {
        PyObject *r = PySequence_GetItem(ranges, k);
        long long lo, hi;
        int ok = r && PyArg_ParseTuple(r, "LL", &lo, &hi) && lo >= 0 && hi >= lo;
        Py_XDECREF(r);
        if (!ok) {
            for (Py_ssize_t m = 0; m < k; m++) parser_free(&jobs[m].P);
            free(jobs);
            Py_DECREF(path_obj);
            PyErr_Clear();
            PyErr_SetString(PyExc_ValueError, "read(): each range is (lo, hi) with 0 <= lo <= hi");
            return NULL;
        }
        jobs[k].lo = lo;
        jobs[k].hi = hi;
        if (rc == OK) rc = parser_init(&jobs[k].P, ncols, ts_col, ts_mode, delim[0]);
    }
    int fd = open(PyBytes_AS_STRING(path_obj), O_RDONLY);
    Py_DECREF(path_obj);
    if (fd < 0) {
        for (Py_ssize_t k = 0; k < n; k++) parser_free(&jobs[k].P);
        free(jobs);
        return PyErr_SetFromErrno(PyExc_OSError);
    }
    if (rc == OK) {
        Py_BEGIN_ALLOW_THREADS
        pthread_t threads[MAX_RANGES];
        int started[MAX_RANGES] = {0};
        for (Py_ssize_t k = 0; k < n; k++) jobs[k].fd = fd;
        for (Py_ssize_t k = 1; k < n; k++) started[k] = pthread_create(&threads[k], NULL, run_job, &jobs[k]) == 0;
        for (Py_ssize_t k = 0; k < n; k++)
            if (k == 0 || !started[k]) run_job(&jobs[k]); /* the first here; one whose thread did not start, too */
        for (Py_ssize_t k = 1; k < n; k++)
            if (started[k]) pthread_join(threads[k], NULL);
        for (Py_ssize_t k = 0; k < n && rc == OK; k++) rc = jobs[k].rc;
        if (rc == OK) rc = join_ranges(jobs, (int)n);
        Py_END_ALLOW_THREADS
    }
    close(fd);
    size_t rows = 0;
    for (Py_ssize_t k = 0; k < n; k++) rows += jobs[k].P.rows;
    PyObject *out = NULL;
    if (rc == OK && rows > 0) {
        out = result(jobs, (int)n);
    } else if (rc == OK || rc == GIVE_UP) {
        out = Py_None;
        Py_INCREF(out);
    } else if (rc == NO_MEMORY) {
        PyErr_NoMemory();
    } else {
        PyErr_SetFromErrno(PyExc_OSError);
    }
    for (Py_ssize_t k = 0; k < n; k++) parser_free(&jobs[k].P);
    free(jobs);
    return out;
}

static PyObject *fastcsv_set_scalar(PyObject *self, PyObject *arg) {
    (void)self;
    int on = PyObject_IsTrue(arg);
    if (on < 0) return NULL;
#if defined(__SSE2__)
    int was = force_scalar;
    force_scalar = on;
#else
    int was = 1;
#endif
    return PyBool_FromLong(was);
}

static PyMethodDef methods[] = {
    {"set_scalar", fastcsv_set_scalar, METH_O, "set_scalar(on) -> bool: split lines byte by byte (True), or 64 bytes at a time where SSE2 is (False); the setting before"},
    {"read", fastcsv_read, METH_VARARGS, "read(path, ranges, ncols, delimiter, ts_col, ts_mode) -> None | (n_rows, columns)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fastcsv", "Quote-free CSV files, dictionary-encoded.", -1, methods};

PyMODINIT_FUNC PyInit__fastcsv(void) { return PyModule_Create(&module); }
