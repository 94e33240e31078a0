/* Quantization rewrites of the IR graph (see quant.h).
 *
 * Every rewrite rebuilds the node list in order, inserting QUANTIZE / DEQUANTIZE nodes right
 * before the node that needs them, so the graph stays topologically ordered. Constants are
 * never changed in place: a quantized copy is made for the op that reads it (export shares
 * identical buffers again). Tensor ids of float tensors that become quantized are kept, so
 * the report can pair float and quantized values. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/fp16.h"
#include "format/tflite_schema.h"
#include "quant/quant.h"

#define OP(x) TFLC_TFL_BUILTIN_OPERATOR_##x

/* ---- node-list rebuilding ---- */

struct rb {
    struct tflc_ir_graph *g;
    struct tflc_ir_node *nodes;
    int32_t n, cap;
    struct tflc_diag *diag;
    bool oom;
};

static struct tflc_ir_node *rb_push(struct rb *r, const struct tflc_ir_node *src) {
    if (r->n == r->cap) {
        int32_t nc = r->cap ? r->cap * 2 : 256;
        struct tflc_ir_node *nn = tflc_arena_array(&r->g->arena, (size_t)nc, sizeof *nn, "operators");
        if (!nn) { r->oom = true; return NULL; }
        if (r->n) memcpy(nn, r->nodes, sizeof *nn * (size_t)r->n);
        r->nodes = nn;
        r->cap = nc;
    }
    r->nodes[r->n] = *src;
    return &r->nodes[r->n++];
}

/* A one-input one-output node (QUANTIZE, DEQUANTIZE). */
static bool rb_unary(struct rb *r, int32_t op, const char *name, int32_t in, int32_t out) {
    struct tflc_ir_node n;
    memset(&n, 0, sizeof n);
    n.op = op;
    n.name = name;
    n.in = tflc_arena_memdup(&r->g->arena, &in, sizeof in, "operator inputs");
    n.out = tflc_arena_memdup(&r->g->arena, &out, sizeof out, "operator outputs");
    if (!n.in || !n.out) { r->oom = true; return false; }
    n.nin = n.nout = 1;
    return rb_push(r, &n) != NULL;
}

static void rb_finish(struct rb *r) {
    r->g->n = r->nodes;
    r->g->nn = r->n;
    r->g->cn = r->cap;
    tflc_ir_refresh(r->g);
}

/* New tensor like `t` with another dtype (and name suffix). */
static int32_t clone_tensor(struct tflc_ir_graph *g, int32_t t, enum tflc_dtype dt, const char *suffix) {
    char nm[512];
    snprintf(nm, sizeof nm, "%s%s", g->t[t].name, suffix);
    int32_t id = tflc_ir_tensor(g, nm, dt, g->t[t].rank, g->t[t].dims);
    if (id >= 0) g->t[id].dynamic_batch = g->t[t].dynamic_batch;
    return id;
}

static bool set_q(struct tflc_ir_graph *g, int32_t t, int32_t count, const float *scales, const int64_t *zps, int32_t axis) {
    struct tflc_ir_quant *q = &g->t[t].q;
    q->count = count;
    q->scale = tflc_arena_memdup(&g->arena, scales, sizeof *scales * (size_t)count, "scales");
    q->zero_point = tflc_arena_array(&g->arena, (size_t)count, sizeof *q->zero_point, "zero points");
    if (!q->scale || !q->zero_point) return false;
    for (int32_t i = 0; i < count; i++) q->zero_point[i] = zps ? zps[i] : 0;
    q->axis = axis;
    return true;
}

static bool set_q1(struct tflc_ir_graph *g, int32_t t, float scale, int64_t zp) { return set_q(g, t, 1, &scale, &zp, 0); }

static bool is_float_const(const struct tflc_ir_graph *g, int32_t t) {
    return t >= 0 && g->t[t].data && g->t[t].dtype == TFLC_DTYPE_FLOAT32;
}

/* ---- float16 ---- */

enum tflc_status tflc_quant_float16(struct tflc_ir_graph *g, struct tflc_diag *diag) {
    struct rb r = {g, NULL, 0, 0, diag, false};
    int32_t nn = g->nn, nt = g->nt;
    int32_t *dq = malloc(sizeof *dq * (size_t)(nt ? nt : 1));
    if (!dq) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    for (int32_t i = 0; i < nt; i++) dq[i] = -1;
    for (int32_t k = 0; k < nn; k++) {
        struct tflc_ir_node n = g->n[k];
        if (n.dead) continue;
        int32_t *in = tflc_arena_memdup(&g->arena, n.in, sizeof *n.in * (size_t)(n.nin ? n.nin : 1), "operator inputs");
        if (!in) { r.oom = true; break; }
        for (int i = 0; i < n.nin; i++) {
            int32_t t = in[i];
            if (!is_float_const(g, t)) continue;
            if (dq[t] < 0) {
                /* float16 copy of the constant, and a DEQUANTIZE back to float32. */
                size_t cnt = tflc_ir_numel(&g->t[t]);
                uint16_t *h = malloc(sizeof *h * (cnt ? cnt : 1));
                if (!h) { r.oom = true; break; }
                const float *f = g->t[t].data;
                for (size_t e = 0; e < cnt; e++) h[e] = tflc_f32_to_f16(f[e]);
                char nm[512];
                snprintf(nm, sizeof nm, "%s/fp16", g->t[t].name);
                int32_t c16 = tflc_ir_const(g, nm, TFLC_DTYPE_FLOAT16, g->t[t].rank, g->t[t].dims, h);
                free(h);
                int32_t deq = c16 < 0 ? -1 : clone_tensor(g, t, TFLC_DTYPE_FLOAT32, "/dequantize");
                if (deq < 0) { r.oom = true; break; }
                g->t[deq].dynamic_batch = false;
                if (!rb_unary(&r, OP(DEQUANTIZE), n.name, c16, deq)) break;
                dq[t] = deq;
            }
            in[i] = dq[t];
        }
        if (r.oom) break;
        n.in = in;
        if (!rb_push(&r, &n)) break;
    }
    free(dq);
    if (r.oom) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory quantizing to float16");
    rb_finish(&r);
    return TFLC_STATUS_OK;
}

