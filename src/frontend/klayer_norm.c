/* Normalization and resampling layers: BatchNormalization (MUL + ADD by per-channel
 * constants; ir/passes folds them into a preceding conv / dense), LayerNormalization,
 * Normalization (adapted mean / variance), UpSampling1D/2D, Cropping1D/2D, Embedding, PReLU. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/keras_lower.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

static enum tflc_status finish(struct tflc_klower *c, int32_t y, int32_t *out, int *nout) {
    if (y < 0) return c->diag && c->diag->status ? c->diag->status : TFLC_STATUS_INTERNAL;
    out[0] = y;
    *nout = 1;
    return TFLC_STATUS_OK;
}

/* Constant shaped to broadcast along `axis` of a rank-r tensor: [C] for the last axis,
 * [C, 1, ..., 1] otherwise. */
static int32_t axis_const(struct tflc_klower *c, const char *suffix, int r, int axis, int32_t C, const float *v) {
    int32_t d[TFLC_MAX_DIMS];
    int n = r - axis;
    if (n == 1) return kir_const_f32(c, suffix, 1, &C, v);
    d[0] = C;
    for (int i = 1; i < n; i++) d[i] = 1;
    return kir_const_f32(c, suffix, n, d, v);
}

static enum tflc_status axis_of(struct tflc_klower *c, int r, int *axis) {
    int64_t a;
    const cJSON *j = kcfg(c, "axis");
    if (cJSON_IsArray(j)) {
        if (cJSON_GetArraySize(j) != 1) return kfail(c, TFLC_STATUS_UNSUPPORTED, "normalization over several axes");
        j = cJSON_GetArrayItem(j, 0);
        if (!cJSON_IsNumber(j)) return kfail(c, TFLC_STATUS_INVALID_MODEL, "bad 'axis'");
        a = kjson_i32(j);
    } else {
        enum tflc_status st = kcfg_int(c, "axis", -1, -8, 7, &a);
        if (st) return st;
    }
    if (a < 0) a += r;
    if (a < 1 || a >= r) return kfail(c, TFLC_STATUS_UNSUPPORTED, "axis %lld", (long long)a);
    *axis = (int)a;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_klayer_batch_norm(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    int axis;
    enum tflc_status st = axis_of(c, xt->rank, &axis);
    if (st) return st;
    bool scale, center;
    double eps;
    if ((st = kcfg_bool(c, "scale", true, &scale)) || (st = kcfg_bool(c, "center", true, &center)) ||
        (st = kcfg_num(c, "epsilon", 1e-3, &eps)))
        return st;
    int32_t C = xt->dims[axis];
    const struct tflc_kweight *gw = NULL, *bw = NULL, *mw, *vw;
    int i = 0;
    if (scale && (st = kw_get(c, i++, "gamma", 1, &C, &gw))) return st;
    if (center && (st = kw_get(c, i++, "beta", 1, &C, &bw))) return st;
    if ((st = kw_get(c, i++, "moving_mean", 1, &C, &mw)) || (st = kw_get(c, i++, "moving_variance", 1, &C, &vw))) return st;
    float *s = malloc(sizeof *s * 2 * (size_t)C), *t = NULL;
    if (!s) return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    t = s + C;
    const float *g = gw ? gw->data : NULL, *b = bw ? bw->data : NULL, *mu = mw->data, *var = vw->data;
    for (int32_t k = 0; k < C; k++) {
        /* Same float32 steps as TensorFlow's inference batch norm: rsqrt(var + eps) * gamma. */
        float inv = 1.0f / sqrtf(var[k] + (float)eps);
        s[k] = inv * (g ? g[k] : 1.0f);
        t[k] = (b ? b[k] : 0.0f) - mu[k] * s[k];
    }
    int32_t sk = axis_const(c, "/mul", xt->rank, axis, C, s);
    int32_t tk = axis_const(c, "/add", xt->rank, axis, C, t);
    free(s);
    int32_t y = sk < 0 || tk < 0 ? -1 : kir_binary(c, OP(MUL), in[0], sk, "/mul_out");
    if (y >= 0) y = kir_binary(c, OP(ADD), y, tk, "/add_out");
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_layer_norm(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    int axis;
    enum tflc_status st = axis_of(c, xt->rank, &axis);
    if (st) return st;
    if (axis != xt->rank - 1) return kfail(c, TFLC_STATUS_UNSUPPORTED, "normalization over a non-last axis");
    bool scale, center;
    double eps;
    if ((st = kcfg_bool(c, "scale", true, &scale)) || (st = kcfg_bool(c, "center", true, &center)) ||
        (st = kcfg_num(c, "epsilon", 1e-3, &eps)))
        return st;
    int32_t C = xt->dims[axis];
    const struct tflc_kweight *gw = NULL, *bw = NULL;
    int i = 0;
    if (scale && (st = kw_get(c, i++, "gamma", 1, &C, &gw))) return st;
    if (center && (st = kw_get(c, i++, "beta", 1, &C, &bw))) return st;
    /* mean = MEAN(x), d = x - mean, var = MEAN(d*d), y = d * RSQRT(var + eps) * gamma + beta */
    int32_t ax = axis;
    int32_t axk = kir_const_i32(c, "/axis", 1, &ax);
    int32_t rd[TFLC_MAX_DIMS];
    memcpy(rd, xt->dims, sizeof rd);
    rd[axis] = 1;
    int32_t mean = kir_tensor(c, "/mean", TFLC_DTYPE_FLOAT32, xt->rank, rd);
    int32_t min[2] = {in[0], axk};
    int32_t k1 = mean >= 0 && axk >= 0 ? kir_node(c, OP(MEAN), min, 2, &mean, 1) : -1;
    if (k1 < 0) return finish(c, -1, out, nout);
    tflc_ir_opt_bool(c->g, k1, "keep_dims", true);
    int32_t d = kir_binary(c, OP(SUB), in[0], mean, "/centered");
    int32_t sq = d < 0 ? -1 : kir_binary(c, OP(MUL), d, d, "/sq");
    int32_t var = kir_tensor(c, "/var", TFLC_DTYPE_FLOAT32, xt->rank, rd);
    int32_t vin[2] = {sq, axk};
    int32_t k2 = sq >= 0 && var >= 0 ? kir_node(c, OP(MEAN), vin, 2, &var, 1) : -1;
    if (k2 < 0) return finish(c, -1, out, nout);
    tflc_ir_opt_bool(c->g, k2, "keep_dims", true);
    float e = (float)eps;
    int32_t ek = kir_const_f32(c, "/epsilon", 0, NULL, &e);
    int32_t ve = ek < 0 ? -1 : kir_binary(c, OP(ADD), var, ek, "/var_eps");
    int32_t inv = ve < 0 ? -1 : kir_unary(c, OP(RSQRT), ve, "/rsqrt");
    int32_t y = inv < 0 ? -1 : kir_binary(c, OP(MUL), d, inv, "/normalized");
    if (y >= 0 && gw) {
        int32_t gk = kir_const_f32(c, "/gamma", 1, &C, gw->data);
        y = gk < 0 ? -1 : kir_binary(c, OP(MUL), y, gk, "/scaled");
    }
    if (y >= 0 && bw) {
        int32_t bk = kir_const_f32(c, "/beta", 1, &C, bw->data);
        y = bk < 0 ? -1 : kir_binary(c, OP(ADD), y, bk, "/shifted");
    }
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_normalization(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    int axis;
    enum tflc_status st = axis_of(c, xt->rank, &axis);
    if (st) return st;
    bool invert;
    if ((st = kcfg_bool(c, "invert", false, &invert))) return st;
    int32_t C = xt->dims[axis];
    /* Adapted state: mean, variance (and count). Shapes may carry leading 1s. */
    const struct tflc_kweight *mw, *vw;
    int32_t any[TFLC_MAX_DIMS];
    for (int i = 0; i < TFLC_MAX_DIMS; i++) any[i] = -1;
    int k = 0;
    for (; k < kw_count(c); k++) {
        if (kw_get(c, k, NULL, 1, any, &mw) == TFLC_STATUS_OK) break;
    }
    /* Find the first two C-element float weights: mean then variance. */
    const struct tflc_kweight *found[2] = {NULL, NULL};
    int nf = 0;
    for (int w = 0; w < kw_count(c) && nf < 2; w++) {
        for (int r = 1; r <= TFLC_MAX_DIMS && nf < 2; r++) {
            const struct tflc_kweight *cand;
            struct tflc_diag quiet;
            struct tflc_klower q = *c;
            q.diag = &quiet;
            if (kw_get(&q, w, NULL, r, any, &cand) == TFLC_STATUS_OK) {
                size_t n = 1;
                for (int i = 0; i < cand->rank; i++) n *= (size_t)cand->dims[i];
                if ((int32_t)n == C) found[nf++] = cand;
                break;
            }
        }
    }
    (void)k;
    (void)mw;
    if (nf < 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "needs adapted mean and variance of %d values", C);
    mw = found[0];
    vw = found[1];
    float *s = malloc(sizeof *s * 2 * (size_t)C);
    if (!s) return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    float *t = s + C;
    const float *mu = mw->data, *var = vw->data;
    for (int32_t i = 0; i < C; i++) {
        float sd = sqrtf(var[i]);
        if (sd < 1e-7f) sd = 1e-7f; /* Keras: maximum(sqrt(variance), epsilon) */
        if (!invert) { s[i] = 1.0f / sd; t[i] = -mu[i] / sd; }
        else { s[i] = sd; t[i] = mu[i]; }
    }
    int32_t sk = axis_const(c, "/scale", xt->rank, axis, C, s), tk = axis_const(c, "/offset", xt->rank, axis, C, t);
    free(s);
    int32_t y = sk < 0 || tk < 0 ? -1 : kir_binary(c, OP(MUL), in[0], sk, "/mul");
    if (y >= 0) y = kir_binary(c, OP(ADD), y, tk, "/add");
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_upsampling2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    if (xt->rank != 4) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank 4");
    int32_t sz[2], two[2] = {2, 2};
    enum tflc_status st = kcfg_ints(c, "size", 2, two, 1, 1 << 12, sz);
    if (st) return st;
    const char *interp = kcfg_str(c, "interpolation");
    bool bilinear = interp && !strcmp(interp, "bilinear");
    if (interp && !bilinear && strcmp(interp, "nearest")) return kfail(c, TFLC_STATUS_UNSUPPORTED, "interpolation '%s'", interp);
    int32_t os[2] = {xt->dims[1] * sz[0], xt->dims[2] * sz[1]};
    int32_t sk = kir_const_i32(c, "/size", 2, os);
    int32_t d[4] = {xt->dims[0], os[0], os[1], xt->dims[3]};
    int32_t y = kir_tensor(c, bilinear ? "/resize_bilinear" : "/resize_nearest", xt->dtype, 4, d);
    int32_t rin[2] = {in[0], sk};
    int32_t k = sk >= 0 && y >= 0 ? kir_node(c, bilinear ? OP(RESIZE_BILINEAR) : OP(RESIZE_NEAREST_NEIGHBOR), rin, 2, &y, 1) : -1;
    if (k < 0) return finish(c, -1, out, nout);
    /* tf.image.resize (what Keras uses) samples at pixel centers; for the integer factors
     * of nearest upsampling that equals plain nearest, which older runtimes also run. */
    if (bilinear) tflc_ir_opt_bool(c->g, k, "half_pixel_centers", true);
    return finish(c, y, out, nout);
}

/* UpSampling1D repeats every step `size` times. Keras's repeat_elements on a static length is a
 * split into steps and a concatenation of each step repeated, which is what Google's converter
 * emits too: SPLIT + CONCATENATION. */
enum tflc_status tflc_klayer_upsampling1d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    if (xt->rank != 3) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank 3");
    int64_t size;
    enum tflc_status st = kcfg_int(c, "size", 2, 1, 1 << 12, &size);
    if (st) return st;
    int32_t b = xt->dims[0], T = xt->dims[1], ch = xt->dims[2];
    enum tflc_dtype dt = xt->dtype;
    if ((int64_t)T * size > 4096)
        return kfail(c, TFLC_STATUS_UNSUPPORTED, "%lld output steps (limit 4096)", (long long)(T * size));
    int32_t *steps = malloc(sizeof *steps * (size_t)T * (size_t)(size + 1));
    if (!steps) return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    int32_t *rep = steps + T, axis = 1;
    int32_t ak = kir_const_i32(c, "/split_dim", 1, &axis);
    for (int32_t t = 0; t < T && ak >= 0; t++) {
        char nm[64];
        snprintf(nm, sizeof nm, "/split%d", t);
        steps[t] = kir_tensor(c, nm, dt, 3, (int32_t[]){b, 1, ch});
        if (steps[t] < 0) ak = -1;
        for (int64_t r = 0; r < size; r++) rep[t * size + r] = steps[t];
    }
    int32_t sin[2] = {ak, in[0]};
    int32_t k = ak >= 0 ? kir_node(c, OP(SPLIT), sin, 2, steps, T) : -1;
    int32_t y = k >= 0 ? kir_tensor(c, "/concat", dt, 3, (int32_t[]){b, T * (int32_t)size, ch}) : -1;
    int32_t k2 = y >= 0 ? kir_node(c, OP(CONCATENATION), rep, T * (int)size, &y, 1) : -1;
    free(steps);
    if (k2 < 0) return finish(c, -1, out, nout);
    tflc_ir_opt_int(c->g, k, "num_splits", T);
    tflc_ir_opt_int(c->g, k2, "axis", 1);
    return finish(c, y, out, nout);
}

static enum tflc_status crop(struct tflc_klower *c, const int32_t *in, int nin, int rank, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    if (xt->rank != rank + 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank %d", rank + 2);
    int32_t cr[4] = {0, 0, 0, 0};
    const cJSON *j = kcfg(c, "cropping");
    if (cJSON_IsNumber(j)) {
        for (int i = 0; i < 4; i++) cr[i] = kjson_i32(j);
    } else if (cJSON_IsArray(j) && cJSON_GetArraySize(j) == 2 && cJSON_IsNumber(cJSON_GetArrayItem(j, 0))) {
        if (rank == 1) { cr[0] = kjson_i32(cJSON_GetArrayItem(j, 0)); cr[1] = kjson_i32(cJSON_GetArrayItem(j, 1)); }
        else { cr[0] = cr[1] = kjson_i32(cJSON_GetArrayItem(j, 0)); cr[2] = cr[3] = kjson_i32(cJSON_GetArrayItem(j, 1)); }
    } else if (cJSON_IsArray(j) && rank == 2 && cJSON_GetArraySize(j) == 2) {
        for (int a = 0; a < 2; a++) {
            const cJSON *e = cJSON_GetArrayItem(j, a);
            if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) != 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "bad 'cropping'");
            cr[2 * a] = kjson_i32(cJSON_GetArrayItem(e, 0));
            cr[2 * a + 1] = kjson_i32(cJSON_GetArrayItem(e, 1));
        }
    } else {
        return kfail(c, TFLC_STATUS_INVALID_MODEL, "bad 'cropping'");
    }
    int32_t begin[4] = {0, 0, 0, 0}, size[4];
    memcpy(size, xt->dims, sizeof size);
    for (int a = 0; a < rank; a++) {
        int32_t lo = cr[2 * a], hi = cr[2 * a + 1];
        if (lo < 0 || hi < 0 || lo + hi >= xt->dims[1 + a]) return kfail(c, TFLC_STATUS_INVALID_MODEL, "cropping removes the whole axis");
        begin[1 + a] = lo;
        size[1 + a] = xt->dims[1 + a] - lo - hi;
    }
    /* inputs[:, a:-b, ...] in Keras: a STRIDED_SLICE, as Google's converter keeps it. */
    int32_t end[4], strides[4] = {1, 1, 1, 1};
    for (int a = 0; a < xt->rank; a++) end[a] = begin[a] + size[a];
    int32_t bk = kir_const_i32(c, "/begin", xt->rank, begin), ek = kir_const_i32(c, "/end", xt->rank, end);
    int32_t sk = kir_const_i32(c, "/strides", xt->rank, strides);
    int32_t y = kir_tensor(c, "/StridedSlice", xt->dtype, xt->rank, size);
    int32_t sin[4] = {in[0], bk, ek, sk};
    if (bk < 0 || ek < 0 || sk < 0 || y < 0 || kir_node(c, OP(STRIDED_SLICE), sin, 4, &y, 1) < 0)
        return finish(c, -1, out, nout);
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_cropping1d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return crop(c, in, nin, 1, out, nout);
}
enum tflc_status tflc_klayer_cropping2d(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return crop(c, in, nin, 2, out, nout);
}

enum tflc_status tflc_klayer_embedding(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    int64_t vocab, dim;
    enum tflc_status st;
    if ((st = kcfg_int(c, "input_dim", -1, 1, 1 << 28, &vocab)) || (st = kcfg_int(c, "output_dim", -1, 1, 1 << 20, &dim))) return st;
    if (vocab < 1 || dim < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'input_dim' and 'output_dim' are required");
    const struct tflc_kweight *ew;
    if ((st = kw_get(c, 0, "embeddings", 2, (int32_t[]){(int32_t)vocab, (int32_t)dim}, &ew))) return st;
    int32_t table = kir_const_f32(c, "/embeddings", 2, (int32_t[]){(int32_t)vocab, (int32_t)dim}, ew->data);
    int32_t idx = in[0];
    const struct tflc_ir_tensor *xt = kir_t(c, idx);
    if (xt->dtype != TFLC_DTYPE_INT32) {
        /* Keras feeds float ids through a cast, as Google's converter does. */
        idx = kir_tensor(c, "/Cast", TFLC_DTYPE_INT32, xt->rank, xt->dims);
        if (idx < 0 || kir_node(c, OP(CAST), &in[0], 1, &idx, 1) < 0) return finish(c, -1, out, nout);
        xt = kir_t(c, idx);
    }
    int32_t d[TFLC_MAX_DIMS];
    if (xt->rank + 1 > TFLC_MAX_DIMS) return kfail(c, TFLC_STATUS_UNSUPPORTED, "input rank too large");
    memcpy(d, xt->dims, sizeof d[0] * (size_t)xt->rank);
    d[xt->rank] = (int32_t)dim;
    int32_t y = kir_tensor(c, "/embedding_lookup", TFLC_DTYPE_FLOAT32, xt->rank + 1, d);
    int32_t gin[2] = {table, idx};
    int32_t k = table >= 0 && y >= 0 ? kir_node(c, OP(GATHER), gin, 2, &y, 1) : -1;
    if (k < 0) return finish(c, -1, out, nout);
    tflc_ir_opt_int(c->g, k, "axis", 0);
    return finish(c, y, out, nout);
}

enum tflc_status tflc_klayer_prelu(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin != 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
    const struct tflc_ir_tensor *xt = kir_t(c, in[0]);
    const struct tflc_kweight *aw;
    int32_t any[TFLC_MAX_DIMS];
    for (int i = 0; i < TFLC_MAX_DIMS; i++) any[i] = -1;
    enum tflc_status st = kw_get(c, 0, "alpha", xt->rank - 1, any, &aw);
    if (st) return st;
    /* alpha has the input's shape without batch (shared axes have size 1): broadcastable. */
    for (int i = 0; i < aw->rank; i++)
        if (aw->dims[i] != 1 && aw->dims[i] != xt->dims[i + 1]) return kfail(c, TFLC_STATUS_INVALID_MODEL, "alpha does not broadcast");
    int32_t ak = kir_const_f32(c, "/alpha", aw->rank, aw->dims, aw->data);
    return finish(c, ak < 0 ? -1 : kir_binary(c, OP(PRELU), in[0], ak, "/prelu"), out, nout);
}
