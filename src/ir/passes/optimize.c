/* Pass driver (see pass.h). */
#include "ir/pass.h"

enum tflc_status tflc_ir_optimize(struct tflc_ir_graph *g) {
    for (int round = 0; round < 64; round++) {
        int changed = 0, r;
        if ((r = tflc_pass_const_fold(g)) < 0) return TFLC_STATUS_INTERNAL;
        changed += r;
        if ((r = tflc_pass_fold_mul_add(g)) < 0) return TFLC_STATUS_INTERNAL;
        changed += r;
        if ((r = tflc_pass_noop(g)) < 0) return TFLC_STATUS_INTERNAL;
        changed += r;
        if ((r = tflc_pass_fuse_act(g)) < 0) return TFLC_STATUS_INTERNAL;
        changed += r;
        if ((r = tflc_pass_dce(g)) < 0) return TFLC_STATUS_INTERNAL;
        changed += r;
        if (g->arena.failed) return TFLC_STATUS_OUT_OF_MEMORY;
        if (!changed) break;
    }
    tflc_ir_refresh(g);
    return TFLC_STATUS_OK;
}