/* ---- dynamic range ---- */

/* Weight input and per-channel axis of ops with hybrid kernels; -2 = no hybrid kernel. */
static int hybrid_axis(const struct tflc_ir_node *n, bool per_channel_fc, int *input) {
    *input = 1;
    switch (n->op) {
    case OP(CONV_2D): return 0;
    case OP(DEPTHWISE_CONV_2D): return 3;
    case OP(FULLY_CONNECTED): return per_channel_fc ? 0 : -1;
    default: return -2;
    }
}

/* Replaces float constant input wi of node k by its symmetric int8 quantization: per channel
 * along `axis`, or per tensor (axis -1). */
static enum tflc_status quantize_weight_input(struct tflc_ir_graph *g, int32_t k, int wi, int axis,
                                              struct tflc_diag *diag) {
    struct tflc_ir_node *n = &g->n[k];
    const struct tflc_ir_tensor *wt = &g->t[n->in[wi]];
    size_t cnt = tflc_ir_numel(wt);
    int32_t C = axis >= 0 ? wt->dims[axis] : 1;
    int8_t *q = malloc(cnt ? cnt : 1);
    float *sc = malloc(sizeof *sc * (size_t)C);
    if (!q || !sc) { free(q); free(sc); return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); }
    tflc_quant_weights_sym(wt->data, wt->dims, wt->rank, axis, q, sc);
    char nm[512];
    snprintf(nm, sizeof nm, "%s", wt->name);
    int32_t qw = tflc_ir_const(g, nm, TFLC_DTYPE_INT8, wt->rank, wt->dims, q);
    free(q);
    bool ok = qw >= 0 && set_q(g, qw, C, sc, NULL, axis >= 0 ? axis : 0);
    free(sc);
    if (!ok) return tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory");
    n = &g->n[k];
    int32_t *in = tflc_arena_memdup(&g->arena, n->in, sizeof *n->in * (size_t)n->nin, "operator inputs");
    if (!in) return TFLC_STATUS_OUT_OF_MEMORY;
    in[wi] = qw;
    n->in = in;
    return TFLC_STATUS_OK;
}

/* UNIDIRECTIONAL_SEQUENCE_LSTM's weight inputs: input-to-gate 1..4, recurrent 5..8,
 * peephole 9..11, projection 16. TFLite's hybrid LSTM kernel needs every present one in
 * int8 (per-tensor scales), so the op is quantized all or nothing. */
static const int lstm_weight_inputs[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16};
#define LSTM_NWEIGHTS ((int)(sizeof lstm_weight_inputs / sizeof lstm_weight_inputs[0]))

static enum tflc_status quantize_lstm(struct tflc_ir_graph *g, int32_t k, struct tflc_diag *diag) {
    const struct tflc_ir_node *n = &g->n[k];
    size_t total = 0;
    for (int i = 0; i < LSTM_NWEIGHTS; i++) {
        int wi = lstm_weight_inputs[i];
        if (wi >= n->nin || n->in[wi] < 0) continue;
        if (!is_float_const(g, n->in[wi])) return TFLC_STATUS_OK; /* computed weights: keep float */
        total += tflc_ir_numel(&g->t[n->in[wi]]);
    }
    if (total < 1024) return TFLC_STATUS_OK; /* small layers stay float, as other small weights */
    for (int i = 0; i < LSTM_NWEIGHTS; i++) {
        int wi = lstm_weight_inputs[i];
        if (wi >= g->n[k].nin || g->n[k].in[wi] < 0) continue;
        enum tflc_status st = quantize_weight_input(g, k, wi, -1, diag);
        if (st) return st;
    }
    return TFLC_STATUS_OK;
}

enum tflc_status tflc_quant_dynamic(struct tflc_ir_graph *g, const struct tflc_convert_options *o, struct tflc_diag *diag) {
    for (int32_t k = 0; k < g->nn; k++) {
        struct tflc_ir_node *n = &g->n[k];
        if (n->dead) continue;
        if (n->in && n->nin > 0 && (n->in[0] < 0 || g->t[n->in[0]].dtype != TFLC_DTYPE_FLOAT32)) continue;
        enum tflc_status st;
        if (n->op == OP(UNIDIRECTIONAL_SEQUENCE_LSTM)) {
            if ((st = quantize_lstm(g, k, diag))) return st;
            continue;
        }
        int wi, axis = hybrid_axis(n, o->per_channel_fc, &wi);
        if (axis == -2 || wi >= n->nin || !is_float_const(g, n->in[wi])) continue;
        if (tflc_ir_numel(&g->t[n->in[wi]]) < 1024) continue; /* small weights stay float, as Google's converter does */
        if ((st = quantize_weight_input(g, k, wi, axis, diag))) return st;
        /* Only fully connected has the option among these (hybrid per-channel conv always
         * quantizes its input asymmetrically in TFLite). */
        if (o->asymmetric_inputs && g->n[k].op == OP(FULLY_CONNECTED))
            tflc_ir_opt_bool(g, k, "asymmetric_quantize_inputs", true);
    }
    return TFLC_STATUS_OK;
}

/* ---- full integer ---- */

/* QK_SAME: output takes input data_in's params (pooling, reshape...); QK_SHARED: output gets
 * its calibrated params and every data input is requantized to them (MAXIMUM / MINIMUM,
 * whose int8 kernels compare raw values: a min can go below its first input's range;
 * CONCATENATION, whose int8 / int16 kernels copy bytes and require equal params). */
enum qkind { QK_FALLBACK, QK_WEIGHTED, QK_FREE, QK_SAME, QK_SHARED, QK_FIXED, QK_INT };

