/* UNIDIRECTIONAL_SEQUENCE_LSTM: an LSTM layer run over a sequence, TFLite's lstm_eval:
 *   i = sigmoid(Wi x + Ri h + pi .* c + bi)        (absent with CIFG: i = 1 - f)
 *   f = sigmoid(Wf x + Rf h + pf .* c + bf)
 *   g = act(Wc x + Rc h + bc)
 *   c = clip(f .* c + i .* g, cell_clip)
 *   o = sigmoid(Wo x + Ro h + po .* c_new + bo)
 *   h = clip(Wp (o .* act(c)) + bp, proj_clip)     (h = o .* act(c) without projection)
 * with optional layer norm (normalize the gate pre-activation, scale by its coefficients,
 * then add the bias). Input [batch, time, in] ([time, batch, in] with time_major); output
 * [.., .., n_output]; h (input 18) and c (input 19) are variable tensors kept across invokes.
 * Types, as TFLite's kernel:
 *  - float32 everywhere;
 *  - hybrid: float activations, int8 weights (real = scale * q): x, h and the projection
 *    input are quantized per batch row at run time (symmetric, or asymmetric with
 *    asymmetric_quantize_inputs) and multiplied in int32, then scaled back to float;
 *  - full integer (EvalInteger8x8_16): int8 x/h/weights, int32 biases, int16 cell state with a
 *    power-of-two scale 2^cell_scale, int16 peephole and layer-norm weights. Gates are int16
 *    Q3.12 (or the scale of intermediates 0..3 with layer norm), sigmoid/tanh in gemmlowp
 *    fixed point, h = o .* tanh(c) rescaled to int8 with intermediate 4's scale.
 * prepare precomputes: for int8, every effective multiplier exactly as TFLite's
 * PopulateQuantizedLstmParams8x8_16 (float math, then QuantizeMultiplier) and the biases with
 * the zero points folded in (bias - zp * row sums); for hybrid, the weight row sums.
 * TFLite quirks kept on purpose (the oracle has them): activation NONE leaves the cell-gate
 * buffer as is, so h = o .* g; the int8 peephole loops over n_output elements. */
#include "kernels/ref/lstm_util.h"

enum {
    IN_X = 0,
    IN_W = 1,     /* 1..4: input-to-{input, forget, cell, output} weights */
    IN_R = 5,     /* 5..8: recurrent-to-{input, forget, cell, output} weights */
    IN_PEEP = 9,  /* 9..11: cell-to-{input, forget, output} (peephole) weights */
    IN_BIAS = 12, /* 12..15: {input, forget, cell, output} gate biases */
    IN_PROJ_W = 16,
    IN_PROJ_B = 17,
    IN_H = 18,  /* output state (variable) */
    IN_C = 19,  /* cell state (variable) */
    IN_LN = 20, /* 20..23: layer-norm coefficients */
};
enum { G_I, G_F, G_C, G_O, NGATES };
enum lstm_kind { K_F32, K_HYBRID, K_S8 };

static const char *const gate_name[NGATES] = {"input", "forget", "cell", "output"};

struct gate_q { /* full-integer parameters of one gate */
    int32_t in_mult, rec_mult, peep_mult, ln_mult;
    int in_shift, rec_shift, peep_shift, ln_shift;
    int32_t variance_guard;      /* layer norm: variance used when it rounds to 0 */
    int32_t *in_bias, *rec_bias; /* effective biases (arena), n_cell each */
};

struct lstm_scratch { /* byte offsets into node->scratch */
    size_t gate[NGATES], qx, qh, qhid, sf_x, sf_h, sf_tmp, zp_x, zp_h, peep, cell_act, hid, total;
};

struct lstm_data {
    enum lstm_kind kind;
    int n_batch, max_time, n_input, n_cell, n_output;
    bool time_major, cifg, peephole, layer_norm, projection, asymmetric;
    int act; /* cell/output activation (float, hybrid) */
    float cell_clip, proj_clip;
    struct lstm_scratch s;
    /* hybrid */
    float w_scale[NGATES], r_scale[NGATES], p_scale[NGATES], proj_scale;
    int32_t *w_rows[NGATES], *r_rows[NGATES], *proj_rows; /* row sums (asymmetric only) */
    /* full integer */
    struct gate_q q[NGATES];
    int32_t hidden_mult, hidden_zp, proj_mult, out_zp;
    int hidden_shift, proj_shift, cell_scale;
    int32_t *proj_bias; /* effective projection bias (arena) */
    int16_t cell_clip_q;
    int8_t proj_clip_q;
};

/* Tensor data of one invoke (eval keeps node->data read-only). */
struct lstm_view {
    const void *w[NGATES], *r[NGATES], *peep[NGATES], *bias[NGATES], *ln[NGATES], *proj_w, *proj_b;
    uint8_t *scratch;
};

static int peep_index(int g) { return g == G_I ? IN_PEEP : g == G_F ? IN_PEEP + 1 : g == G_O ? IN_PEEP + 2 : -1; }

static const void *data_or_null(const struct tflc_op_ctx *c, int i) {
    const struct tflc_tensor *t = i >= 0 ? tflc_op_in(c, i) : NULL;
    return t ? t->data : NULL;
}

static struct lstm_view make_view(const struct tflc_op_ctx *c, const struct lstm_data *d) {
    struct lstm_view v;
    memset(&v, 0, sizeof v);
    for (int g = 0; g < NGATES; g++) {
        v.w[g] = data_or_null(c, IN_W + g);
        v.r[g] = data_or_null(c, IN_R + g);
        v.peep[g] = d->peephole ? data_or_null(c, peep_index(g)) : NULL;
        v.bias[g] = data_or_null(c, IN_BIAS + g);
        v.ln[g] = d->layer_norm ? data_or_null(c, IN_LN + g) : NULL;
    }
    v.proj_w = data_or_null(c, IN_PROJ_W);
    v.proj_b = data_or_null(c, IN_PROJ_B);
    v.scratch = c->node->scratch;
    return v;
}

#define SCR(v, d, field, T) ((T *)(void *)((v)->scratch + (d)->s.field))

/* ---------------------------------------------------------------- float ---- */

/* Eight interleaved partial sums (k mod 8), added pairwise at the end: the compiler keeps them
 * in vector registers, where one running sum was a chain of n dependent additions (TFLite's
 * optimized MatrixBatchVectorMultiplyAccumulate also sums in vector lanes; float results
 * agree with Google's runtime within the float tolerance). */
