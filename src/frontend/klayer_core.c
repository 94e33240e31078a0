/* Core Keras layers: Dense, activations as layers, Dropout & co (removed), Flatten, Reshape,
 * Permute, RepeatVector, merge layers, Rescaling. Lowered the way Google's converter lowers
 * them (Dense -> FULLY_CONNECTED with the kernel transposed to [units, in]; rank > 2 inputs
 * keep their leading dims via keep_num_dims). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/keras_lower.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

static enum tflc_status one_in(struct tflc_klower *c, int nin) {
    return nin == 1 ? TFLC_STATUS_OK : kfail(c, TFLC_STATUS_INVALID_MODEL, "expects 1 input, called on %d", nin);
}

static enum tflc_status done(struct tflc_klower *c, int32_t y, int32_t *out, int *nout) {
    if (y < 0) return c->diag && c->diag->status ? c->diag->status : TFLC_STATUS_INTERNAL;
    out[0] = y;
    *nout = 1;
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_klayer_identity(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    return done(c, in[0], out, nout);
}

/* Kernel [K, N] (Keras) -> [N, K] (TFLite FULLY_CONNECTED). */
static float *transpose2(const float *k, int32_t rows, int32_t cols) {
    float *t = malloc(sizeof *t * (size_t)rows * (size_t)cols + 1);
    if (!t) return NULL;
    for (int32_t r = 0; r < rows; r++)
        for (int32_t q = 0; q < cols; q++) t[(size_t)q * (size_t)rows + (size_t)r] = k[(size_t)r * (size_t)cols + (size_t)q];
    return t;
}