struct qrule {
    int32_t op;
    enum qkind kind;
    int data_in;        /* activation input index (TRANSPOSE_CONV: 2) */
    int weight_axis;    /* QK_WEIGHTED: per-channel axis of input 1, -1 = per tensor */
    bool int16;         /* has an int16x8 kernel */
    float s8_scale;     /* QK_FIXED outputs */
    int32_t s8_zp;
};

static const struct qrule rules[] = {
    {OP(CONV_2D), QK_WEIGHTED, 0, 0, true, 0, 0},
    {OP(DEPTHWISE_CONV_2D), QK_WEIGHTED, 0, 3, true, 0, 0},
    {OP(FULLY_CONNECTED), QK_WEIGHTED, 0, -1, true, 0, 0},
    {OP(TRANSPOSE_CONV), QK_WEIGHTED, 2, 0, true, 0, 0},
    {OP(ADD), QK_FREE, 0, 0, true, 0, 0},
    {OP(SUB), QK_FREE, 0, 0, true, 0, 0},
    {OP(MUL), QK_FREE, 0, 0, true, 0, 0},
    {OP(SQUARED_DIFFERENCE), QK_FREE, 0, 0, false, 0, 0},
    {OP(BATCH_MATMUL), QK_FREE, 0, 0, true, 0, 0},
    {OP(CONCATENATION), QK_SHARED, 0, 0, true, 0, 0},
    {OP(MEAN), QK_FREE, 0, 0, true, 0, 0},
    {OP(SUM), QK_FREE, 0, 0, true, 0, 0},
    {OP(RELU), QK_FREE, 0, 0, true, 0, 0},
    {OP(RELU6), QK_FREE, 0, 0, true, 0, 0},
    {OP(RELU_N1_TO_1), QK_FREE, 0, 0, false, 0, 0},
    {OP(LEAKY_RELU), QK_FREE, 0, 0, true, 0, 0},
    {OP(PRELU), QK_FREE, 0, 0, false, 0, 0},
    {OP(ELU), QK_FREE, 0, 0, false, 0, 0},
    {OP(HARD_SWISH), QK_FREE, 0, 0, false, 0, 0},
    {OP(GELU), QK_FREE, 0, 0, false, 0, 0},
    {OP(ABS), QK_FREE, 0, 0, true, 0, 0},
    {OP(RSQRT), QK_FREE, 0, 0, false, 0, 0},
    {OP(MAX_POOL_2D), QK_SAME, 0, 0, true, 0, 0},
    {OP(AVERAGE_POOL_2D), QK_SAME, 0, 0, true, 0, 0},
    {OP(RESHAPE), QK_SAME, 0, 0, true, 0, 0},
    {OP(SQUEEZE), QK_SAME, 0, 0, true, 0, 0},
    {OP(EXPAND_DIMS), QK_SAME, 0, 0, true, 0, 0},
    {OP(TRANSPOSE), QK_SAME, 0, 0, true, 0, 0},
    {OP(PAD), QK_SAME, 0, 0, true, 0, 0},
    {OP(SLICE), QK_SAME, 0, 0, true, 0, 0},
    {OP(STRIDED_SLICE), QK_SAME, 0, 0, true, 0, 0},
    {OP(GATHER), QK_SAME, 0, 0, true, 0, 0},
    {OP(SPLIT), QK_SAME, 1, 0, true, 0, 0},
    {OP(PACK), QK_SAME, 0, 0, true, 0, 0},
    {OP(UNPACK), QK_SAME, 0, 0, true, 0, 0},
    {OP(RESIZE_NEAREST_NEIGHBOR), QK_SAME, 0, 0, true, 0, 0},
    {OP(RESIZE_BILINEAR), QK_SAME, 0, 0, true, 0, 0},
    {OP(DEPTH_TO_SPACE), QK_SAME, 0, 0, false, 0, 0},
    {OP(SPACE_TO_DEPTH), QK_SAME, 0, 0, false, 0, 0},
    {OP(MAXIMUM), QK_SHARED, 0, 0, true, 0, 0},
    {OP(MINIMUM), QK_SHARED, 0, 0, true, 0, 0},
    {OP(REDUCE_MAX), QK_SAME, 0, 0, true, 0, 0},
    {OP(SOFTMAX), QK_FIXED, 0, 0, true, 1.0f / 256.0f, -128},
    {OP(LOGISTIC), QK_FIXED, 0, 0, true, 1.0f / 256.0f, -128},
    {OP(TANH), QK_FIXED, 0, 0, true, 1.0f / 128.0f, 0},
    {OP(LOG_SOFTMAX), QK_FIXED, 0, 0, false, 16.0f / 256.0f, 127},
    {OP(L2_NORMALIZATION), QK_FIXED, 0, 0, false, 1.0f / 128.0f, 0},
    {OP(SHAPE), QK_INT, 0, 0, true, 0, 0},
    {OP(CAST), QK_INT, 0, 0, true, 0, 0},
};

static const struct qrule *rule_of(int32_t op) {
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].op == op) return &rules[i];
    return NULL;
}

struct fq {
    struct rb r;
    struct tflc_ir_graph *g;
    const struct tflc_convert_options *o;
    const struct tflc_qrange *ranges;
    bool s16;                 /* int16x8 */
    enum tflc_dtype adt;      /* activation dtype */
    int32_t qmin, qmax;
    int32_t *qof;             /* float tensor -> its quantized tensor (QUANTIZE inserted) */
    int32_t *dqof;            /* quantized tensor -> its float tensor (DEQUANTIZE inserted) */
    int32_t nt0;
    const char *name;         /* current node's name */
    bool *saturating;         /* per float tensor: read only by TANH / LOGISTIC */
    const struct tflc_quant_gptq_plan *plan; /* GPTQ-rounded weights (NULL: round to nearest) */
    int32_t node;             /* current node's index in the float graph */
    int ngptq;                /* layers rounded with GPTQ */
};

static bool is_q(const struct fq *f, int32_t t) { return t >= 0 && f->g->t[t].dtype == f->adt && f->g->t[t].q.count; }