static float dot_f32(const float *a, const float *b, int n) {
    float p[8] = {0};
    int k = 0;
    for (; k + 8 <= n; k += 8)
        for (int j = 0; j < 8; j++) p[j] += a[k + j] * b[k + j];
    for (int j = 0; k < n; k++, j++) p[j] += a[k] * b[k];
    return ((p[0] + p[4]) + (p[1] + p[5])) + ((p[2] + p[6]) + (p[3] + p[7]));
}

/* TFLite's MeanStddevNormalization followed by coefficient scale and bias. */
static void layer_norm_f32(float *v, const float *coef, const float *bias, int n_cell, int nb) {
    for (int b = 0; b < nb; b++, v += n_cell) {
        float sum = 0.0f, sq = 0.0f;
        for (int i = 0; i < n_cell; i++) sum += v[i];
        const float mean = sum / (float)n_cell;
        for (int i = 0; i < n_cell; i++) sq += (v[i] - mean) * (v[i] - mean);
        const float inv = 1.0f / sqrtf(sq / (float)n_cell + 1e-8f);
        for (int i = 0; i < n_cell; i++) v[i] = (v[i] - mean) * inv * coef[i] + bias[i];
    }
}

static void activate_gate(const struct lstm_data *d, int g, float *gate, int n) {
    if (g != G_C) {
        for (int k = 0; k < n; k++) gate[k] = lstm_sigmoid_f32(gate[k]);
    } else {
        for (int k = 0; k < n; k++) gate[k] = lstm_act_f32(d->act, gate[k]);
    }
}

/* One gate of the float LSTM for nb batch rows: gate = act(W x + R h [+ p .* c] + b). */
static void gate_f32(const struct lstm_data *d, const struct lstm_view *v, int g, const float *x, bool x_zero,
                     const float *h, const float *cell, int nb, float *gate) {
    const int ni = d->n_input, nc = d->n_cell, no = d->n_output;
    const float *w = v->w[g], *r = v->r[g], *p = v->peep[g], *bias = v->bias[g], *ln = v->ln[g];
    for (int b = 0; b < nb; b++) {
        for (int i = 0; i < nc; i++) {
            float acc = ln ? 0.0f : bias[i];
            if (!x_zero) acc = dot_f32(w + (size_t)i * (size_t)ni, x + (size_t)b * (size_t)ni, ni) + acc;
            acc = dot_f32(r + (size_t)i * (size_t)no, h + (size_t)b * (size_t)no, no) + acc;
            if (p && cell) acc += p[i] * cell[(size_t)b * (size_t)nc + (size_t)i];
            gate[(size_t)b * (size_t)nc + (size_t)i] = acc;
        }
    }
    if (ln) layer_norm_f32(gate, ln, bias, nc, nb);
    /* TFLite quirk: with activation NONE and an all-zero input, the cell gate's result stays
     * in a scratch buffer and the gate keeps its initial value (bias, or 0 with layer norm). */
    if (g == G_C && d->act == TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE && x_zero) {
        for (int b = 0; b < nb; b++)
            for (int i = 0; i < nc; i++) gate[(size_t)b * (size_t)nc + (size_t)i] = ln ? 0.0f : bias[i];
        return;
    }
    activate_gate(d, g, gate, nb * nc);
}

/* c = clip(f .* c + g .* (cifg ? 1 - f : i)). */
static void update_cell_f32(const struct lstm_data *d, int n, float *cell, const float *gi, const float *gf,
                            const float *gc) {
    for (int k = 0; k < n; k++) {
        float v = gf[k] * cell[k];
        v += gc[k] * (d->cifg ? 1.0f - gf[k] : gi[k]);
        if (d->cell_clip > 0.0f) v = v > d->cell_clip ? d->cell_clip : v < -d->cell_clip ? -d->cell_clip : v;
        cell[k] = v;
    }
}

static void clip_f32(float *v, size_t n, float clip) {
    if (clip <= 0.0f) return;
    for (size_t k = 0; k < n; k++) v[k] = v[k] > clip ? clip : v[k] < -clip ? -clip : v[k];
}

static void step_f32(const struct lstm_data *d, const struct lstm_view *v, const void *xv, void *hv, void *cv, void *yv,
                     int nb) {
    const int nc = d->n_cell, no = d->n_output;
    const float *x = xv;
    float *h = hv, *cell = cv, *y = yv;
    float *gi = SCR(v, d, gate[G_I], float), *gf = SCR(v, d, gate[G_F], float);
    float *gc = SCR(v, d, gate[G_C], float), *go = SCR(v, d, gate[G_O], float);
    const bool x_zero = lstm_all_zero(x, (size_t)nb * (size_t)d->n_input);
    if (!d->cifg) gate_f32(d, v, G_I, x, x_zero, h, cell, nb, gi);
    gate_f32(d, v, G_F, x, x_zero, h, cell, nb, gf);
    gate_f32(d, v, G_C, x, x_zero, h, NULL, nb, gc);
    update_cell_f32(d, nb * nc, cell, gi, gf, gc);
    gate_f32(d, v, G_O, x, x_zero, h, cell, nb, go);
    /* hidden = o .* act(c), written over the cell gate (NONE keeps the gate: TFLite quirk) */
    for (int k = 0; k < nb * nc; k++) {
        if (d->act != TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE) gc[k] = lstm_act_f32(d->act, cell[k]);
        gc[k] = go[k] * gc[k];
    }
    if (d->projection) {
        const float *pw = v->proj_w, *pb = v->proj_b;
        for (int b = 0; b < nb; b++)
            for (int r = 0; r < no; r++)
                h[(size_t)b * (size_t)no + (size_t)r] =
                    dot_f32(pw + (size_t)r * (size_t)nc, gc + (size_t)b * (size_t)nc, nc) + (pb ? pb[r] : 0.0f);
        clip_f32(h, (size_t)nb * (size_t)no, d->proj_clip);
    } else {
        memcpy(h, gc, sizeof(float) * (size_t)nb * (size_t)no);
    }
    memcpy(y, h, sizeof(float) * (size_t)nb * (size_t)no);
}

/* --------------------------------------------------------------- hybrid ---- */

