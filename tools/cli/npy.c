/* .npy reader/writer (see npy.h). The header is a Python dict literal; we accept exactly the
 * keys numpy writes ('descr', 'fortran_order', 'shape') and reject anything else. */
#include "npy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/checked_math.h"
#include "cli.h"

static const struct { enum tflc_dtype t; const char *d; } descrs[] = {
    {TFLC_DTYPE_FLOAT32, "<f4"}, {TFLC_DTYPE_FLOAT16, "<f2"}, {TFLC_DTYPE_FLOAT64, "<f8"},
    {TFLC_DTYPE_INT8, "|i1"},    {TFLC_DTYPE_UINT8, "|u1"},   {TFLC_DTYPE_INT16, "<i2"},
    {TFLC_DTYPE_UINT16, "<u2"},  {TFLC_DTYPE_INT32, "<i4"},   {TFLC_DTYPE_UINT32, "<u4"},
    {TFLC_DTYPE_INT64, "<i8"},   {TFLC_DTYPE_UINT64, "<u8"},  {TFLC_DTYPE_BOOL, "|b1"},
};

const char *npy_descr(enum tflc_dtype t) {
    for (size_t i = 0; i < sizeof descrs / sizeof descrs[0]; i++)
        if (descrs[i].t == t) return descrs[i].d;
    return NULL;
}

static bool descr_type(const char *s, size_t n, enum tflc_dtype *t) {
    for (size_t i = 0; i < sizeof descrs / sizeof descrs[0]; i++) {
        const char *d = descrs[i].d;
        if (n == 3 && (memcmp(s, d, 3) == 0 || (d[0] == '|' && s[0] == '<' && memcmp(s + 1, d + 1, 2) == 0) ||
                       (d[0] == '<' && s[0] == '=' && memcmp(s + 1, d + 1, 2) == 0))) {
            *t = descrs[i].t;
            return true;
        }
    }
    return false;
}

static void skip_ws(const char **p, const char *e) {
    while (*p < e && (**p == ' ' || **p == '\n' || **p == '\t' || **p == '\r')) (*p)++;
}

static bool fail(char *err, size_t n, const char *msg) {
    snprintf(err, n, "%s", msg);
    return false;
}

static bool parse_header(const char *p, const char *e, struct npy *o, char *err, size_t errlen) {
    bool have_descr = false, have_order = false, have_shape = false;
    skip_ws(&p, e);
    if (p >= e || *p != '{') return fail(err, errlen, "npy header is not a dict");
    p++;
    for (;;) {
        skip_ws(&p, e);
        if (p < e && *p == '}') break;
        if (p >= e || (*p != '\'' && *p != '"')) return fail(err, errlen, "npy header: expected a key");
        char q = *p++;
        const char *k = p;
        while (p < e && *p != q) p++;
        if (p >= e) return fail(err, errlen, "npy header: unterminated key");
        size_t kl = (size_t)(p - k);
        p++;
        skip_ws(&p, e);
        if (p >= e || *p != ':') return fail(err, errlen, "npy header: expected ':'");
        p++;
        skip_ws(&p, e);
        if (kl == 5 && memcmp(k, "descr", 5) == 0) {
            if (p >= e || (*p != '\'' && *p != '"')) return fail(err, errlen, "npy header: descr must be a string");
            char q2 = *p++;
            const char *v = p;
            while (p < e && *p != q2) p++;
            if (p >= e) return fail(err, errlen, "npy header: unterminated descr");
            if (!descr_type(v, (size_t)(p - v), &o->dtype)) return fail(err, errlen, "npy: unsupported dtype (descr)");
            p++;
            have_descr = true;
        } else if (kl == 13 && memcmp(k, "fortran_order", 13) == 0) {
            if (e - p >= 5 && memcmp(p, "False", 5) == 0) p += 5;
            else if (e - p >= 4 && memcmp(p, "True", 4) == 0) return fail(err, errlen, "npy: Fortran-order arrays are not supported");
            else return fail(err, errlen, "npy header: bad fortran_order");
            have_order = true;
        } else if (kl == 5 && memcmp(k, "shape", 5) == 0) {
            if (p >= e || *p != '(') return fail(err, errlen, "npy header: shape must be a tuple");
            p++;
            o->rank = 0;
            for (;;) {
                skip_ws(&p, e);
                if (p < e && *p == ')') { p++; break; }
                if (o->rank >= NPY_MAX_DIMS) return fail(err, errlen, "npy: too many dimensions");
                int64_t v = 0;
                int digits = 0;
                while (p < e && *p >= '0' && *p <= '9') {
                    if (v > (INT64_MAX - 9) / 10) return fail(err, errlen, "npy: dimension too large");
                    v = v * 10 + (*p - '0');
                    p++;
                    digits++;
                }
                if (p < e && *p == 'L') p++;
                if (!digits) return fail(err, errlen, "npy header: bad shape");
                o->dims[o->rank++] = v;
                skip_ws(&p, e);
                if (p < e && *p == ',') p++;
                else if (p < e && *p == ')') { p++; break; }
                else return fail(err, errlen, "npy header: bad shape");
            }
            have_shape = true;
        } else {
            return fail(err, errlen, "npy header: unknown key");
        }
        skip_ws(&p, e);
        if (p < e && *p == ',') { p++; continue; }
        if (p < e && *p == '}') break;
        return fail(err, errlen, "npy header: expected ',' or '}'");
    }
    if (!have_descr || !have_order || !have_shape) return fail(err, errlen, "npy header lacks descr, fortran_order or shape");
    return true;
}