enum tflc_status tflc_klayer_dense(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    int64_t units;
    bool use_bias;
    if ((st = kcfg_int(c, "units", -1, 1, 1 << 24, &units))) return st;
    if (units < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'units' is missing");
    if ((st = kcfg_bool(c, "use_bias", true, &use_bias))) return st;
    const struct tflc_ir_tensor *x = kir_t(c, in[0]);
    if (x->rank < 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank >= 2");
    int32_t k = x->dims[x->rank - 1];
    const struct tflc_kweight *kw, *bw = NULL;
    if ((st = kw_get(c, 0, "kernel", 2, (int32_t[]){k, (int32_t)units}, &kw))) return st;
    if (use_bias && (st = kw_get(c, 1, "bias", 1, (int32_t[]){(int32_t)units}, &bw))) return st;
    float *wt = transpose2(kw->data, k, (int32_t)units);
    if (!wt) return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    int32_t w = kir_const_f32(c, "/kernel", 2, (int32_t[]){(int32_t)units, k}, wt);
    free(wt);
    int32_t b = bw ? kir_const_f32(c, "/bias", 1, (int32_t[]){(int32_t)units}, bw->data) : -1;
    if (w < 0 || (bw && b < 0)) return TFLC_STATUS_OUT_OF_MEMORY;
    int32_t y = kir_fully_connected(c, in[0], w, b, x->rank > 2, "/MatMul");
    if (y < 0) return c->diag->status;
    return done(c, kir_activation(c, y, kcfg_activation(c, "activation")), out, nout);
}

enum tflc_status tflc_klayer_activation(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    return done(c, kir_activation(c, in[0], kcfg_activation(c, "activation")), out, nout);
}

/* min(x, max_value) as MINIMUM with a scalar constant. */
static int32_t clamp_max(struct tflc_klower *c, int32_t x, float m) {
    int32_t k = kir_const_f32(c, "/max_value", 0, NULL, &m);
    return k < 0 ? -1 : kir_binary(c, OP(MINIMUM), x, k, "/min");
}

/* x * (x > t) as 0 / 1 mask times x. Google's converter emits GREATER, CAST, MUL; while tflc's
 * runtime lacks GREATER the mask is made from ops it has, exactly: (x - t) * 2^127 is >= 1
 * whenever x > t (x - t is then at least an ulp of t, >= 2^-124 for |t| >= 2^-100) and <= 0
 * otherwise, so min(relu((x - t) * 2^127), 1) is the mask. */
static int32_t above_threshold(struct tflc_klower *c, int32_t x, float t) {
    const struct tflc_ir_tensor *xt = kir_t(c, x);
    int32_t rank = xt->rank, dims[TFLC_MAX_DIMS];
    memcpy(dims, xt->dims, sizeof dims);
    int32_t tk = kir_const_f32(c, "/threshold", 0, NULL, &t);
    if (tk < 0) return -1;
    int32_t mask;
    if (kir_runtime_has(OP(GREATER))) {
        int32_t gt = kir_tensor(c, "/Greater", TFLC_DTYPE_BOOL, rank, dims);
        int32_t gin[2] = {x, tk};
        if (gt < 0 || kir_node(c, OP(GREATER), gin, 2, &gt, 1) < 0) return -1;
        mask = kir_tensor(c, "/Cast", TFLC_DTYPE_FLOAT32, rank, dims);
        if (mask < 0 || kir_node(c, OP(CAST), &gt, 1, &mask, 1) < 0) return -1;
    } else {
        if (fabsf(t) < 0x1p-100f) {
            kfail(c, TFLC_STATUS_UNSUPPORTED, "threshold %g is too close to 0", (double)t);
            return -1;
        }
        const float big = 0x1p127f, one = 1.0f;
        int32_t bk = kir_const_f32(c, "/scale", 0, NULL, &big), ok = kir_const_f32(c, "/one", 0, NULL, &one);
        int32_t z = bk < 0 || ok < 0 ? -1 : kir_binary(c, OP(SUB), x, tk, "/above");
        int32_t m = z < 0 ? -1 : kir_binary(c, OP(MUL), z, bk, "/scaled");
        int32_t r = m < 0 ? -1 : kir_unary(c, OP(RELU), m, "/relu");
        mask = r < 0 ? -1 : kir_binary(c, OP(MINIMUM), r, ok, "/mask");
        if (mask < 0) return -1;
    }
    return kir_binary(c, OP(MUL), x, mask, "/thresholded");
}

/* Keras ReLU: max_value caps, negative_slope scales what is below the threshold:
 *   threshold == 0: clip(relu(x), 0, max_value) - negative_slope * relu(-x)
 *   otherwise:      clip(x * (x > threshold), 0, max_value) - negative_slope * relu(threshold - x)
 * (the clip only with max_value). */
enum tflc_status tflc_klayer_relu(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    double maxv, ns, th;
    const cJSON *mv = kcfg(c, "max_value");
    bool has_max = mv && !cJSON_IsNull(mv);
    if ((st = kcfg_num(c, "max_value", 0, &maxv)) || (st = kcfg_num(c, "negative_slope", 0, &ns)) ||
        (st = kcfg_num(c, "threshold", 0, &th)))
        return st;
    if (ns < 0 || maxv < 0) return kfail(c, TFLC_STATUS_INVALID_MODEL, "negative_slope and max_value must be >= 0");
    int32_t y;
    if (th != 0) {
        y = above_threshold(c, in[0], (float)th);
        if (y >= 0 && has_max && maxv == 6) y = kir_unary(c, OP(RELU6), y, "/relu6");
        else if (y >= 0 && has_max) {
            y = kir_unary(c, OP(RELU), y, "/relu");
            if (y >= 0) y = clamp_max(c, y, (float)maxv);
        }
        if (y >= 0 && ns != 0) {
            float t = (float)th, s = (float)ns;
            int32_t tk = kir_const_f32(c, "/threshold_neg", 0, NULL, &t);
            int32_t sk = kir_const_f32(c, "/negative_slope", 0, NULL, &s);
            int32_t d = tk < 0 || sk < 0 ? -1 : kir_binary(c, OP(SUB), tk, in[0], "/below");
            int32_t r = d < 0 ? -1 : kir_unary(c, OP(RELU), d, "/below_relu");
            int32_t n = r < 0 ? -1 : kir_binary(c, OP(MUL), r, sk, "/negative_part");
            y = n < 0 ? -1 : kir_binary(c, OP(SUB), y, n, "/relu");
        }
    } else if (ns == 0) {
        if (has_max && maxv == 6) y = kir_unary(c, OP(RELU6), in[0], "/relu6");
        else {
            y = kir_unary(c, OP(RELU), in[0], "/relu");
            if (has_max && y >= 0) y = clamp_max(c, y, (float)maxv);
        }
    } else {
        /* negative_slope >= 0 keeps the leaky part below max_value, so the cap applies after. */
        y = kir_unary(c, OP(LEAKY_RELU), in[0], "/leaky_relu");
        if (y >= 0) tflc_ir_opt_float(c->g, c->g->t[y].producer, "alpha", ns);
        if (has_max && y >= 0) y = clamp_max(c, y, (float)maxv);
    }
    return done(c, y, out, nout);
}

enum tflc_status tflc_klayer_leaky_relu(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    double a;
    const char *key = kcfg(c, "negative_slope") ? "negative_slope" : "alpha";
    if ((st = kcfg_num(c, key, 0.3, &a))) return st;
    int32_t y = kir_unary(c, OP(LEAKY_RELU), in[0], "/leaky_relu");
    if (y >= 0) tflc_ir_opt_float(c->g, c->g->t[y].producer, "alpha", a);
    return done(c, y, out, nout);
}

enum tflc_status tflc_klayer_elu(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    double a;
    if ((st = kcfg_num(c, "alpha", 1.0, &a))) return st;
    int32_t e = kir_unary(c, OP(ELU), in[0], "/elu");
    if (a == 1.0 || e < 0) return done(c, e, out, nout);
    /* alpha * elu(x) below 0, x above: for alpha <= 1 that is max(elu(x), alpha * elu(x)), for
     * alpha > 1 the min (elu(x) = x > 0 above, < 0 below). */
    float af = (float)a;
    int32_t ak = kir_const_f32(c, "/alpha", 0, NULL, &af);
    int32_t sc = ak < 0 ? -1 : kir_binary(c, OP(MUL), e, ak, "/scaled");
    return done(c, sc < 0 ? -1 : kir_binary(c, a <= 1.0 ? OP(MAXIMUM) : OP(MINIMUM), e, sc, "/elu_alpha"), out, nout);
}

enum tflc_status tflc_klayer_softmax(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    int64_t axis;
    if ((st = kcfg_int(c, "axis", -1, -8, 7, &axis))) return st;
    int r = kir_t(c, in[0])->rank;
    if (axis < 0) axis += r;
    if (axis < 1 || axis >= r) return kfail(c, TFLC_STATUS_INVALID_MODEL, "axis out of range");
    if (axis == r - 1) return done(c, kir_activation(c, in[0], "softmax"), out, nout);
    /* SOFTMAX works on the last axis: swap the axis there and back, as Google's converter does. */
    int32_t perm[TFLC_MAX_DIMS];
    for (int i = 0; i < r; i++) perm[i] = i;
    perm[axis] = r - 1;
    perm[r - 1] = (int32_t)axis;
    int32_t t = kir_transpose(c, in[0], perm, "/transpose");
    int32_t s = t < 0 ? -1 : kir_activation(c, t, "softmax");
    return done(c, s < 0 ? -1 : kir_transpose(c, s, perm, "/transpose_back"), out, nout);
}

enum tflc_status tflc_klayer_flatten(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    const char *df = kcfg_str(c, "data_format");
    if (df && !strcmp(df, "channels_first")) return kfail(c, TFLC_STATUS_UNSUPPORTED, "channels_first is not supported");
    const struct tflc_ir_tensor *x = kir_t(c, in[0]);
    /* Keeps dim 0: the batch, or batch x time inside TimeDistributed. */
    int32_t d[2] = {x->dims[0], x->dims[0] ? (int32_t)(tflc_ir_numel(x) / (size_t)x->dims[0]) : 0};
    return done(c, kir_reshape(c, in[0], 2, d, "/Reshape"), out, nout);
}

enum tflc_status tflc_klayer_reshape(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    const cJSON *ts = kcfg(c, "target_shape");
    int n = cJSON_GetArraySize(ts);
    if (!cJSON_IsArray(ts) || n < 1 || n >= TFLC_MAX_DIMS) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'target_shape' must be a list of 1..7 sizes");
    int32_t d[TFLC_MAX_DIMS];
    d[0] = kir_t(c, in[0])->dims[0]; /* the batch, or batch x time inside TimeDistributed */
    size_t total = tflc_ir_numel(kir_t(c, in[0])), known = (size_t)d[0];
    int unknown = -1;
    for (int i = 0; i < n; i++) {
        const cJSON *e = cJSON_GetArrayItem(ts, i);
        /* -1 (or null, as TensorFlow.js writes it) is the inferred dimension. */
        bool infer = cJSON_IsNull(e) || (cJSON_IsNumber(e) && e->valuedouble == -1);
        if (!infer && (!cJSON_IsNumber(e) || e->valuedouble < 1 || e->valuedouble > (1 << 30)))
            return kfail(c, TFLC_STATUS_INVALID_MODEL, "'target_shape' entry %d is invalid", i);
        if (infer) {
            if (unknown >= 0) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'target_shape' has two -1 entries");
            unknown = i + 1;
            d[i + 1] = 1;
        } else {
            d[i + 1] = (int32_t)e->valuedouble;
            known *= (size_t)d[i + 1];
        }
    }
    if (unknown >= 0) {
        if (known == 0 || total % known) return kfail(c, TFLC_STATUS_INVALID_MODEL, "cannot infer the -1 dimension");
        d[unknown] = (int32_t)(total / known);
    }
    return done(c, kir_reshape(c, in[0], n + 1, d, "/Reshape"), out, nout);
}

enum tflc_status tflc_klayer_permute(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    int r = kir_t(c, in[0])->rank;
    int32_t p[TFLC_MAX_DIMS];
    p[0] = 0;
    if ((st = kcfg_ints(c, "dims", r - 1, NULL, 1, r - 1, p + 1))) return st;
    bool seen[TFLC_MAX_DIMS] = {false};
    for (int i = 1; i < r; i++) {
        if (seen[p[i]]) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'dims' is not a permutation");
        seen[p[i]] = true;
    }
    return done(c, kir_transpose(c, in[0], p, "/transpose"), out, nout);
}

enum tflc_status tflc_klayer_repeat_vector(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    int64_t n;
    if ((st = kcfg_int(c, "n", -1, 1, 1 << 16, &n))) return st;
    if (n < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "'n' is missing");
    const struct tflc_ir_tensor *x = kir_t(c, in[0]);
    if (x->rank != 2) return kfail(c, TFLC_STATUS_INVALID_MODEL, "input must have rank 2");
    if (n > KL_MAX_IO * 16) return kfail(c, TFLC_STATUS_UNSUPPORTED, "n = %lld is too large", (long long)n);
    /* PACK n copies along axis 1: [1, k] -> [1, n, k]. */
    int32_t *ins = malloc(sizeof *ins * (size_t)n);
    if (!ins) return kfail(c, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    for (int64_t i = 0; i < n; i++) ins[i] = in[0];
    int32_t d[3] = {x->dims[0], (int32_t)n, x->dims[1]};
    int32_t y = kir_tensor(c, "/repeat", x->dtype, 3, d);
    int32_t k = y >= 0 ? kir_node(c, OP(PACK), ins, (int)n, &y, 1) : -1;
    free(ins);
    if (k < 0) return TFLC_STATUS_OUT_OF_MEMORY;
    tflc_ir_opt_int(c->g, k, "values_count", n);
    tflc_ir_opt_int(c->g, k, "axis", 1);
    return done(c, y, out, nout);
}

/* Merge layers: a chain of binary ops over the inputs. */
static enum tflc_status merge(struct tflc_klower *c, const int32_t *in, int nin, int32_t op, int min_in, int max_in,
                              int32_t *out, int *nout) {
    if (nin < min_in || nin > max_in) return kfail(c, TFLC_STATUS_INVALID_MODEL, "called on %d inputs", nin);
    int32_t y = in[0];
    for (int i = 1; i < nin && y >= 0; i++) y = kir_binary(c, op, y, in[i], i + 1 == nin ? "" : "/partial");
    return done(c, y, out, nout);
}

enum tflc_status tflc_klayer_add(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return merge(c, in, nin, OP(ADD), 2, KL_MAX_IO, out, nout);
}
enum tflc_status tflc_klayer_subtract(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return merge(c, in, nin, OP(SUB), 2, 2, out, nout);
}
enum tflc_status tflc_klayer_multiply(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return merge(c, in, nin, OP(MUL), 2, KL_MAX_IO, out, nout);
}
enum tflc_status tflc_klayer_maximum(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return merge(c, in, nin, OP(MAXIMUM), 2, KL_MAX_IO, out, nout);
}
enum tflc_status tflc_klayer_minimum(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    return merge(c, in, nin, OP(MINIMUM), 2, KL_MAX_IO, out, nout);
}

enum tflc_status tflc_klayer_average(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = merge(c, in, nin, OP(ADD), 2, KL_MAX_IO, out, nout);
    if (st) return st;
    float s = 1.0f / (float)nin;
    int32_t k = kir_const_f32(c, "/scale", 0, NULL, &s);
    return done(c, k < 0 ? -1 : kir_binary(c, OP(MUL), out[0], k, "/mean"), out, nout);
}

enum tflc_status tflc_klayer_concatenate(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    if (nin < 1) return kfail(c, TFLC_STATUS_INVALID_MODEL, "called on no inputs");
    int64_t axis;
    enum tflc_status st = kcfg_int(c, "axis", -1, -8, 7, &axis);
    if (st) return st;
    const struct tflc_ir_tensor *a = kir_t(c, in[0]);
    int r = a->rank;
    if (axis < 0) axis += r;
    if (axis < 0 || axis >= r) return kfail(c, TFLC_STATUS_INVALID_MODEL, "axis out of range");
    int32_t d[TFLC_MAX_DIMS];
    memcpy(d, a->dims, sizeof d);
    d[axis] = 0;
    for (int i = 0; i < nin; i++) {
        const struct tflc_ir_tensor *t = kir_t(c, in[i]);
        if (t->rank != r) return kfail(c, TFLC_STATUS_INVALID_MODEL, "inputs have different ranks");
        for (int k = 0; k < r; k++)
            if (k != axis && t->dims[k] != a->dims[k]) return kfail(c, TFLC_STATUS_INVALID_MODEL, "inputs differ outside the axis");
        d[axis] += t->dims[axis];
    }
    int32_t y = kir_tensor(c, "/concat", a->dtype, r, d);
    int32_t k = y >= 0 ? kir_node(c, OP(CONCATENATION), in, nin, &y, 1) : -1;
    if (k < 0) return TFLC_STATUS_OUT_OF_MEMORY;
    tflc_ir_opt_int(c->g, k, "axis", axis);
    return done(c, y, out, nout);
}

enum tflc_status tflc_klayer_rescaling(struct tflc_klower *c, const int32_t *in, int nin, int32_t *out, int *nout) {
    enum tflc_status st = one_in(c, nin);
    if (st) return st;
    double scale, offset;
    if ((st = kcfg_num(c, "scale", 1.0, &scale)) || (st = kcfg_num(c, "offset", 0.0, &offset)))
        return kfail(c, TFLC_STATUS_UNSUPPORTED, "only scalar scale and offset are supported");
    float s = (float)scale, o = (float)offset;
    int32_t y = in[0];
    if (s != 1.0f) {
        int32_t k = kir_const_f32(c, "/scale", 0, NULL, &s);
        y = k < 0 ? -1 : kir_binary(c, OP(MUL), y, k, "/mul");
    }
    if (o != 0.0f && y >= 0) {
        int32_t k = kir_const_f32(c, "/offset", 0, NULL, &o);
        y = k < 0 ? -1 : kir_binary(c, OP(ADD), y, k, "/add");
    }
    if (y == in[0]) y = kir_reshape(c, y, kir_t(c, y)->rank, kir_t(c, y)->dims, "/identity");
    return done(c, y, out, nout);
}