struct hybrid_in { /* a quantized operand of the gate products */
    const int8_t *q;
    const float *sf;
    const int32_t *zp; /* NULL for symmetric */
    bool zero;         /* all-zero float source: the product is skipped */
};

static void gate_hybrid(const struct lstm_data *d, const struct lstm_view *v, int g, const struct hybrid_in *x,
                        const struct hybrid_in *h, const float *cell, int nb, float *gate) {
    const int ni = d->n_input, nc = d->n_cell, no = d->n_output;
    const float *bias = v->bias[g], *ln = v->ln[g];
    float *sf = SCR(v, d, sf_tmp, float);
    for (int b = 0; b < nb; b++)
        for (int i = 0; i < nc; i++) gate[(size_t)b * (size_t)nc + (size_t)i] = ln ? 0.0f : bias[i];
    if (!x->zero) {
        for (int b = 0; b < nb; b++) sf[b] = x->sf[b] * d->w_scale[g];
        lstm_hybrid_matvec(v->w[g], nc, ni, x->q, sf, x->zp, d->w_rows[g], nb, gate);
    }
    if (!h->zero) {
        for (int b = 0; b < nb; b++) sf[b] = h->sf[b] * d->r_scale[g];
        lstm_hybrid_matvec(v->r[g], nc, no, h->q, sf, h->zp, d->r_rows[g], nb, gate);
    }
    if (v->peep[g] && cell) {
        const int8_t *p = v->peep[g];
        float *rec = SCR(v, d, peep, float);
        for (int i = 0; i < nc; i++) rec[i] = d->p_scale[g] * (float)p[i];
        for (int b = 0; b < nb; b++)
            for (int i = 0; i < nc; i++)
                gate[(size_t)b * (size_t)nc + (size_t)i] += rec[i] * cell[(size_t)b * (size_t)nc + (size_t)i];
    }
    if (ln) layer_norm_f32(gate, ln, bias, nc, nb);
    activate_gate(d, g, gate, nb * nc);
}

static void step_hybrid(const struct lstm_data *d, const struct lstm_view *v, const void *xv, void *hv, void *cv,
                        void *yv, int nb) {
    const int ni = d->n_input, nc = d->n_cell, no = d->n_output;
    const float *x = xv;
    float *h = hv, *cell = cv, *y = yv;
    float *gi = SCR(v, d, gate[G_I], float), *gf = SCR(v, d, gate[G_F], float);
    float *gc = SCR(v, d, gate[G_C], float), *go = SCR(v, d, gate[G_O], float);
    float *sf_x = SCR(v, d, sf_x, float), *sf_h = SCR(v, d, sf_h, float);
    int32_t *zp_x = SCR(v, d, zp_x, int32_t), *zp_h = SCR(v, d, zp_h, int32_t);
    struct hybrid_in qx = {SCR(v, d, qx, int8_t), sf_x, d->asymmetric ? zp_x : NULL,
                           lstm_all_zero(x, (size_t)nb * (size_t)ni)};
    struct hybrid_in qh = {SCR(v, d, qh, int8_t), sf_h, d->asymmetric ? zp_h : NULL,
                           lstm_all_zero(h, (size_t)nb * (size_t)no)};
    if (!qx.zero) lstm_quantize_rows(x, nb, ni, SCR(v, d, qx, int8_t), sf_x, zp_x, d->asymmetric);
    if (!qh.zero) lstm_quantize_rows(h, nb, no, SCR(v, d, qh, int8_t), sf_h, zp_h, d->asymmetric);
    if (!d->cifg) gate_hybrid(d, v, G_I, &qx, &qh, cell, nb, gi);
    gate_hybrid(d, v, G_F, &qx, &qh, cell, nb, gf);
    gate_hybrid(d, v, G_C, &qx, &qh, NULL, nb, gc);
    update_cell_f32(d, nb * nc, cell, gi, gf, gc);
    gate_hybrid(d, v, G_O, &qx, &qh, cell, nb, go);
    for (int k = 0; k < nb * nc; k++) {
        if (d->act != TFLC_TFL_ACTIVATION_FUNCTION_TYPE_NONE) gc[k] = lstm_act_f32(d->act, cell[k]);
        gc[k] = go[k] * gc[k];
    }
    if (d->projection) {
        const float *pb = v->proj_b;
        for (int b = 0; b < nb; b++)
            for (int r = 0; r < no; r++) h[(size_t)b * (size_t)no + (size_t)r] = pb ? pb[r] : 0.0f;
        if (!lstm_all_zero(gc, (size_t)nb * (size_t)nc)) {
            /* the projection input is quantized like x (TFLite reuses x's scale buffers) */
            int8_t *qhid = SCR(v, d, qhid, int8_t);
            lstm_quantize_rows(gc, nb, nc, qhid, sf_x, zp_x, d->asymmetric);
            for (int b = 0; b < nb; b++) sf_x[b] *= d->proj_scale;
            lstm_hybrid_matvec(v->proj_w, no, nc, qhid, sf_x, d->asymmetric ? zp_x : NULL, d->proj_rows, nb, h);
        }
        clip_f32(h, (size_t)nb * (size_t)no, d->proj_clip);
    } else {
        memcpy(h, gc, sizeof(float) * (size_t)nb * (size_t)no);
    }
    memcpy(y, h, sizeof(float) * (size_t)nb * (size_t)no);
}

/* ---------------------------------------------------------- full integer ---- */

/* out[b][r] = sat16(out[b][r] + mbqm(bias[r] + dot(w[r], x[b]))): TFLite's int8 -> int16
 * MatrixBatchVectorMultiplyAccumulate (zero points are folded into bias). */
static void matvec_s16(const int8_t *x, const int32_t *bias, const int8_t *w, int32_t mult, int shift, int nb, int cols,
                       int rows, int16_t *out) {
    for (int b = 0; b < nb; b++) {
        for (int r = 0; r < rows; r++) {
            /* int32 arithmetic that wraps as TFLite's does (a hostile bias may overflow it) */
            int64_t sum = bias[r];
            for (int k = 0; k < cols; k++)
                sum +=
                    (int32_t)x[(size_t)b * (size_t)cols + (size_t)k] * (int32_t)w[(size_t)r * (size_t)cols + (size_t)k];
            int32_t acc = lstm_wrap32((int64_t)tflc_mbqm(lstm_wrap32(sum), mult, shift) +
                                      out[(size_t)b * (size_t)rows + (size_t)r]);
            out[(size_t)b * (size_t)rows + (size_t)r] = lstm_sat16(acc);
        }
    }
}