bool npy_parse(void *file, size_t len, struct npy *o, char *err, size_t errlen) {
    memset(o, 0, sizeof *o);
    const unsigned char *b = file;
    if (len < 10 || memcmp(b, "\x93NUMPY", 6) != 0) { free(file); return fail(err, errlen, "not a .npy file"); }
    size_t hl, start;
    if (b[6] == 1) {
        hl = (size_t)b[8] | ((size_t)b[9] << 8);
        start = 10;
    } else if (b[6] == 2 || b[6] == 3) {
        if (len < 12) { free(file); return fail(err, errlen, "truncated .npy header"); }
        hl = (size_t)b[8] | ((size_t)b[9] << 8) | ((size_t)b[10] << 16) | ((size_t)b[11] << 24);
        start = 12;
    } else {
        free(file);
        return fail(err, errlen, "unsupported .npy version");
    }
    if (hl > len - start) { free(file); return fail(err, errlen, "truncated .npy header"); }
    if (!parse_header((const char *)b + start, (const char *)b + start + hl, o, err, errlen)) { free(file); return false; }
    size_t n = 1;
    for (int i = 0; i < o->rank; i++)
        if (!tflc_mul_size(n, (size_t)o->dims[i], &n)) { free(file); return fail(err, errlen, "npy: element count overflows"); }
    size_t es = tflc_dtype_size(o->dtype), bytes;
    if (!tflc_mul_size(n, es, &bytes)) { free(file); return fail(err, errlen, "npy: size overflows"); }
    if (bytes != len - start - hl) {
        snprintf(err, errlen, "npy: data has %zu bytes, the header's shape needs %zu", len - start - hl, bytes);
        free(file);
        return false;
    }
    o->count = n;
    o->bytes = bytes;
    o->file = file;
    o->data = b + start + hl;
    return true;
}

bool npy_load(const char *path, struct npy *out) {
    size_t len;
    void *f = cli_read_file(path, &len);
    if (!f) return false;
    char err[160];
    if (!npy_parse(f, len, out, err, sizeof err)) {
        cli_fail(path, "%s", err);
        return false;
    }
    return true;
}

void npy_free(struct npy *n) {
    if (!n) return;
    free(n->file);
    memset(n, 0, sizeof *n);
}

void *npy_encode(enum tflc_dtype dtype, int rank, const int64_t *dims, const void *data, size_t *len) {
    const char *d = npy_descr(dtype);
    if (!d) return NULL;
    char hdr[512];
    int k = snprintf(hdr, sizeof hdr, "{'descr': '%s', 'fortran_order': False, 'shape': (", d);
    size_t n = 1;
    for (int i = 0; i < rank; i++) {
        k += snprintf(hdr + k, sizeof hdr - (size_t)k, "%lld%s", (long long)dims[i], rank == 1 ? "," : (i + 1 < rank ? ", " : ""));
        n *= (size_t)dims[i];
    }
    k += snprintf(hdr + k, sizeof hdr - (size_t)k, "), }");
    size_t total = 10 + (size_t)k + 1;
    size_t padded = (total + 63) & ~(size_t)63;
    size_t hl = padded - 10;
    size_t bytes = n * tflc_dtype_size(dtype);
    unsigned char *out = malloc(padded + bytes);
    if (!out) return NULL;
    memcpy(out, "\x93NUMPY\x01\x00", 8);
    out[8] = (unsigned char)(hl & 0xff);
    out[9] = (unsigned char)(hl >> 8);
    memcpy(out + 10, hdr, (size_t)k);
    memset(out + 10 + k, ' ', hl - (size_t)k - 1);
    out[padded - 1] = '\n';
    if (bytes) memcpy(out + padded, data, bytes);
    *len = padded + bytes;
    return out;
}
