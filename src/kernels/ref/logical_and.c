/* LOGICAL_AND: y = a && b elementwise over BOOL tensors, numpy broadcasting (TFLite's
 * logical.cc). prepare builds the broadcast walk. */
#include "kernels/ref/extra_util.h"

struct and_data {
    struct xt_bcast bc;
};

XT_BINARY_EVAL(eval_bool, struct and_data, uint8_t, uint8_t, uint8_t, (uint8_t)(a != 0 && b != 0))

enum tflc_status tflc_logical_and_prepare(struct tflc_op_ctx *c) {
    struct and_data *d = tflc_op_alloc(c, sizeof *d);
    if (!d) return TFLC_STATUS_ARENA_TOO_SMALL;
    enum tflc_status st = xt_bcast_prepare(c, 2, &d->bc);
    if (st) return st;
    if (tflc_op_in(c, 0)->dtype != TFLC_DTYPE_BOOL || tflc_op_in(c, 1)->dtype != TFLC_DTYPE_BOOL ||
        tflc_op_out(c, 0)->dtype != TFLC_DTYPE_BOOL)
        return tflc_op_unsupported(c);
    c->node->data = d;
    c->node->eval = eval_bool;
    return TFLC_STATUS_OK;
}