/* TFLite's integer ApplyLayerNorm: mean/variance in fixed point (x1024), 1/sqrt by
 * Newton-Raphson, then coefficient, bias and the layer-norm scale, result Q3.12. */
static void layer_norm_s16(int16_t *v, const int16_t *coef, const int32_t *bias, int32_t mult, int shift, int32_t guard,
                           int n, int nb) {
    for (int b = 0; b < nb; b++, v += n) {
        int64_t sum = 0, sq = 0;
        for (int j = 0; j < n; j++) {
            sum += v[j];
            sq += (int64_t)((int32_t)v[j] * (int32_t)v[j]);
        }
        const int32_t mean = (int32_t)(sum * 1024 / n);
        const int32_t temp = (1 << 20) / n;
        const int64_t variance = sq * temp - (int64_t)mean * (int64_t)mean;
        int32_t var2 = (int32_t)(variance / (1 << 20));
        if (var2 < 1) var2 = guard;
        int32_t inv_mult;
        int inv_shift;
        lstm_inv_sqrt_multiplier(var2, -1, &inv_mult, &inv_shift);
        for (int j = 0; j < n; j++) {
            const int32_t shifted = lstm_wrap32((int64_t)1024 * v[j] - mean);
            const int32_t rescaled = tflc_mbqm(shifted, inv_mult, inv_shift);
            /* TFLite forms rescaled * coef + bias in int32 (wrapping) before widening */
            const int64_t val3 = lstm_wrap32((int64_t)rescaled * coef[j] + bias[j]);
            const int32_t val4 = (int32_t)((val3 > 0 ? val3 + 512 : val3 - 512) / 1024);
            v[j] = lstm_sat16(tflc_mbqm(val4, mult, shift + 12));
        }
    }
}

static void gate_s8(const struct lstm_data *d, const struct lstm_view *v, int g, const int8_t *x, const int8_t *h,
                    const int16_t *cell, int nb, int16_t *gate) {
    const struct gate_q *q = &d->q[g];
    const int nc = d->n_cell, no = d->n_output;
    memset(gate, 0, sizeof(int16_t) * (size_t)nb * (size_t)nc);
    matvec_s16(x, q->in_bias, v->w[g], q->in_mult, q->in_shift, nb, d->n_input, nc, gate);
    matvec_s16(h, q->rec_bias, v->r[g], q->rec_mult, q->rec_shift, nb, no, nc, gate);
    if (v->peep[g] && cell) {
        /* TFLite walks n_batch x n_output elements here (equal to n_cell without projection) */
        const int16_t *p = v->peep[g];
        for (int b = 0, k = 0; b < nb; b++)
            for (int i = 0; i < no; i++, k++)
                gate[k] = lstm_sat16(
                    tflc_add_sat32(tflc_mbqm((int32_t)p[i] * cell[k], q->peep_mult, q->peep_shift), gate[k]));
    }
    if (v->ln[g]) layer_norm_s16(gate, v->ln[g], v->bias[g], q->ln_mult, q->ln_shift, q->variance_guard, nc, nb);
    for (int k = 0; k < nb * nc; k++) gate[k] = g == G_C ? lstm_tanh16(gate[k], 3) : lstm_logistic16(gate[k], 3);
}

/* Sign with which TFLite's CwiseMul applies the hidden zero point (hidden = v - zp; the
 * projection bias adds zp * row sums back). */
#define LSTM_HIDDEN_ZP_SIGN (-1)

static void step_s8(const struct lstm_data *d, const struct lstm_view *v, const void *xv, void *hv, void *cv, void *yv,
                    int nb) {
    const int nc = d->n_cell, no = d->n_output, n = nb * nc;
    const int8_t *x = xv;
    int8_t *h = hv, *y = yv;
    int16_t *cell = cv;
    int16_t *gi = SCR(v, d, gate[G_I], int16_t), *gf = SCR(v, d, gate[G_F], int16_t);
    int16_t *gc = SCR(v, d, gate[G_C], int16_t), *go = SCR(v, d, gate[G_O], int16_t);
    int16_t *tc = SCR(v, d, cell_act, int16_t);
    int8_t *hid = SCR(v, d, hid, int8_t);
    if (!d->cifg) gate_s8(d, v, G_I, x, h, cell, nb, gi);
    gate_s8(d, v, G_F, x, h, cell, nb, gf);
    gate_s8(d, v, G_C, x, h, NULL, nb, gc);
    /* c = f .* c (Q0.15 x cell, >> 15) + i .* g (Q0.15 x Q0.15 -> cell scale) */
    const int ig_shift = 30 + d->cell_scale;
    for (int k = 0; k < n; k++) {
        int16_t fc = lstm_wrap16(lstm_rdpot((int32_t)gf[k] * cell[k], 15));
        int16_t i = d->cifg ? lstm_wrap16(INT16_MAX - gf[k]) : gi[k];
        int16_t ig = lstm_wrap16(lstm_rdpot((int32_t)i * gc[k], ig_shift));
        int16_t nc_ = lstm_sat16(fc + ig);
        if (d->cell_clip_q > 0)
            nc_ = nc_ > d->cell_clip_q ? d->cell_clip_q : nc_ < -d->cell_clip_q ? (int16_t)-d->cell_clip_q : nc_;
        cell[k] = nc_;
    }
    gate_s8(d, v, G_O, x, h, cell, nb, go);
    /* hidden = o .* tanh(c), rescaled to int8 */
    for (int k = 0; k < n; k++) tc[k] = lstm_tanh16(cell[k], 15 + d->cell_scale);
    for (int k = 0; k < n; k++) {
        int32_t val = tflc_add_sat32(tflc_mbqm((int32_t)go[k] * tc[k], d->hidden_mult, d->hidden_shift),
                                     LSTM_HIDDEN_ZP_SIGN * d->hidden_zp);
        hid[k] = (int8_t)tflc_clamp_i32(val, -128, 127);
    }
    if (d->projection) {
        const int8_t *pw = v->proj_w;
        for (int b = 0; b < nb; b++) {
            for (int r = 0; r < no; r++) {
                int64_t sum = d->proj_bias[r]; /* wraps as int32, as in TFLite */
                for (int k = 0; k < nc; k++)
                    sum += (int32_t)hid[(size_t)b * (size_t)nc + (size_t)k] *
                           (int32_t)pw[(size_t)r * (size_t)nc + (size_t)k];
                int32_t acc = tflc_mbqm(lstm_wrap32(sum), d->proj_mult, d->proj_shift);
                acc = lstm_wrap32((int64_t)acc + d->out_zp);
                acc = tflc_clamp_i32(acc, -128, 127);
                if (d->proj_clip_q > 0) acc = tflc_clamp_i32(acc, -d->proj_clip_q, d->proj_clip_q);
                h[(size_t)b * (size_t)no + (size_t)r] = (int8_t)acc;
            }
        }
    } else {
        memcpy(h, hid, (size_t)nb * (size_t)no);
    }
    memcpy(y, h, (size_t)nb * (size_t)no);
}

