/* Constant folding: an op all of whose inputs are constants becomes constant outputs, computed
 * here in float32 as TFLite's reference kernels do (ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM with
 * broadcasting, FULLY_CONNECTED, RESHAPE, SPLIT, RELU, RELU6, RELU_N1_TO_1, NEG, ABS; fused
 * RELU / RELU6 / RELU_N1_TO_1). A product with an all-zero constant is an all-zero constant too
 * when the other factor is finite by construction (a LOGISTIC / TANH / RELU6 / RELU_N1_TO_1
 * result, or sums and products of such values and finite constants).
 * Where constants meet ops in Keras models: an unrolled RNN's zero initial state (the first
 * step's recurrent FULLY_CONNECTED, an LSTM's forget-gate product with the zero cell).
 * Graph outputs are never replaced by constants. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "format/tflite_schema.h"
#include "ir/pass.h"

#define OP(x)  TFLC_TFL_BUILTIN_OPERATOR_##x
#define ACT(x) TFLC_TFL_ACTIVATION_FUNCTION_TYPE_##x

static bool is_const(const struct tflc_ir_graph *g, int32_t t) {
    return t >= 0 && g->t[t].data && !g->t[t].is_variable;
}

static bool all_zero(const struct tflc_ir_graph *g, int32_t t) {
    if (!is_const(g, t) || g->t[t].dtype != TFLC_DTYPE_FLOAT32) return false;
    const float *v = g->t[t].data;
    for (size_t i = 0, n = tflc_ir_numel(&g->t[t]); i < n; i++)
        if (v[i] != 0.0f) return false;
    return true;
}

/* Applies a fused activation code; false for codes not folded here. */
static bool act_range(int64_t code, float *lo, float *hi) {
    *lo = -INFINITY;
    *hi = INFINITY;
    switch (code) {
    case ACT(NONE):
        return true;
    case ACT(RELU):
        *lo = 0;
        return true;
    case ACT(RELU6):
        *lo = 0;
        *hi = 6;
        return true;
    case ACT(RELU_N1_TO_1):
        *lo = -1;
        *hi = 1;
        return true;
    default:
        return false;
    }
}

static float clampf(float v, float lo, float hi) { return v < lo ? lo : v > hi ? hi : v; }

/* Offset of output element `i` (row-major over dims[r]) in an input of rank ri, aligned right
 * and broadcast where the input's dim is 1. */
static size_t bcast_offset(size_t i, const int32_t *dims, int r, const int32_t *idims, int ri) {
    size_t off = 0, stride = 1;
    for (int d = r - 1; d >= 0; d--) {
        size_t c = i % (size_t)dims[d];
        i /= (size_t)dims[d];
        int e = d - (r - ri);
        if (e < 0) continue;
        if (idims[e] != 1) off += c * stride;
        stride *= (size_t)idims[e];
    }
    return off;
}

static float binary(int32_t op, float a, float b) {
    switch (op) {
    case OP(ADD):
        return a + b;
    case OP(SUB):
        return a - b;
    case OP(MUL):
        return a * b;
    case OP(DIV):
        return a / b;
    case OP(MAXIMUM):
        return a > b ? a : b;
    default:
        return a < b ? a : b; /* MINIMUM */
    }
}