/* Tensors read only by TANH or LOGISTIC (and not graph outputs) get their range clipped to
 * +-8: those functions are flat beyond it, so no result changes, and the resolution stays
 * where they bend (a pre-tanh range of [-300, 4] would otherwise leave ~1 step for the whole
 * curve). Marks them in sat[] in one pass over the graph. */
static bool mark_saturating(const struct tflc_ir_graph *g, bool *sat) {
    int32_t *readers = calloc((size_t)(g->nt > 0 ? g->nt : 1), sizeof *readers);
    if (!readers) return false;
    for (int32_t i = 0; i < g->nt; i++) sat[i] = true;
    for (int32_t k = 0; k < g->nn; k++) {
        const struct tflc_ir_node *n = &g->n[k];
        if (n->dead) continue;
        for (int i = 0; i < n->nin; i++) {
            int32_t t = n->in[i];
            if (t < 0) continue;
            readers[t]++;
            if (n->op != OP(TANH) && n->op != OP(LOGISTIC)) sat[t] = false;
        }
    }
    for (int32_t i = 0; i < g->nt; i++) sat[i] = sat[i] && readers[i] > 0 && !g->t[i].data && !tflc_ir_is_output(g, i);
    free(readers);
    return true;
}

/* Activation params of float tensor t from its calibrated range. */
static bool act_params(struct fq *f, int32_t t, float *scale, int32_t *zp) {
    struct tflc_qrange r = t < f->nt0 ? f->ranges[t] : (struct tflc_qrange){0, 0, false, 0, NULL};
    if (!r.seen) r.min = r.max = 0;
    if (r.seen && t < f->nt0 && f->saturating && f->saturating[t]) {
        if (r.min < -8) r.min = -8;
        if (r.max > 8) r.max = 8;
    }
    if (f->s16) { tflc_quant_choose_sym(r.min, r.max, 32767, scale); *zp = 0; }
    else tflc_quant_choose_asym(r.min, r.max, f->qmin, f->qmax, scale, zp);
    return r.seen;
}

/* The quantized version of tensor t (quantizing in place when its producer is being rewritten
 * now, else through a QUANTIZE node, or a quantized copy for constants). */
static int32_t get_q(struct fq *f, int32_t t) {
    struct tflc_ir_graph *g = f->g;
    if (t < 0) return t;
    if (t < f->nt0 && f->qof[t] >= 0) return f->qof[t]; /* e.g. a uint8 input's int8 twin */
    if (is_q(f, t) || g->t[t].dtype != TFLC_DTYPE_FLOAT32) return t;
    float s;
    int32_t z;
    if (g->t[t].data) {
        /* A float constant used as an activation operand: its own range. */
        const float *v = g->t[t].data;
        float mn = 0, mx = 0;
        for (size_t i = 0, n = tflc_ir_numel(&g->t[t]); i < n; i++) { if (v[i] < mn) mn = v[i]; if (v[i] > mx) mx = v[i]; }
        if (f->s16) { tflc_quant_choose_sym(mn, mx, 32767, &s); z = 0; }
        else tflc_quant_choose_asym(mn, mx, f->qmin, f->qmax, &s, &z);
        size_t n = tflc_ir_numel(&g->t[t]), es = f->s16 ? 2 : 1;
        void *q = malloc(n * es + 1);
        if (!q) return -1;
        for (size_t i = 0; i < n; i++) {
            float r = roundf(v[i] / s) + (float)z;
            r = r < (float)f->qmin ? (float)f->qmin : r > (float)f->qmax ? (float)f->qmax : r;
            if (f->s16) ((int16_t *)q)[i] = (int16_t)r; else ((int8_t *)q)[i] = (int8_t)r;
        }
        int32_t c = tflc_ir_const(g, g->t[t].name, f->adt, g->t[t].rank, g->t[t].dims, q);
        free(q);
        if (c < 0 || !set_q1(g, c, s, z)) return -1;
        if (t < f->nt0) f->qof[t] = c;
        return c;
    }
    act_params(f, t, &s, &z);
    int32_t qt = clone_tensor(g, t, f->adt, "/quantized");
    if (qt < 0 || !set_q1(g, qt, s, z) || !rb_unary(&f->r, OP(QUANTIZE), f->name, t, qt)) return -1;
    if (t < f->nt0) f->qof[t] = qt;
    return qt;
}

/* The float version of a quantized activation (DEQUANTIZE inserted once). */
static int32_t get_dq(struct fq *f, int32_t t) {
    if (!is_q(f, t) || f->g->t[t].data) return t;
    if (t < f->nt0 && f->dqof[t] >= 0) return f->dqof[t];
    int32_t d = clone_tensor(f->g, t, TFLC_DTYPE_FLOAT32, "/dequantized");
    if (d < 0 || !rb_unary(&f->r, OP(DEQUANTIZE), f->name, t, d)) return -1;
    if (t < f->nt0) f->dqof[t] = d;
    return d;
}

/* Re-quantizes quantized tensor t to (scale, zp) when its params differ (QUANTIZE q->q). */
static int32_t requant(struct fq *f, int32_t t, float scale, int64_t zp) {
    const struct tflc_ir_quant *q = &f->g->t[t].q;
    if (q->count == 1 && q->scale[0] == scale && q->zero_point[0] == zp) return t;
    int32_t r = clone_tensor(f->g, t, f->adt, "/requantized");
    if (r < 0 || !set_q1(f->g, r, scale, zp) || !rb_unary(&f->r, OP(QUANTIZE), f->name, t, r)) return -1;
    return r;
}

/* Makes activation output t quantized with (scale, zp). */
static bool out_q(struct fq *f, int32_t t, float scale, int64_t zp) {
    if (t < 0) return true;
    f->g->t[t].dtype = f->adt;
    return set_q1(f->g, t, scale, zp);
}

