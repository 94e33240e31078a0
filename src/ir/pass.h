/* Graph rewrites run between lowering and export, in this order (tflc_ir_optimize):
 *   const_fold    ops whose inputs are all constants computed into constants (and products
 *                 with a zero constant of finite values)
 *   fold_mul_add  constant per-channel MUL / ADD after CONV_2D, DEPTHWISE_CONV_2D and
 *                 FULLY_CONNECTED folded into weights and bias (batch-norm folding)
 *   fuse_act      RELU / RELU6 / RELU_N1_TO_1 fused into the producing op
 *   noop          reshapes to the same shape, x + 0, x - 0, x * 1 removed
 *   dce           nodes whose results nobody reads removed
 * Each pass returns the number of rewrites it made (or -1 with diag set). */
#ifndef TFLC_IR_PASS_H
#define TFLC_IR_PASS_H

#include "ir/graph.h"

int tflc_pass_const_fold(struct tflc_ir_graph *g);
int tflc_pass_fold_mul_add(struct tflc_ir_graph *g);
int tflc_pass_fuse_act(struct tflc_ir_graph *g);
int tflc_pass_noop(struct tflc_ir_graph *g);
int tflc_pass_dce(struct tflc_ir_graph *g);

/* Runs every pass until nothing changes. */
enum tflc_status tflc_ir_optimize(struct tflc_ir_graph *g);

#endif
