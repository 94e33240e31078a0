/* Fast int8 paths of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED over the microkernel table
 * (kernels/ukernel.h: gemm_s8, dwconv_s8, requant_s8), bit-identical to the reference loops:
 *  - CONV_2D (groups 1) and FULLY_CONNECTED are GEMMs of [pixels x K] by the filter [Cout x K]
 *    packed at prepare: 1x1 convolutions and FC read the input's pixels in place, k x k ones
 *    im2col MR pixels at a time into scratch, out-of-bounds taps set to the input zero point
 *    (the packed bias folds -zp_x * sum w, so such taps add exactly nothing, as the reference's
 *    omitted ones);
 *  - DEPTHWISE_CONV_2D (depth multiplier 1) runs dwconv_s8 per output pixel with one input
 *    pointer per tap, out-of-bounds taps pointing at a row of zp_x;
 *  - the int32 accumulators of a row are then requantized by requant_s8 in the op's mode.
 * Work is split with tflc_op_parallel over pixel blocks (GEMM) or output rows (depthwise), each
 * task with its own scratch slot. Prepare returns *out = NULL when the fast path does not apply
 * (reference tables, non-constant weights or bias, or an ISA without the family); the op then
 * keeps its reference loop. */
#ifndef TFLC_KERNELS_REF_CONV_FAST_S8_H
#define TFLC_KERNELS_REF_CONV_FAST_S8_H

#include "kernels/ref/conv_util.h"
#include "kernels/ukernel.h"

struct tflc_conv_fast_s8;

/* CONV_2D with groups == 1: x [n, in_h, in_w, in_c] int8 (zero point zp_x), w OHWI int8, bias
 * int32 [out_c] or NULL, requantization rq (arrays borrowed from the op's arena data). */
enum tflc_status tflc_conv_fast_s8_prepare_conv2d(struct tflc_op_ctx *c, const struct tflc_conv_geom *g,
                                                  const struct tflc_tensor *w, const struct tflc_tensor *bias,
                                                  int32_t zp_x, const struct tflc_conv_rq *rq,
                                                  struct tflc_conv_fast_s8 **out);

/* DEPTHWISE_CONV_2D with depth multiplier 1 (in_c == out_c), filter [1, kh, kw, C]. */
enum tflc_status tflc_conv_fast_s8_prepare_dw(struct tflc_op_ctx *c, const struct tflc_conv_geom *g,
                                              const struct tflc_tensor *w, const struct tflc_tensor *bias, int32_t zp_x,
                                              const struct tflc_conv_rq *rq, struct tflc_conv_fast_s8 **out);

/* FULLY_CONNECTED int8: x [batches, depth], w [units, depth] (zero point 0), bias int32 or NULL.
 * `rq` holds per-unit arrays (copied into the arena). The caller guarantees the reference's
 * accumulator cannot leave int32 where it saturates instead of wrapping. */
enum tflc_status tflc_conv_fast_s8_prepare_fc(struct tflc_op_ctx *c, int32_t batches, int32_t depth, int32_t units,
                                              const struct tflc_tensor *w, const struct tflc_tensor *bias, int32_t zp_x,
                                              const struct tflc_uk_rq_s8 *rq, struct tflc_conv_fast_s8 **out);

/* Runs a prepared fast path on the node's input 0 and output 0. */
enum tflc_status tflc_conv_fast_s8_eval(const struct tflc_op_ctx *c, const struct tflc_conv_fast_s8 *f);

#endif
