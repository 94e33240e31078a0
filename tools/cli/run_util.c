/* Model loading for run / bench / eval (see run_util.h). */
#include "run_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fp16.h"
#include "cli.h"

bool run_model_load(struct run_model *rm, const char *path, const struct tflc_interp_options *optin) {
    memset(rm, 0, sizeof *rm);
    struct tflc_interp_options o = *optin, *opt = &o;
    struct tflc_diag d;
    if (o.num_threads > 1 && !o.parallel_for &&
        tflc_interp_options_set_threads(&o, optin->num_threads, &rm->pool, &d) != TFLC_STATUS_OK) {
        cli_fail(path, "%s", d.msg);
        return false;
    }
    rm->file = cli_read_file(path, &rm->len);
    if (!rm->file) {
        run_model_free(rm);
        return false;
    }
    if (tflc_interp_arena_size_hosted(rm->file, rm->len, opt, &rm->arena_bytes, &d) != TFLC_STATUS_OK) {
        cli_fail(path, "%s", d.msg);
        run_model_free(rm);
        return false;
    }
    if (!(rm->arena = tflc_alloc_hosted(rm->arena_bytes))) {
        cli_fail(path, "cannot allocate a %zu-byte arena", rm->arena_bytes);
        run_model_free(rm);
        return false;
    }
    if (tflc_interp_init(&rm->it, rm->file, rm->len, rm->arena, rm->arena_bytes, opt, &d) != TFLC_STATUS_OK) {
        cli_fail(path, "%s", d.msg);
        run_model_free(rm);
        return false;
    }
    return true;
}

void run_model_free(struct run_model *rm) {
    tflc_interp_free(rm->it);
    tflc_threadpool_destroy(rm->pool);
    tflc_free_hosted(rm->arena);
    free(rm->file);
    memset(rm, 0, sizeof *rm);
}

static uint64_t next(uint64_t *s) {
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

void run_fill_random(struct tflc_tensor *t, uint64_t *state) {
    size_t n = tflc_tensor_elements(t);
    for (size_t i = 0; i < n; i++) {
        uint64_t r = next(state);
        float f = (float)((r >> 11) * (1.0 / 9007199254740992.0)) * 2.0f - 1.0f;
        switch (t->dtype) {
        case TFLC_DTYPE_FLOAT32: ((float *)t->data)[i] = f; break;
        case TFLC_DTYPE_FLOAT16: ((uint16_t *)t->data)[i] = tflc_f32_to_f16(f); break;
        case TFLC_DTYPE_INT8: ((int8_t *)t->data)[i] = (int8_t)(r >> 56); break;
        case TFLC_DTYPE_UINT8: ((uint8_t *)t->data)[i] = (uint8_t)(r >> 56); break;
        case TFLC_DTYPE_INT16: ((int16_t *)t->data)[i] = (int16_t)(r >> 48); break;
        case TFLC_DTYPE_INT32: ((int32_t *)t->data)[i] = (int32_t)(r >> 63); break;
        case TFLC_DTYPE_INT64: ((int64_t *)t->data)[i] = (int64_t)(r >> 63); break;
        case TFLC_DTYPE_BOOL: ((uint8_t *)t->data)[i] = (uint8_t)(r >> 63); break;
        default: memset(t->data, 0, t->bytes); return;
        }
    }
}

bool run_env_isa(struct tflc_interp_options *opt) {
    const char *e = getenv("TFLC_ISA");
    if (!e || !*e) return true;
    if (tflc_isa_parse(e, &opt->isa)) return true;
    cli_usage(NULL, "TFLC_ISA must be auto, ref, avx2, avx512, avx512vnni, neon or neondot, not '%s'", e);
    return false;
}

bool run_parse_arith(const char *s, enum tflc_arith *a) {
    if (!strcmp(s, "xnnpack")) *a = TFLC_ARITH_XNNPACK;
    else if (!strcmp(s, "reference")) *a = TFLC_ARITH_REFERENCE;
    else return false;
    return true;
}

bool run_env_arith(struct tflc_interp_options *opt) {
    const char *e = getenv("TFLC_ARITH");
    if (!e || !*e) return true;
    if (run_parse_arith(e, &opt->arithmetic)) return true;
    cli_usage(NULL, "TFLC_ARITH must be xnnpack or reference, not '%s'", e);
    return false;
}