/* Computes the float32 outputs of node k into out[i] (malloc'd); false when not foldable. */
static bool evaluate(const struct tflc_ir_graph *g, const struct tflc_ir_node *n, float **out) {
    float lo, hi;
    const struct tflc_ir_opt *fa = tflc_ir_opt_get(n, "fused_activation_function");
    if (!act_range(fa ? fa->i : 0, &lo, &hi)) return false;
    const struct tflc_ir_tensor *y = &g->t[n->out[0]];
    size_t ny = tflc_ir_numel(y);
    switch (n->op) {
    case OP(ADD):
    case OP(SUB):
    case OP(MUL):
    case OP(DIV):
    case OP(MAXIMUM):
    case OP(MINIMUM): {
        if (n->nin != 2 || n->nout != 1) return false;
        const struct tflc_ir_tensor *a = &g->t[n->in[0]], *b = &g->t[n->in[1]];
        if (a->dtype != TFLC_DTYPE_FLOAT32 || b->dtype != TFLC_DTYPE_FLOAT32) return false;
        float *v = malloc(sizeof *v * (ny ? ny : 1));
        if (!v) return false;
        const float *av = a->data, *bv = b->data;
        for (size_t i = 0; i < ny; i++)
            v[i] = clampf(binary(n->op, av[bcast_offset(i, y->dims, y->rank, a->dims, a->rank)],
                                 bv[bcast_offset(i, y->dims, y->rank, b->dims, b->rank)]),
                          lo, hi);
        out[0] = v;
        return true;
    }
    case OP(FULLY_CONNECTED): {
        if (n->nin < 2 || n->nout != 1) return false;
        const struct tflc_ir_tensor *x = &g->t[n->in[0]], *w = &g->t[n->in[1]];
        const struct tflc_ir_tensor *b = n->nin > 2 && n->in[2] >= 0 ? &g->t[n->in[2]] : NULL;
        if (x->dtype != TFLC_DTYPE_FLOAT32 || w->dtype != TFLC_DTYPE_FLOAT32 || (b && b->dtype != TFLC_DTYPE_FLOAT32) ||
            w->rank != 2 || w->q.count || x->q.count)
            return false;
        size_t N = (size_t)w->dims[0], K = (size_t)w->dims[1], rows = K ? tflc_ir_numel(x) / K : 0;
        if (rows * N != ny) return false;
        float *v = malloc(sizeof *v * (ny ? ny : 1));
        if (!v) return false;
        const float *xv = x->data, *wv = w->data, *bv = b ? b->data : NULL;
        for (size_t r = 0; r < rows; r++)
            for (size_t o = 0; o < N; o++) {
                float acc = 0;
                for (size_t i = 0; i < K; i++) acc += xv[r * K + i] * wv[o * K + i];
                v[r * N + o] = clampf(acc + (bv ? bv[o] : 0.0f), lo, hi);
            }
        out[0] = v;
        return true;
    }
    case OP(RESHAPE):
    case OP(RELU):
    case OP(RELU6):
    case OP(RELU_N1_TO_1):
    case OP(NEG):
    case OP(ABS): {
        const struct tflc_ir_tensor *x = &g->t[n->in[0]];
        if (n->nout != 1 || x->dtype != TFLC_DTYPE_FLOAT32 || tflc_ir_numel(x) != ny) return false;
        float *v = malloc(sizeof *v * (ny ? ny : 1));
        if (!v) return false;
        const float *xv = x->data;
        for (size_t i = 0; i < ny; i++) {
            float e = xv[i];
            switch (n->op) {
            case OP(RELU):
                e = e < 0 ? 0 : e;
                break;
            case OP(RELU6):
                e = clampf(e, 0, 6);
                break;
            case OP(RELU_N1_TO_1):
                e = clampf(e, -1, 1);
                break;
            case OP(NEG):
                e = -e;
                break;
            case OP(ABS):
                e = fabsf(e);
                break;
            default:
                break;
            }
            v[i] = e;
        }
        out[0] = v;
        return true;
    }
    case OP(SPLIT): {
        if (n->nin != 2) return false;
        const struct tflc_ir_tensor *ax = &g->t[n->in[0]], *x = &g->t[n->in[1]];
        if (ax->dtype != TFLC_DTYPE_INT32 || tflc_ir_numel(ax) != 1 || x->dtype != TFLC_DTYPE_FLOAT32) return false;
        int32_t axis = *(const int32_t *)ax->data;
        if (axis < 0) axis += x->rank;
        if (axis < 0 || axis >= x->rank || x->dims[axis] % n->nout) return false;
        size_t outer = 1, inner = 1, part = (size_t)(x->dims[axis] / n->nout);
        for (int d = 0; d < axis; d++) outer *= (size_t)x->dims[d];
        for (int d = axis + 1; d < x->rank; d++) inner *= (size_t)x->dims[d];
        const float *xv = x->data;
        for (int k = 0; k < n->nout; k++) {
            float *v = malloc(sizeof *v * (outer * part * inner + 1));
            if (!v) {
                for (int j = 0; j < k; j++) free(out[j]);
                return false;
            }
            for (size_t o = 0; o < outer; o++)
                memcpy(v + o * part * inner, xv + (o * (size_t)x->dims[axis] + (size_t)k * part) * inner,
                       sizeof *v * part * inner);
            out[k] = v;
        }
        return true;
    }
    default:
        return false;
    }
}

