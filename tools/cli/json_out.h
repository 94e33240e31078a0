/* Minimal streaming JSON writer for CLI output (commas and escaping handled here). */
#ifndef TFLC_CLI_JSON_OUT_H
#define TFLC_CLI_JSON_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct json_out {
    FILE *f;
    int depth;
    bool need_comma[64];
    bool after_key;
};

void json_init(struct json_out *j, FILE *f);
void json_obj_begin(struct json_out *j);
void json_obj_end(struct json_out *j);
void json_arr_begin(struct json_out *j);
void json_arr_end(struct json_out *j);
void json_key(struct json_out *j, const char *k);
void json_str(struct json_out *j, const char *s);      /* NULL -> null */
void json_strn(struct json_out *j, const char *s, size_t n);
void json_int(struct json_out *j, int64_t v);
void json_uint(struct json_out *j, uint64_t v);
void json_num(struct json_out *j, double v);            /* shortest exact; NaN/Inf -> null */
void json_bool(struct json_out *j, bool v);
void json_null(struct json_out *j);

#endif
