/* Runs a model over calibration samples in several threads, one interpreter each, reporting
 * every op output to a visitor (see quant.h). */
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include "quant/quant.h"
#include "tflc/runtime.h"

struct worker {
    const struct tflc_quant_run *r;
    int index;
    struct tflc_interp *it;
    void *arena;
    atomic_size_t *done;
    enum tflc_status st;
    struct tflc_diag diag;
    size_t sample;
};

static void hook(void *ud, int op, bool after) {
    struct worker *w = ud;
    if (!after) return;
    int n = tflc_interp_op_output_count(w->it, op);
    for (int i = 0; i < n; i++) {
        const struct tflc_tensor *t = tflc_interp_op_output(w->it, op, i);
        if (t) w->r->visit(w->r->ud, w->index, w->sample, tflc_interp_op_output_index(w->it, op, i), t);
    }
}

static void *work(void *arg) {
    struct worker *w = arg;
    const struct tflc_quant_run *r = w->r;
    int nin = tflc_interp_input_count(w->it);
    for (size_t s = (size_t)w->index; s < r->samples; s += (size_t)r->threads) {
        w->sample = s;
        tflc_interp_reset(w->it);
        for (int i = 0; i < nin; i++) {
            struct tflc_tensor *t = tflc_interp_input(w->it, i);
            const float *src = r->inputs[i].data + s * r->inputs[i].elements;
            if (t->dtype == TFLC_DTYPE_FLOAT32) memcpy(t->data, src, t->bytes);
            else if (t->dtype == TFLC_DTYPE_INT32) /* integer ids (Embedding) given as floats */
                for (size_t k = 0; k < r->inputs[i].elements; k++) ((int32_t *)t->data)[k] = (int32_t)src[k];
            else if (t->quant.num_scales) /* a quantized model's integer input: quantize the sample */
                for (size_t k = 0; k < r->inputs[i].elements; k++) {
                    double q = nearbyint((double)src[k] / t->quant.scale) + t->quant.zero_point;
                    if (t->dtype == TFLC_DTYPE_INT8) ((int8_t *)t->data)[k] = (int8_t)(q < -128 ? -128 : q > 127 ? 127 : q);
                    else if (t->dtype == TFLC_DTYPE_UINT8) ((uint8_t *)t->data)[k] = (uint8_t)(q < 0 ? 0 : q > 255 ? 255 : q);
                    else if (t->dtype == TFLC_DTYPE_INT16)
                        ((int16_t *)t->data)[k] = (int16_t)(q < -32768 ? -32768 : q > 32767 ? 32767 : q);
                }
            r->visit(r->ud, w->index, s, -1 - i, t);
        }
        if (tflc_interp_invoke(w->it, &w->diag) != TFLC_STATUS_OK) {
            w->st = w->diag.status;
            return NULL;
        }
        atomic_fetch_add(w->done, 1);
    }
    return NULL;
}

enum tflc_status tflc_quant_run_model(const struct tflc_quant_run *r, struct tflc_diag *diag) {
    int T = r->threads > 0 ? r->threads : 1;
    if ((size_t)T > r->samples) T = r->samples ? (int)r->samples : 1;
    struct worker *w = calloc((size_t)T, sizeof *w);
    if (!w) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    struct tflc_quant_run rr = *r;
    rr.threads = T;
    atomic_size_t done = 0;
    enum tflc_status st = TFLC_STATUS_OK;
    size_t need = 0;
    struct tflc_interp_options opt = tflc_interp_options_default();
    opt.op_hook = hook;
    if ((st = tflc_interp_arena_size_hosted(r->model, r->len, &opt, &need, diag))) { free(w); return st; }
    for (int t = 0; t < T && !st; t++) {
        w[t].r = &rr;
        w[t].index = t;
        w[t].done = &done;
        if (!(w[t].arena = tflc_alloc_hosted(need))) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); break; }
        opt.op_hook_ud = &w[t];
        if ((st = tflc_interp_init(&w[t].it, r->model, r->len, w[t].arena, need, &opt, diag))) break;
        if (tflc_interp_input_count(w[t].it) != r->ninputs) {
            st = tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT, "the model has %d inputs, %d calibration inputs given",
                               tflc_interp_input_count(w[t].it), r->ninputs);
            break;
        }
        for (int i = 0; i < r->ninputs; i++) {
            size_t el = tflc_tensor_elements(tflc_interp_input(w[t].it, i));
            if (el != r->inputs[i].elements) {
                st = tflc_diag_set(diag, TFLC_STATUS_INVALID_ARGUMENT,
                                   "calibration input %d has %zu values per sample, the model input '%s' needs %zu", i,
                                   r->inputs[i].elements, tflc_interp_input(w[t].it, i)->name, el);
                break;
            }
        }
    }
    pthread_t th[64];
    int started = 0;
    if (!st) {
        for (int t = 1; t < T && t < 64; t++)
            if (pthread_create(&th[t], NULL, work, &w[t]) == 0) started = t;
            else { w[t].st = TFLC_STATUS_INTERNAL; snprintf(w[t].diag.msg, sizeof w[t].diag.msg, "cannot start a thread"); }
        /* Thread 0 runs here too; progress is reported between its samples... by a poller. */
        if (r->progress && T > 1) {
            /* Run thread 0's share in a helper thread so this one can report progress. */
            pthread_t t0;
            if (pthread_create(&t0, NULL, work, &w[0]) == 0) {
                for (;;) {
                    size_t d = atomic_load(&done);
                    r->progress(r->progress_ud, d, r->samples);
                    if (d >= r->samples) break;
                    bool alive = false;
                    for (int t = 0; t < T; t++) alive = alive || (w[t].st == TFLC_STATUS_OK);
                    if (!alive) break;
                    struct timespec ts = {0, 100 * 1000 * 1000};
                    nanosleep(&ts, NULL);
                    bool failed = false;
                    for (int t = 0; t < T; t++) failed = failed || w[t].st != TFLC_STATUS_OK;
                    if (failed) break;
                }
                pthread_join(t0, NULL);
            } else {
                work(&w[0]);
            }
        } else {
            work(&w[0]);
            if (r->progress) r->progress(r->progress_ud, atomic_load(&done), r->samples);
        }
        for (int t = 1; t <= started; t++) pthread_join(th[t], NULL);
        if (r->progress) r->progress(r->progress_ud, atomic_load(&done), r->samples);
        for (int t = 0; t < T && !st; t++)
            if (w[t].st) st = tflc_diag_set(diag, w[t].st, "calibration run: %s", w[t].diag.msg);
    }
    for (int t = 0; t < T; t++) {
        tflc_interp_free(w[t].it);
        tflc_free_hosted(w[t].arena);
    }
    free(w);
    return st;
}