/* Every value of t is finite by construction (see the file comment); depth-limited. */
static bool finite_tensor(const struct tflc_ir_graph *g, int32_t t, int depth) {
    if (t < 0 || depth > 8) return false;
    if (is_const(g, t)) {
        if (g->t[t].dtype != TFLC_DTYPE_FLOAT32) return false;
        const float *v = g->t[t].data;
        for (size_t i = 0, n = tflc_ir_numel(&g->t[t]); i < n; i++)
            if (!isfinite(v[i])) return false;
        return true;
    }
    int32_t p = g->t[t].producer;
    if (p < 0 || g->n[p].dead) return false;
    const struct tflc_ir_node *n = &g->n[p];
    const struct tflc_ir_opt *fa = tflc_ir_opt_get(n, "fused_activation_function");
    if (fa && (fa->i == ACT(RELU6) || fa->i == ACT(RELU_N1_TO_1))) return true;
    switch (n->op) {
    case OP(LOGISTIC):
    case OP(TANH):
    case OP(RELU6):
    case OP(RELU_N1_TO_1):
        return true;
    case OP(ADD):
    case OP(SUB):
    case OP(MUL):
        return n->nin == 2 && finite_tensor(g, n->in[0], depth + 1) && finite_tensor(g, n->in[1], depth + 1);
    case OP(SPLIT):
        return n->nin == 2 && finite_tensor(g, n->in[1], depth + 1);
    default:
        return false;
    }
}

/* Makes the outputs of node k constants holding vals[i] (taken over: copied, then freed). */
static bool make_const(struct tflc_ir_graph *g, int32_t k, float **vals) {
    struct tflc_ir_node *n = &g->n[k];
    bool ok = true;
    for (int i = 0; i < n->nout; i++) {
        struct tflc_ir_tensor *t = &g->t[n->out[i]];
        size_t bytes = sizeof(float) * tflc_ir_numel(t);
        if (ok) {
            t->data = tflc_arena_memdup(&g->arena, vals[i], bytes ? bytes : 1, t->name);
            t->bytes = bytes;
            t->producer = -1;
            t->dynamic_batch = false;
            ok = t->data != NULL;
        }
        free(vals[i]);
    }
    n->dead = ok;
    return ok;
}

int tflc_pass_const_fold(struct tflc_ir_graph *g) {
    int folded = 0;
    tflc_ir_refresh(g);
    for (int32_t k = 0; k < g->nn; k++) {
        struct tflc_ir_node *n = &g->n[k];
        if (n->dead || n->nout < 1 || n->nout > 64) continue;
        bool outs_ok = true;
        for (int i = 0; i < n->nout && outs_ok; i++)
            outs_ok = n->out[i] >= 0 && !tflc_ir_is_output(g, n->out[i]) &&
                      g->t[n->out[i]].dtype == TFLC_DTYPE_FLOAT32 && !g->t[n->out[i]].is_variable;
        if (!outs_ok) continue;
        bool consts = n->nin > 0;
        for (int i = 0; i < n->nin && consts; i++) consts = n->in[i] < 0 || is_const(g, n->in[i]);
        float *vals[64];
        if (consts && evaluate(g, n, vals)) {
            if (!make_const(g, k, vals)) return -1;
            folded++;
            continue;
        }
        /* x * 0 = 0 for finite x (no fused activation changes 0 except RELU_N1_TO_1 / RELU6 / RELU,
         * which all keep it). */
        if (n->op == OP(MUL) && n->nin == 2 && n->nout == 1) {
            int z = all_zero(g, n->in[0]) ? 0 : all_zero(g, n->in[1]) ? 1 : -1;
            if (z < 0 || !finite_tensor(g, n->in[1 - z], 0)) continue;
            size_t ny = tflc_ir_numel(&g->t[n->out[0]]);
            vals[0] = calloc(ny ? ny : 1, sizeof(float));
            if (!vals[0] || !make_const(g, k, vals)) return -1;
            folded++;
        }
    }
    return folded;
}