static bool in_float_layers(const struct fq *f, const char *name) {
    for (int i = 0; i < f->o->nfloat_layers; i++) {
        const char *l = f->o->float_layers[i];
        size_t n = strlen(l);
        /* A layer's ops are named after it ("conv1" and "conv1/..." for helpers). */
        if (name && !strncmp(name, l, n) && (name[n] == 0 || name[n] == '/')) return true;
    }
    return false;
}

/* TFLite's int8 / int16 CONCATENATION requires every input to have the output's params. As
 * Google's converter does, the output's range becomes the union of its inputs', and an input
 * read only by the concatenation and made by an op that picks its own output params (conv,
 * add...) takes that range too, so no requantizing op is needed; other inputs get a QUANTIZE.
 * Returns a modified copy of `ranges` (NULL when out of memory: the caller keeps `ranges`). */
static struct tflc_qrange *share_concat_ranges(const struct tflc_ir_graph *g, const struct tflc_qrange *ranges) {
    struct tflc_qrange *rg = malloc(sizeof *rg * (size_t)(g->nt ? g->nt : 1));
    int32_t *readers = calloc((size_t)(g->nt ? g->nt : 1), sizeof *readers);
    if (!rg || !readers) { free(rg); free(readers); return NULL; }
    memcpy(rg, ranges, sizeof *rg * (size_t)g->nt);
    for (int32_t k = 0; k < g->nn; k++)
        if (!g->n[k].dead)
            for (int i = 0; i < g->n[k].nin; i++)
                if (g->n[k].in[i] >= 0) readers[g->n[k].in[i]]++;
    for (int32_t k = 0; k < g->nn; k++) {
        const struct tflc_ir_node *n = &g->n[k];
        if (n->dead || n->op != OP(CONCATENATION) || n->nout < 1 || n->out[0] < 0) continue;
        struct tflc_qrange *o = &rg[n->out[0]];
        for (int i = 0; i < n->nin; i++) {
            int32_t t = n->in[i];
            if (t < 0 || !rg[t].seen) continue;
            if (!o->seen) { *o = rg[t]; continue; }
            if (rg[t].min < o->min) o->min = rg[t].min;
            if (rg[t].max > o->max) o->max = rg[t].max;
        }
        if (!o->seen) continue;
        for (int i = 0; i < n->nin; i++) {
            int32_t t = n->in[i];
            if (t < 0 || g->t[t].data || readers[t] != 1 || tflc_ir_is_output(g, t)) continue;
            int32_t p = g->t[t].producer;
            if (p < 0 || p >= g->nn) continue;
            const struct qrule *pr = rule_of(g->n[p].op);
            if (pr && (pr->kind == QK_WEIGHTED || pr->kind == QK_FREE)) rg[t] = *o;
        }
    }
    free(readers);
    return rg;
}

/* Mean input seen by each tap (kh, kw, i) of a 2-D convolution: P[(kh * KW + kw) * I + i]. */
static double *tap_means(const struct tflc_ir_graph *g, const struct tflc_ir_node *n, int32_t xf, const float *M, int32_t KH,
                         int32_t KW, int32_t I) {
    struct tflc_quant_conv_geom c;
    if (!tflc_quant_conv_geom_of(g, n, xf, KH, KW, I, &c)) return NULL;
    const int32_t H = c.H, W = c.W, OH = c.OH, OW = c.OW;
    const int64_t sh = c.sh, sw = c.sw, dh = c.dh, dw = c.dw, pt = c.pt, pl = c.pl;
    double *P = calloc((size_t)KH * (size_t)KW * (size_t)I, sizeof *P);
    if (!P) return NULL;
    for (int32_t kh = 0; kh < KH; kh++)
        for (int32_t kw = 0; kw < KW; kw++) {
            double *p = P + ((size_t)kh * (size_t)KW + (size_t)kw) * (size_t)I;
            for (int32_t oh = 0; oh < OH; oh++) {
                int64_t ih = oh * sh + kh * dh - pt;
                if (ih < 0 || ih >= H) continue;
                for (int32_t ow = 0; ow < OW; ow++) {
                    int64_t iw = ow * sw + kw * dw - pl;
                    if (iw < 0 || iw >= W) continue;
                    const float *m = M + ((size_t)ih * (size_t)W + (size_t)iw) * (size_t)I;
                    for (int32_t i = 0; i < I; i++) p[i] += m[i];
                }
            }
            for (int32_t i = 0; i < I; i++) p[i] /= (double)OH * (double)OW;
        }
    return P;
}

/* Bias correction: the expected output error of the rounded weights, (W_q - W) E[x], per
 * output channel, from the calibrated element-wise means of the float input, so it subtracts
 * from the bias. Convolutions average each kernel tap's input over the output positions
 * (zero where the tap falls in the padding). Returns NULL when not applicable. */