/* -------------------------------------------------------------- sequence ---- */

typedef void (*lstm_step_fn)(const struct lstm_data *d, const struct lstm_view *v, const void *x, void *h, void *cell,
                             void *y, int nb);

/* Runs the steps as TFLite does: time-major walks time with the whole batch per step;
 * batch-major runs each batch row through its own sequence. */
static enum tflc_status eval_seq(const struct tflc_op_ctx *c, lstm_step_fn step) {
    const struct lstm_data *d = c->node->data;
    const struct lstm_view v = make_view(c, d);
    const struct tflc_tensor *xt = tflc_op_in(c, IN_X), *ht = tflc_op_in(c, IN_H), *ct = tflc_op_in(c, IN_C);
    struct tflc_tensor *yt = tflc_op_out(c, 0);
    const size_t xs = tflc_dtype_size(xt->dtype), ys = tflc_dtype_size(yt->dtype);
    const size_t hs = tflc_dtype_size(ht->dtype), cs = tflc_dtype_size(ct->dtype);
    const size_t ni = (size_t)d->n_input, no = (size_t)d->n_output, nc = (size_t)d->n_cell, nb = (size_t)d->n_batch;
    const uint8_t *x = xt->data;
    uint8_t *y = yt->data, *h = ht->data, *cell = ct->data;
    if (d->time_major) {
        for (size_t t = 0; t < (size_t)d->max_time; t++)
            step(d, &v, x + t * nb * ni * xs, h, cell, y + t * nb * no * ys, d->n_batch);
    } else {
        for (size_t b = 0; b < nb; b++) {
            for (size_t t = 0; t < (size_t)d->max_time; t++) {
                size_t off = b * (size_t)d->max_time + t;
                step(d, &v, x + off * ni * xs, h + b * no * hs, cell + b * nc * cs, y + off * no * ys, 1);
            }
        }
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status eval_f32(const struct tflc_op_ctx *c) { return eval_seq(c, step_f32); }
static enum tflc_status eval_hybrid(const struct tflc_op_ctx *c) { return eval_seq(c, step_hybrid); }
static enum tflc_status eval_s8(const struct tflc_op_ctx *c) { return eval_seq(c, step_s8); }

/* --------------------------------------------------------------- prepare ---- */

static bool is_quantized(const struct tflc_tensor *t) { return t && t->quant.num_scales > 0; }

/* Checks a present tensor's dtype and shape ([d0] when d1 < 0, else [d0, d1]); `what` and
 * `gate` name it in the message ("recurrent-to-" "forget" " weights"). */
static enum tflc_status check_tensor(const struct tflc_op_ctx *c, int idx, const char *what, const char *gate,
                                     const char *suffix, enum tflc_dtype dt, int32_t d0, int32_t d1) {
    const struct tflc_tensor *t = tflc_op_in(c, idx);
    if (t->dtype != dt) return tflc_op_unsupported(c);
    int rank = d1 < 0 ? 1 : 2;
    if (t->rank != rank || t->dims[0] != d0 || (rank == 2 && t->dims[1] != d1)) {
        if (rank == 1)
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input %d (%s%s%s) '%s' must have shape [%d]", idx, what,
                                gate, suffix, t->name, (int)d0);
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input %d (%s%s%s) '%s' must have shape [%d,%d]", idx, what,
                            gate, suffix, t->name, (int)d0, (int)d1);
    }
    return TFLC_STATUS_OK;
}

/* Arena memory in whole 64-byte blocks: keeps the arena tail 64-aligned, which
 * tflc_interp_arena_used() currently assumes (it does not round up). */
static void *alloc64(struct tflc_op_ctx *c, size_t bytes) { return tflc_op_alloc(c, (bytes + 63) & ~(size_t)63); }

static size_t take(size_t *total, size_t bytes) {
    size_t off = *total;
    *total += (bytes + 15) & ~(size_t)15;
    return off;
}

/* Row sums of a constant int8 matrix into arena memory. */
static int32_t *arena_row_sums(struct tflc_op_ctx *c, const struct tflc_tensor *w, int rows, int cols) {
    int32_t *rs = alloc64(c, sizeof(int32_t) * (size_t)rows);
    if (rs) lstm_row_sums(w->data, rows, cols, rs);
    return rs;
}

/* bias + zp * row_sums(w) as TFLite's PrecomputeZeroPointTimesWeightWithBias (int32 wrap). */
static int32_t *arena_eff_bias(struct tflc_op_ctx *c, const struct tflc_tensor *w, const struct tflc_tensor *bias,
                               int32_t zp, int rows, int cols) {
    int32_t *out = alloc64(c, sizeof(int32_t) * (size_t)rows);
    if (!out) return NULL;
    lstm_row_sums(w->data, rows, cols, out);
    const int32_t *b = bias ? bias->data : NULL;
    for (int r = 0; r < rows; r++) out[r] = lstm_wrap32((int64_t)(b ? b[r] : 0) + (int64_t)out[r] * zp);
    return out;
}

static void quant_mult(float m, int32_t *mult, int *shift) { tflc_quantize_multiplier((double)m, mult, shift); }

/* CheckedLog2: the exponent of a power-of-two scale (within 1e-3 in log2). */
static bool checked_log2(float x, int *out) {
    const float l = logf(x) * (1.0f / logf(2.0f));
    const float r = roundf(l);
    *out = (int)r;
    return fabsf(l - r) < 1e-3f;
}

