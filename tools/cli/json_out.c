/* Minimal streaming JSON writer (see json_out.h). */
#include "json_out.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void json_init(struct json_out *j, FILE *f) {
    memset(j, 0, sizeof *j);
    j->f = f;
}

static void pre(struct json_out *j) {
    if (j->after_key) { j->after_key = false; return; }
    if (j->depth > 0 && j->depth < 64) {
        if (j->need_comma[j->depth]) fputc(',', j->f);
        j->need_comma[j->depth] = true;
    }
}

static void open_(struct json_out *j, char c) {
    pre(j);
    fputc(c, j->f);
    if (j->depth < 63) j->depth++;
    j->need_comma[j->depth] = false;
}

static void close_(struct json_out *j, char c) {
    fputc(c, j->f);
    if (j->depth > 0) j->depth--;
}

void json_obj_begin(struct json_out *j) { open_(j, '{'); }
void json_obj_end(struct json_out *j) { close_(j, '}'); }
void json_arr_begin(struct json_out *j) { open_(j, '['); }
void json_arr_end(struct json_out *j) { close_(j, ']'); }

void json_strn(struct json_out *j, const char *s, size_t n) {
    pre(j);
    fputc('"', j->f);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') fprintf(j->f, "\\%c", c);
        else if (c == '\n') fputs("\\n", j->f);
        else if (c == '\t') fputs("\\t", j->f);
        else if (c == '\r') fputs("\\r", j->f);
        else if (c < 0x20 || c == 0x7f) fprintf(j->f, "\\u%04x", c);
        else if (c >= 0x80) {
            /* Pass valid UTF-8 through, escape invalid bytes as U+FFFD. */
            size_t need = c >= 0xF0 && c < 0xF5 ? 3 : c >= 0xE0 ? 2 : c >= 0xC2 && c < 0xE0 ? 1 : 0;
            bool ok = need > 0;
            for (size_t k = 1; ok && k <= need; k++) ok = i + k < n && ((unsigned char)s[i + k] & 0xC0) == 0x80;
            if (ok) { fwrite(s + i, 1, need + 1, j->f); i += need; }
            else fputs("\\ufffd", j->f);
        } else fputc(c, j->f);
    }
    fputc('"', j->f);
}

void json_str(struct json_out *j, const char *s) {
    if (!s) { json_null(j); return; }
    json_strn(j, s, strlen(s));
}

void json_key(struct json_out *j, const char *k) {
    json_str(j, k);
    fputc(':', j->f);
    j->after_key = true;
}

void json_int(struct json_out *j, int64_t v) { pre(j); fprintf(j->f, "%lld", (long long)v); }
void json_uint(struct json_out *j, uint64_t v) { pre(j); fprintf(j->f, "%llu", (unsigned long long)v); }
void json_bool(struct json_out *j, bool v) { pre(j); fputs(v ? "true" : "false", j->f); }
void json_null(struct json_out *j) { pre(j); fputs("null", j->f); }

void json_num(struct json_out *j, double v) {
    if (!isfinite(v)) { json_null(j); return; }
    pre(j);
    char b[40];
    for (int p = 9; p <= 17; p++) {
        snprintf(b, sizeof b, "%.*g", p, v);
        if (strtod(b, NULL) == v) break;
    }
    fputs(b, j->f);
}