static double *bias_correction(const struct fq *f, const struct tflc_ir_node *n, int32_t xf, const struct tflc_ir_tensor *wt,
                               const int8_t *q, const float *sc, int axis) {
    if (xf < 0 || xf >= f->nt0 || !f->ranges[xf].mean || wt->rank < 2) return NULL;
    const struct tflc_ir_graph *g = f->g;
    const float *M = f->ranges[xf].mean, *w = wt->data;
    size_t cnt = tflc_ir_numel(wt), NM = (size_t)f->ranges[xf].nmean;
    double *d = NULL, *P = NULL;
    if (n->op == OP(CONV_2D) && wt->rank == 4) {
        int32_t O = wt->dims[0], KH = wt->dims[1], KW = wt->dims[2], I = wt->dims[3];
        if (!(P = tap_means(g, n, xf, M, KH, KW, I)) || !(d = calloc((size_t)O, sizeof *d))) goto out;
        size_t per_o = (size_t)KH * (size_t)KW * (size_t)I;
        for (size_t k = 0; k < cnt; k++) {
            int32_t o = (int32_t)(k / per_o);
            d[o] += ((double)q[k] * sc[axis >= 0 ? o : 0] - w[k]) * P[k % per_o];
        }
    } else if (n->op == OP(DEPTHWISE_CONV_2D) && wt->rank == 4 && g->t[xf].rank == 4) {
        int32_t KH = wt->dims[1], KW = wt->dims[2], O = wt->dims[3], I = g->t[xf].dims[3];
        if (I < 1 || O % I || !(P = tap_means(g, n, xf, M, KH, KW, I)) || !(d = calloc((size_t)O, sizeof *d))) goto out;
        for (size_t k = 0; k < cnt; k++) {
            int32_t o = (int32_t)(k % (size_t)O);
            size_t tap = k / (size_t)O;
            d[o] += ((double)q[k] * sc[axis >= 0 ? o : 0] - w[k]) * P[tap * (size_t)I + (size_t)(o / (O / I))];
        }
    } else if (n->op == OP(FULLY_CONNECTED) && wt->rank == 2) {
        int32_t O = wt->dims[0], I = wt->dims[1];
        if (I < 1 || NM % (size_t)I || !(P = calloc((size_t)I, sizeof *P)) || !(d = calloc((size_t)O, sizeof *d))) goto out;
        for (size_t e = 0; e < NM; e++) P[e % (size_t)I] += M[e];
        for (int32_t i = 0; i < I; i++) P[i] /= (double)(NM / (size_t)I);
        for (size_t k = 0; k < cnt; k++) {
            int32_t o = (int32_t)(k / (size_t)I);
            d[o] += ((double)q[k] * sc[axis >= 0 ? o : 0] - w[k]) * P[k % (size_t)I];
        }
    }
out:
    free(P);
    return d;
}

static int32_t plan_rows(const struct tflc_ir_node *n, const struct tflc_ir_tensor *wt) {
    return n->op == OP(DEPTHWISE_CONV_2D) ? wt->dims[3] : wt->dims[0];
}

int tflc_quant_weight_axis(const struct tflc_ir_node *n, const struct tflc_convert_options *o) {
    const struct qrule *rl = rule_of(n->op);
    int axis = rl ? rl->weight_axis : -1;
    /* Fully connected: per output channel with --per-channel, and by default in int16x8
     * (--per-tensor-dense: never). Weights with BatchNorm folded in vary per row; a per-tensor
     * scale loses ~9 dB there (mlc_ad01), but each channel's scale and zero point cost 12
     * bytes per tensor (weights and bias), +14% on mlc_ad01: int8 stays per-tensor, as
     * Google's converter did until 2024 (its files are the size reference). */
    if (n->op == OP(FULLY_CONNECTED) && !o->per_tensor_fc && (o->per_channel_fc || o->quant == TFLC_QUANT_INT16X8)) axis = 0;
    return axis;
}

static bool quantize_weighted(struct fq *f, struct tflc_ir_node *n, const struct qrule *rl, int32_t *in) {
    struct tflc_ir_graph *g = f->g;
    int xi = rl->data_in;
    int32_t xf = in[xi]; /* the float input, for its calibrated channel means */
    in[xi] = get_q(f, in[xi]);
    if (in[xi] < 0) return false;
    float sx = g->t[in[xi]].q.scale[0];
    int32_t w = in[1];
    const struct tflc_ir_tensor *wt = &g->t[w];
    size_t cnt = tflc_ir_numel(wt);
    int axis = tflc_quant_weight_axis(n, f->o);
    int32_t C = axis >= 0 ? wt->dims[axis] : 1;
    int8_t *q = malloc(cnt + 1);
    float *sc = malloc(sizeof *sc * (size_t)C);
    if (!q || !sc) { free(q); free(sc); return false; }
    tflc_quant_weights_sym(wt->data, wt->dims, wt->rank, axis, q, sc);
    /* GPTQ: its weights and scales, and its bias shift in place of the bias correction. */
    const struct tflc_quant_gptq_layer *gl = tflc_quant_gptq_plan_find(f->plan, f->node, w);
    double *corr = NULL;
    if (gl && gl->axis == axis) {
        memcpy(q, gl->q, cnt);
        for (int32_t c = 0; c < C; c++) sc[c] = gl->scales[c];
        f->ngptq++;
        if (!f->o->no_bias_correction && (corr = malloc(sizeof *corr * (size_t)plan_rows(n, wt))))
            for (int32_t c = 0; c < plan_rows(n, wt); c++) corr[c] = -gl->bias_delta[c];
    } else {
        corr = f->o->no_bias_correction ? NULL : bias_correction(f, n, xf, wt, q, sc, axis);
    }
    char nm[512];
    snprintf(nm, sizeof nm, "%s", wt->name);
    int32_t qw = tflc_ir_const(g, nm, TFLC_DTYPE_INT8, g->t[w].rank, g->t[w].dims, q);
    free(q);
    bool ok = qw >= 0 && set_q(g, qw, C, sc, NULL, axis >= 0 ? axis : 0);
    in[1] = qw;
    /* Bias: int32 (int64 for 16x8 unless --bias-int32) with scale s_x * s_w[c]. */
    int bi = n->op == OP(TRANSPOSE_CONV) ? 3 : 2;
    if (ok && bi < n->nin && in[bi] >= 0 && is_float_const(g, in[bi])) {
        int32_t b = in[bi];
        int32_t nb = (int32_t)tflc_ir_numel(&g->t[b]);
        bool b64 = f->s16 && !f->o->bias_int32;
        void *qb = malloc((size_t)nb * (b64 ? 8 : 4) + 1);
        float *bs = malloc(sizeof *bs * (size_t)nb);
        if (!qb || !bs) { free(qb); free(bs); free(corr); free(sc); return false; }
        const float *bv = g->t[b].data;
        for (int32_t c = 0; c < nb; c++) {
            bs[c] = sx * sc[C == 1 ? 0 : c];
            double bc = (double)bv[c] - (corr ? corr[c] : 0.0);
            double v = bs[c] > 0 ? round(bc / (double)bs[c]) : 0;
            if (b64) ((int64_t *)qb)[c] = (int64_t)v;
            else ((int32_t *)qb)[c] = (int32_t)(v > 2147483647.0 ? 2147483647.0 : v < -2147483648.0 ? -2147483648.0 : v);
        }
        int32_t qbt = tflc_ir_const(g, g->t[b].name, b64 ? TFLC_DTYPE_INT64 : TFLC_DTYPE_INT32, 1, &nb, qb);
        free(qb);
        ok = qbt >= 0 && set_q(g, qbt, C == 1 ? 1 : nb, bs, NULL, 0);
        free(bs);
        in[bi] = qbt;
    }
    free(sc);
    free(corr);
    return ok;
}