static enum tflc_status prepare_s8(struct tflc_op_ctx *c, struct lstm_data *d) {
    const struct tflc_tensor *x = tflc_op_in(c, IN_X), *h = tflc_op_in(c, IN_H), *cst = tflc_op_in(c, IN_C);
    const struct tflc_tensor *y = tflc_op_out(c, 0);
    if (!is_quantized(x) || !is_quantized(h) || !is_quantized(cst) || !is_quantized(y))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "int8 LSTM needs quantization on input, output, and both states");
    if (c->node->nintermediates != 5)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "int8 LSTM needs 5 intermediate tensors (gate and hidden scales), has %d",
                            c->node->nintermediates);
    float inter_scale[5];
    int32_t inter_zp[5];
    for (int i = 0; i < 5; i++) {
        const struct tflc_tensor *t = tflc_op_intermediate(c, i);
        if (i < 4 && !d->layer_norm) { /* without layer norm the gates are Q3.12 */
            inter_scale[i] = 0x1p-12f;
            inter_zp[i] = 0;
            continue;
        }
        if (!is_quantized(t))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int8 LSTM intermediate %d has no quantization", i);
        inter_scale[i] = t->quant.scale;
        inter_zp[i] = t->quant.zero_point;
    }
    if (!checked_log2(cst->quant.scale, &d->cell_scale))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "int8 LSTM cell state scale %g is not a power of two",
                            (double)cst->quant.scale);
    if (d->cell_scale < -15 || d->cell_scale > -9)
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "int8 LSTM cell state scale 2^%d is outside 2^-15..2^-9",
                            d->cell_scale);
    for (int i = IN_W; i <= IN_PROJ_W; i++) {
        const struct tflc_tensor *t = tflc_op_in(c, i);
        if (!t || (i >= IN_BIAS && i < IN_PROJ_W)) continue; /* biases are int32 at input x weight scale */
        if (!is_quantized(t))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "int8 LSTM input %d '%s' has no scale", i, t->name);
    }
    for (int g = 0; g < NGATES && d->layer_norm; g++) {
        const struct tflc_tensor *t = tflc_op_in(c, IN_LN + g);
        if (t && !is_quantized(t))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "layer-norm coefficients '%s' have no scale", t->name);
    }
    if (d->peephole && d->n_output > d->n_cell) /* TFLite's integer peephole would read past the cell state */
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "int8 peephole LSTM with %d outputs > %d cells is not supported",
                            d->n_output, d->n_cell);
    const float in_scale = x->quant.scale, h_scale = h->quant.scale;
    const int32_t x_zp = x->quant.zero_point;
    d->out_zp = h->quant.zero_point;
    d->hidden_zp = inter_zp[4];
    for (int g = 0; g < NGATES; g++) {
        if (g == G_I && d->cifg) continue;
        struct gate_q *q = &d->q[g];
        const struct tflc_tensor *w = tflc_op_in(c, IN_W + g), *r = tflc_op_in(c, IN_R + g);
        quant_mult(w->quant.scale * in_scale / inter_scale[g], &q->in_mult, &q->in_shift);
        quant_mult(r->quant.scale * h_scale / inter_scale[g], &q->rec_mult, &q->rec_shift);
        if (d->peephole && g != G_C) {
            const struct tflc_tensor *p = tflc_op_in(c, peep_index(g));
            quant_mult((float)(ldexp(1.0, d->cell_scale) * p->quant.scale / inter_scale[g]), &q->peep_mult,
                       &q->peep_shift);
        }
        float ln_scale = 1.0f;
        if (d->layer_norm) ln_scale = tflc_op_in(c, IN_LN + g)->quant.scale;
        quant_mult(ln_scale, &q->ln_mult, &q->ln_shift);
        float guard = 10000.0f * ln_scale;
        q->variance_guard = guard >= 1.0f ? (int32_t)guard : 1;
        /* with layer norm the gate bias is added after normalization, not folded here */
        const struct tflc_tensor *bias = d->layer_norm ? NULL : tflc_op_in(c, IN_BIAS + g);
        q->in_bias = arena_eff_bias(c, w, bias, -x_zp, d->n_cell, d->n_input);
        q->rec_bias = q->in_bias ? arena_eff_bias(c, r, NULL, -d->out_zp, d->n_cell, d->n_output) : NULL;
        if (!q->rec_bias) return TFLC_STATUS_ARENA_TOO_SMALL;
    }
    quant_mult((float)(0x1p-15 / (double)inter_scale[4] * 0x1p-15), &d->hidden_mult, &d->hidden_shift);
    if (d->projection) {
        const struct tflc_tensor *pw = tflc_op_in(c, IN_PROJ_W);
        quant_mult(pw->quant.scale * inter_scale[4] / h_scale, &d->proj_mult, &d->proj_shift);
        d->proj_bias = arena_eff_bias(c, pw, tflc_op_in(c, IN_PROJ_B), d->hidden_zp, d->n_output, d->n_cell);
        if (!d->proj_bias) return TFLC_STATUS_ARENA_TOO_SMALL;
    }
    if (d->cell_clip > 0.0f) {
        float v = d->cell_clip / cst->quant.scale;
        d->cell_clip_q = (int16_t)(v < -32768.0f ? -32768.0f : v > 32767.0f ? 32767.0f : v);
    }
    if (d->proj_clip > 0.0f) {
        float v = d->proj_clip / y->quant.scale;
        d->proj_clip_q = (int8_t)(v < -128.0f ? -128.0f : v > 127.0f ? 127.0f : v);
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status prepare_hybrid(struct tflc_op_ctx *c, struct lstm_data *d) {
    for (int g = 0; g < NGATES; g++) {
        const struct tflc_tensor *w = tflc_op_in(c, IN_W + g), *r = tflc_op_in(c, IN_R + g);
        const struct tflc_tensor *p = peep_index(g) >= 0 ? tflc_op_in(c, peep_index(g)) : NULL;
        if (!w) continue;
        if (!is_quantized(w) || !is_quantized(r) || (p && !is_quantized(p)))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "hybrid LSTM %s-gate weights need a scale", gate_name[g]);
        d->w_scale[g] = w->quant.scale;
        d->r_scale[g] = r->quant.scale;
        d->p_scale[g] = p ? p->quant.scale : 0.0f;
        if (d->asymmetric) {
            d->w_rows[g] = arena_row_sums(c, w, d->n_cell, d->n_input);
            d->r_rows[g] = d->w_rows[g] ? arena_row_sums(c, r, d->n_cell, d->n_output) : NULL;
            if (!d->r_rows[g]) return TFLC_STATUS_ARENA_TOO_SMALL;
        }
    }
    if (d->projection) {
        const struct tflc_tensor *pw = tflc_op_in(c, IN_PROJ_W);
        if (!is_quantized(pw))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "hybrid LSTM projection weights need a scale");
        d->proj_scale = pw->quant.scale;
        if (d->asymmetric && !(d->proj_rows = arena_row_sums(c, pw, d->n_output, d->n_cell)))
            return TFLC_STATUS_ARENA_TOO_SMALL;
    }
    return TFLC_STATUS_OK;
}

