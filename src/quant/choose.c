/* Quantization parameters (see quant.h), following TFLite's quantizer: activation ranges are
 * widened to include 0, scale = (max - min) / (qmax - qmin), and the zero point is the nudged
 * (rounded, clamped) real zero so that 0.0 is exactly representable. Weights are symmetric. */
#include <math.h>

#include "quant/quant.h"

void tflc_quant_choose_asym(float min, float max, int32_t qmin, int32_t qmax, float *scale, int32_t *zp) {
    double rmin = fmin(min, 0.0), rmax = fmax(max, 0.0);
    if (!(rmax - rmin > 1e-30) || !isfinite(rmin) || !isfinite(rmax)) { /* all zeros: any scale */
        *scale = 1.0f;
        *zp = qmin > 0 ? qmin : qmax < 0 ? qmax : 0;
        return;
    }
    double s = (rmax - rmin) / ((double)qmax - (double)qmin);
    /* Of the zero points implied by min and by max, take the one with the smaller error. */
    double zmin = (double)qmin - rmin / s, zmax = (double)qmax - rmax / s;
    double emin = fabs((double)qmin) + fabs(rmin / s), emax = fabs((double)qmax) + fabs(rmax / s);
    double z = emin < emax ? zmin : zmax;
    int32_t nz = z < qmin ? qmin : z > qmax ? qmax : (int32_t)llround(z);
    *scale = (float)s;
    *zp = nz;
}

void tflc_quant_choose_sym(float min, float max, int32_t qmax, float *scale) {
    double a = fmax(fabs((double)min), fabs((double)max));
    *scale = a > 0 && isfinite(a) ? (float)(a / qmax) : 1.0f;
}

void tflc_quant_weights_sym(const float *w, const int32_t *dims, int rank, int axis, int8_t *q, float *scales) {
    size_t n = 1;
    for (int i = 0; i < rank; i++) n *= (size_t)dims[i];
    size_t C = axis >= 0 ? (size_t)dims[axis] : 1, inner = 1;
    for (int i = axis + 1; axis >= 0 && i < rank; i++) inner *= (size_t)dims[i];
    for (size_t c = 0; c < C; c++) scales[c] = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = axis >= 0 ? (i / inner) % C : 0;
        float a = fabsf(w[i]);
        if (a > scales[c]) scales[c] = a;
    }
    for (size_t c = 0; c < C; c++) scales[c] = scales[c] > 0 ? scales[c] / 127.0f : 1.0f;
    for (size_t i = 0; i < n; i++) {
        size_t c = axis >= 0 ? (i / inner) % C : 0;
        float v = roundf(w[i] / scales[c]);
        q[i] = (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
    }
}