enum tflc_status tflc_quant_full(struct tflc_ir_graph *g, const struct tflc_convert_options *o, const struct tflc_qrange *ranges,
                                 const struct tflc_quant_gptq_plan *plan, int *ngptq, int *nfallback, char *fallback, size_t fallback_size, struct tflc_diag *diag) {
    struct fq f;
    memset(&f, 0, sizeof f);
    f.r = (struct rb){g, NULL, 0, 0, diag, false};
    f.g = g;
    f.o = o;
    f.plan = plan;
    struct tflc_qrange *rg = share_concat_ranges(g, ranges);
    f.ranges = rg ? rg : ranges;
    f.s16 = o->quant == TFLC_QUANT_INT16X8;
    f.adt = f.s16 ? TFLC_DTYPE_INT16 : TFLC_DTYPE_INT8;
    f.qmin = f.s16 ? -32768 : -128;
    f.qmax = f.s16 ? 32767 : 127;
    f.nt0 = g->nt;
    f.qof = malloc(sizeof *f.qof * (size_t)(g->nt ? g->nt : 1));
    f.dqof = malloc(sizeof *f.dqof * (size_t)(g->nt ? g->nt : 1));
    enum tflc_status st = TFLC_STATUS_OK;
    size_t flen = 0;
    *nfallback = 0;
    if (fallback_size) fallback[0] = 0;
    if (!f.qof || !f.dqof) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); goto out; }
    for (int32_t i = 0; i < g->nt; i++) f.qof[i] = f.dqof[i] = -1;
    f.saturating = calloc((size_t)(g->nt > 0 ? g->nt : 1), sizeof *f.saturating);
    if (!f.saturating || !mark_saturating(g, f.saturating)) { st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory"); goto out; }

    /* Graph inputs with an integer input type become quantized tensors themselves. */
    bool uint8_in = o->input_type == TFLC_DTYPE_UINT8;
    for (int32_t i = 0; i < g->ninputs; i++) {
        int32_t t = g->inputs[i];
        if (g->t[t].dtype != TFLC_DTYPE_FLOAT32 || o->input_type == TFLC_DTYPE_FLOAT32) continue;
        float s;
        int32_t z;
        act_params(&f, t, &s, &z);
        f.name = "input";
        if (uint8_in) {
            /* uint8 input -> QUANTIZE -> int8 (zero point shifted by 128), as Google does. */
            int32_t q8 = clone_tensor(g, t, TFLC_DTYPE_INT8, "/int8");
            if (q8 < 0 || !set_q1(g, q8, s, z) || !rb_unary(&f.r, OP(QUANTIZE), "input", t, q8)) { st = TFLC_STATUS_OUT_OF_MEMORY; goto out; }
            g->t[t].dtype = TFLC_DTYPE_UINT8;
            if (!set_q1(g, t, s, z + 128)) { st = TFLC_STATUS_OUT_OF_MEMORY; goto out; }
            f.qof[t] = q8;
        } else {
            if (!out_q(&f, t, s, z)) { st = TFLC_STATUS_OUT_OF_MEMORY; goto out; }
        }
    }

    int32_t nn = g->nn;
    for (int32_t k = 0; k < nn && st == TFLC_STATUS_OK; k++) {
        struct tflc_ir_node n = g->n[k];
        if (n.dead) continue;
        f.name = n.name;
        f.node = k;
        int32_t *in = tflc_arena_memdup(&g->arena, n.in, sizeof *n.in * (size_t)(n.nin ? n.nin : 1), "operator inputs");
        if (!in) { st = TFLC_STATUS_OUT_OF_MEMORY; break; }
        const struct qrule *rl = rule_of(n.op);
        bool float_out = false;
        for (int i = 0; i < n.nout; i++) float_out = float_out || (n.out[i] >= 0 && g->t[n.out[i]].dtype == TFLC_DTYPE_FLOAT32);
        bool fallback_op = !rl || (f.s16 && !rl->int16) || in_float_layers(&f, n.name);
        if (rl && rl->kind == QK_WEIGHTED && (n.nin < 2 || !is_float_const(g, in[1]))) fallback_op = true;
        if (!float_out && (!rl || rl->kind != QK_INT)) fallback_op = true; /* already integer: leave it */
        if (rl && rl->kind == QK_INT) {
            /* Integer-valued ops (SHAPE, CAST to int) read float inputs as they are. */
            n.in = in;
            if (!rb_push(&f.r, &n)) st = TFLC_STATUS_OUT_OF_MEMORY;
            continue;
        }
        if (fallback_op && float_out) {
            if (o->int8_only && !in_float_layers(&f, n.name)) {
                st = tflc_diag_set(diag, TFLC_STATUS_UNSUPPORTED, "layer '%s': %s has no %s kernel (--int8-only)", n.name,
                                   tflc_tfl_enum_name(TFLC_TFL_E_BUILTIN_OPERATOR, n.op), f.s16 ? "int16x8" : "int8");
                break;
            }
            for (int i = 0; i < n.nin; i++) in[i] = get_dq(&f, in[i]);
            const char *opn = tflc_tfl_enum_name(TFLC_TFL_E_BUILTIN_OPERATOR, n.op);
            if (!strstr(fallback, opn) && flen + strlen(opn) + 3 < fallback_size) {
                flen += (size_t)snprintf(fallback + flen, fallback_size - flen, "%s%s", flen ? ", " : "", opn);
            }
            (*nfallback)++;
        } else if (!fallback_op) {
            bool ok = true;
            float s;
            int32_t z;
            switch (rl->kind) {
            case QK_WEIGHTED:
                ok = quantize_weighted(&f, &n, rl, in);
                act_params(&f, n.out[0], &s, &z);
                ok = ok && out_q(&f, n.out[0], s, z);
                break;
            case QK_FREE:
                for (int i = 0; i < n.nin && ok; i++) {
                    /* Shape-like integer inputs (MEAN axes...) stay as they are. */
                    if (in[i] >= 0 && g->t[in[i]].dtype == TFLC_DTYPE_FLOAT32) ok = (in[i] = get_q(&f, in[i])) >= 0;
                }
                for (int i = 0; i < n.nout && ok; i++) {
                    act_params(&f, n.out[i], &s, &z);
                    ok = out_q(&f, n.out[i], s, z);
                }
                break;
            case QK_SAME: {
                int di = rl->data_in;
                ok = (in[di] = get_q(&f, in[di])) >= 0;
                if (!ok) break;
                s = g->t[in[di]].q.scale[0];
                z = (int32_t)g->t[in[di]].q.zero_point[0];
                for (int i = 0; i < n.nin && ok; i++) {
                    if (i == di || in[i] < 0 || (g->t[in[i]].dtype != TFLC_DTYPE_FLOAT32 && !is_q(&f, in[i]))) continue;
                    if (n.op == OP(PAD) || n.op == OP(RESHAPE) || n.op == OP(GATHER)) continue;
                    /* other data inputs (PACK, MAXIMUM...) must share the params */
                    int32_t q = get_q(&f, in[i]);
                    ok = q >= 0 && (in[i] = requant(&f, q, s, z)) >= 0;
                }
                for (int i = 0; i < n.nout && ok; i++) ok = out_q(&f, n.out[i], s, z);
                break;
            }
            case QK_SHARED:
                act_params(&f, n.out[0], &s, &z);
                for (int i = 0; i < n.nin && ok; i++) {
                    if (in[i] < 0 || (g->t[in[i]].dtype != TFLC_DTYPE_FLOAT32 && !is_q(&f, in[i]))) continue;
                    int32_t q = get_q(&f, in[i]);
                    ok = q >= 0 && (in[i] = requant(&f, q, s, z)) >= 0;
                }
                ok = ok && out_q(&f, n.out[0], s, z);
                break;
            case QK_FIXED:
                ok = (in[0] = get_q(&f, in[0])) >= 0;
                /* TFLite's int16 LOGISTIC / TANH kernels take input scale 2^-12 (Q3.12: the
                 * functions are saturated beyond +-8 anyway), so requantize into it. */
                if (ok && f.s16 && (n.op == OP(LOGISTIC) || n.op == OP(TANH))) ok = (in[0] = requant(&f, in[0], 1.0f / 4096.0f, 0)) >= 0;
                if (f.s16) { s = 1.0f / 32768.0f; z = 0; }
                else { s = rl->s8_scale; z = rl->s8_zp; }
                ok = ok && out_q(&f, n.out[0], s, z);
                break;
            default:
                break;
            }
            if (!ok) { st = diag && diag->status ? diag->status : TFLC_STATUS_OUT_OF_MEMORY; break; }
        }
        n.in = in;
        if (!fallback_op && rl && f.s16 && (n.op == OP(ADD) || n.op == OP(SUB)) && !tflc_ir_opt_get(&n, "pot_scale_int16") &&
            n.nopts < TFLC_IR_MAX_OPTS) {
            /* int16 ADD/SUB with general (not power-of-two) scales, as Google's converter writes. */
            n.opts[n.nopts++] = (struct tflc_ir_opt){"pot_scale_int16", TFLC_IR_OPT_BOOL, 0, 0, NULL, 0};
        }
        if (!rb_push(&f.r, &n)) { st = TFLC_STATUS_OUT_OF_MEMORY; break; }
    }
    if (st == TFLC_STATUS_OK && f.r.oom) st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory while quantizing");
    if (st) goto out;
    /* Graph outputs. */
    f.name = "output";
    for (int32_t i = 0; i < g->noutputs; i++) {
        int32_t t = g->outputs[i];
        if (!is_q(&f, t)) {
            if (g->t[t].dtype == TFLC_DTYPE_FLOAT32 && o->output_type != TFLC_DTYPE_FLOAT32) {
                int32_t q = get_q(&f, t);
                if (q < 0) { st = TFLC_STATUS_OUT_OF_MEMORY; break; }
                t = q;
            } else {
                continue;
            }
        }
        if (o->output_type == TFLC_DTYPE_FLOAT32) {
            int32_t d = get_dq(&f, t);
            if (d < 0) { st = TFLC_STATUS_OUT_OF_MEMORY; break; }
            g->outputs[i] = d;
        } else if (o->output_type == TFLC_DTYPE_UINT8) {
            int32_t u = clone_tensor(g, t, TFLC_DTYPE_UINT8, "/uint8");
            const struct tflc_ir_quant *q = &g->t[t].q;
            if (u < 0 || !set_q1(g, u, q->scale[0], q->zero_point[0] + 128) || !rb_unary(&f.r, OP(QUANTIZE), "output", t, u)) {
                st = TFLC_STATUS_OUT_OF_MEMORY;
                break;
            }
            g->outputs[i] = u;
        } else {
            g->outputs[i] = t;
        }
    }
    if (st == TFLC_STATUS_OK && f.r.oom) st = tflc_diag_set(diag, TFLC_STATUS_OUT_OF_MEMORY, "out of memory while quantizing");
    if (st == TFLC_STATUS_OK) rb_finish(&f.r);
    if (ngptq) *ngptq = f.ngptq;
out:
    free(rg);
    free(f.qof);
    free(f.dqof);
    free(f.saturating);
    return st;
}