/* Tensor types per kind: weights, peephole, bias, layer norm, projection bias, states. */
struct kind_types {
    enum tflc_dtype w, peep, bias, ln, h, cell, y;
};

static enum tflc_status check_all(struct tflc_op_ctx *c, struct lstm_data *d, const struct kind_types *k) {
    const int ni = d->n_input, nc = d->n_cell, no = d->n_output;
    enum tflc_status st;
    for (int g = 0; g < NGATES; g++) {
        if (g == G_I && d->cifg) continue;
        const char *gn = gate_name[g];
        if ((st = check_tensor(c, IN_W + g, "input-to-", gn, " weights", k->w, nc, ni))) return st;
        if ((st = check_tensor(c, IN_R + g, "recurrent-to-", gn, " weights", k->w, nc, no))) return st;
        if ((st = check_tensor(c, IN_BIAS + g, "", gn, " gate bias", k->bias, nc, -1))) return st;
        if (d->peephole && g != G_C &&
            (st = check_tensor(c, peep_index(g), "cell-to-", gn, " weights", k->peep, nc, -1)))
            return st;
        if (d->layer_norm && (st = check_tensor(c, IN_LN + g, "", gn, " layer-norm coefficients", k->ln, nc, -1)))
            return st;
    }
    if (d->projection) {
        if ((st = check_tensor(c, IN_PROJ_W, "projection", "", " weights", k->w, no, nc))) return st;
        if (tflc_op_in(c, IN_PROJ_B) && (st = check_tensor(c, IN_PROJ_B, "projection", "", " bias", k->bias, no, -1)))
            return st;
    }
    const struct tflc_tensor *h = tflc_op_in(c, IN_H), *cst = tflc_op_in(c, IN_C);
    if (h->dtype != k->h || cst->dtype != k->cell || tflc_op_out(c, 0)->dtype != k->y) return tflc_op_unsupported(c);
    /* every tensor of the cell must be constant where prepare folds or sums it */
    if (d->kind != K_F32) {
        for (int i = IN_W; i < IN_H; i++) {
            const struct tflc_tensor *t = tflc_op_in(c, i);
            if (t && !tflc_op_is_const(c, t))
                return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED,
                                    "quantized LSTM weight/bias input %d '%s' must be constant", i, t->name);
        }
    }
    return TFLC_STATUS_OK;
}

static enum tflc_status check_structure(struct tflc_op_ctx *c, struct lstm_data *d) {
    static const int required[] = {IN_W + G_F,    IN_W + G_C,    IN_W + G_O,    IN_R + G_F, IN_R + G_C, IN_R + G_O,
                                   IN_BIAS + G_F, IN_BIAS + G_C, IN_BIAS + G_O, IN_H,       IN_C};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!tflc_op_in(c, required[i]))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "required input %d is missing", required[i]);
    const bool has_wi = tflc_op_in(c, IN_W + G_I) != NULL, has_ri = tflc_op_in(c, IN_R + G_I) != NULL;
    if (has_wi != has_ri)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "input-gate weights must be all present or all absent (CIFG)");
    d->cifg = !has_wi;
    if (d->cifg && tflc_op_in(c, IN_BIAS + G_I))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "CIFG LSTM (no input gate) must not have an input gate bias");
    if (!d->cifg && !tflc_op_in(c, IN_BIAS + G_I))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input gate bias is missing");
    const bool pi = tflc_op_in(c, IN_PEEP) != NULL, pf = tflc_op_in(c, IN_PEEP + 1) != NULL,
               po = tflc_op_in(c, IN_PEEP + 2) != NULL;
    if (!((pf && po && (pi || d->cifg)) || (!pi && !pf && !po)))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "peephole weights must be all present or all absent");
    d->peephole = po;
    d->projection = tflc_op_in(c, IN_PROJ_W) != NULL;
    if (!d->projection && tflc_op_in(c, IN_PROJ_B))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "projection bias without projection weights");
    d->layer_norm = c->node->ninputs == 24 && tflc_op_in(c, IN_LN + G_F) != NULL;
    if (d->layer_norm) {
        for (int g = G_F; g < NGATES; g++)
            if (!tflc_op_in(c, IN_LN + g))
                return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "layer-norm coefficients %d missing", IN_LN + g);
        if (d->cifg == (tflc_op_in(c, IN_LN + G_I) != NULL))
            return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                                "input-gate layer-norm coefficients must exist exactly when the input gate does");
    }
    return TFLC_STATUS_OK;
}

static void plan_scratch(struct lstm_data *d) {
    const size_t nb = (size_t)d->n_batch, nc = (size_t)d->n_cell, no = (size_t)d->n_output, ni = (size_t)d->n_input;
    const size_t es = d->kind == K_S8 ? sizeof(int16_t) : sizeof(float);
    size_t t = 0;
    struct lstm_scratch *s = &d->s;
    for (int g = 0; g < NGATES; g++) s->gate[g] = take(&t, es * nb * nc);
    if (d->kind == K_HYBRID) {
        s->qx = take(&t, nb * ni);
        s->qh = take(&t, nb * no);
        s->qhid = take(&t, nb * nc);
        s->sf_x = take(&t, sizeof(float) * nb);
        s->sf_h = take(&t, sizeof(float) * nb);
        s->sf_tmp = take(&t, sizeof(float) * nb);
        s->zp_x = take(&t, sizeof(int32_t) * nb);
        s->zp_h = take(&t, sizeof(int32_t) * nb);
        s->peep = take(&t, sizeof(float) * nc);
    } else if (d->kind == K_S8) {
        s->cell_act = take(&t, sizeof(int16_t) * nb * nc);
        s->hid = take(&t, nb * nc);
    }
    s->total = t;
}

enum tflc_status tflc_unidirectional_sequence_lstm_prepare(struct tflc_op_ctx *c) {
    if (c->node->ninputs != 20 && c->node->ninputs != 24)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "has %d inputs, expected 20 or 24", c->node->ninputs);
    enum tflc_status st = tflc_op_check_io(c, 20, 24, 1);
    if (st) return st;
    struct lstm_data *d = alloc64(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    c->node->data = d;
    const struct tflc_fb_table o = c->node->options;
    d->act = tflc_tfl_unidirectional_sequence_lstm_options_fused_activation_function(o);
    d->cell_clip = tflc_tfl_unidirectional_sequence_lstm_options_cell_clip(o);
    d->proj_clip = tflc_tfl_unidirectional_sequence_lstm_options_proj_clip(o);
    d->time_major = tflc_tfl_unidirectional_sequence_lstm_options_time_major(o);
    d->asymmetric = tflc_tfl_unidirectional_sequence_lstm_options_asymmetric_quantize_inputs(o);
    if (tflc_tfl_unidirectional_sequence_lstm_options_diagonal_recurrent_tensors(o))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "diagonal recurrent weights (op version 4) are not supported");
    if (!(d->cell_clip >= 0.0f) || !(d->proj_clip >= 0.0f))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "cell_clip %g and proj_clip %g must be >= 0",
                            (double)d->cell_clip, (double)d->proj_clip);
    const struct tflc_tensor *x = tflc_op_in(c, IN_X);
    if (!x) return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input 0 is missing");
    if ((st = check_structure(c, d))) return st;
    if (x->rank != 3)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "input '%s' has rank %d, expected 3", x->name, (int)x->rank);
    d->n_batch = d->time_major ? x->dims[1] : x->dims[0];
    d->max_time = d->time_major ? x->dims[0] : x->dims[1];
    d->n_input = x->dims[2];
    const struct tflc_tensor *wo = tflc_op_in(c, IN_W + G_O), *ro = tflc_op_in(c, IN_R + G_O);
    if (wo->rank != 2 || ro->rank != 2)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL, "output-gate weights must be 2-D");
    d->n_cell = wo->dims[0];
    d->n_output = ro->dims[1];
    if (d->n_batch <= 0 || d->max_time <= 0 || d->n_input <= 0 || d->n_cell <= 0 || d->n_output <= 0)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "zero-sized LSTM (batch %d, time %d, input %d, cell %d, output %d)", d->n_batch,
                            d->max_time, d->n_input, d->n_cell, d->n_output);
    if (!d->projection && d->n_output != d->n_cell)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "without projection the output size %d must equal the cell count %d", d->n_output,
                            d->n_cell);
    const struct tflc_tensor *h = tflc_op_in(c, IN_H), *cst = tflc_op_in(c, IN_C);
    if (!tflc_op_is_variable(c, h) || !tflc_op_is_variable(c, cst))
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "output state (input 18) and cell state (input 19) must be variable tensors");
    if (tflc_numel(h) != (size_t)d->n_batch * (size_t)d->n_output ||
        tflc_numel(cst) != (size_t)d->n_batch * (size_t)d->n_cell)
        return tflc_op_fail(c, TFLC_STATUS_INVALID_MODEL,
                            "state sizes %zu and %zu do not match batch %d x output %d / cell %d", tflc_numel(h),
                            tflc_numel(cst), d->n_batch, d->n_output, d->n_cell);
    const struct tflc_tensor *wf = tflc_op_in(c, IN_W + G_F);
    struct kind_types k;
    if (x->dtype == TFLC_DTYPE_FLOAT32 && wf->dtype == TFLC_DTYPE_FLOAT32) {
        d->kind = K_F32;
        k = (struct kind_types){TFLC_DTYPE_FLOAT32, TFLC_DTYPE_FLOAT32, TFLC_DTYPE_FLOAT32, TFLC_DTYPE_FLOAT32,
                                TFLC_DTYPE_FLOAT32, TFLC_DTYPE_FLOAT32, TFLC_DTYPE_FLOAT32};
    } else if (x->dtype == TFLC_DTYPE_FLOAT32 && wf->dtype == TFLC_DTYPE_INT8) {
        d->kind = K_HYBRID;
        k = (struct kind_types){TFLC_DTYPE_INT8,    TFLC_DTYPE_INT8,    TFLC_DTYPE_FLOAT32, TFLC_DTYPE_FLOAT32,
                                TFLC_DTYPE_FLOAT32, TFLC_DTYPE_FLOAT32, TFLC_DTYPE_FLOAT32};
    } else if (x->dtype == TFLC_DTYPE_INT8 && wf->dtype == TFLC_DTYPE_INT8) {
        d->kind = K_S8;
        k = (struct kind_types){TFLC_DTYPE_INT8, TFLC_DTYPE_INT16, TFLC_DTYPE_INT32, TFLC_DTYPE_INT16,
                                TFLC_DTYPE_INT8, TFLC_DTYPE_INT16, TFLC_DTYPE_INT8};
    } else {
        return tflc_op_unsupported(c);
    }
    if ((st = check_all(c, d, &k))) return st;
    if (d->kind != K_S8 && !lstm_act_supported(d->act))
        return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "activation %d is not supported", d->act);
    for (int i = IN_W; i <= IN_PROJ_W; i++) {
        const struct tflc_tensor *t = tflc_op_in(c, i);
        if (d->kind != K_F32 && t && t->quant.num_scales > 1)
            return tflc_op_fail(c, TFLC_STATUS_UNSUPPORTED, "per-channel quantized LSTM weights '%s' are not supported",
                                t->name);
    }
    int32_t shape[3] = {x->dims[0], x->dims[1], d->n_output};
    if ((st = tflc_op_set_shape(c, tflc_op_out(c, 0), 3, shape))) return st;
    if (d->kind == K_HYBRID && (st = prepare_hybrid(c, d))) return st;
    if (d->kind == K_S8 && (st = prepare_s8(c, d))) return st;
    plan_scratch(d);
    tflc_op_request_scratch(c, d->s.total);
    c->node->eval = d->kind == K_F32 ? eval_f32 : d->kind == K_HYBRID ? eval_hybrid : eval_s8;
    return TFLC_STATUS_OK;
}
