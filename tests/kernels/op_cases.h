/* Single-op test models, checked against Google's TFLite runtime.
 *
 * A generator (OC_GENERATOR) builds many small models, each holding one or a few ops, with
 * tflite_build.h; op_cases_main writes each to DIR/<case>/model.tflite plus seeded random
 * inputs in0.npy ... and tol.txt. tests/kernels/run_op_cases.sh then runs every case in the
 * WASM oracle and in `tflc run` and compares (float: relative tolerance; int: LSB + share of
 * exact elements). Cases that Google's runtime itself refuses are reported, not compared.
 *
 *   OC_GENERATOR(add) {
 *       struct oc *c = oc_begin("add_f32_bcast", "float 1e-5");
 *       int a = oc_input(c, "a", TFLC_DTYPE_FLOAT32, 4, (int32_t[]){1,2,3,4}, NULL);
 *       ...
 *       oc_op(c, TFLC_TFL_BUILTIN_OPERATOR_ADD, 1, ins, 2, outs, 1, opt_type, opt_ref);
 *       oc_end(c);
 *   }
 */
#ifndef TFLC_TESTS_OP_CASES_H
#define TFLC_TESTS_OP_CASES_H

#include <stdint.h>
#include <stdio.h>

#include "format/tflite_build.h"
#include "format/tflite_schema.h"

struct oc;
typedef void (*oc_gen_fn)(void);
void oc_register(const char *name, oc_gen_fn fn);

#define OC_GENERATOR(name)                                                          \
    static void ocgen_##name(void);                                                 \
    __attribute__((constructor)) static void ocreg_##name(void) { oc_register(#name, ocgen_##name); } \
    static void ocgen_##name(void)

/* Starts a case. tol: "float R" (max |got-ref| <= R * (1 + max|ref|)) or "int N F"
 * (max diff <= N LSB and at least fraction F exact). Returns NULL when the case is filtered
 * out (then skip building it; every oc_* accepts NULL and does nothing). */
struct oc *oc_begin(const char *case_name, const char *tol);
struct tflc_tflb *oc_builder(struct oc *c);
struct tflc_fbb *oc_fbb(struct oc *c);

/* Graph input filled with seeded random data: floats uniform in [lo, hi) (default [-1, 1)),
 * integers uniform in [lo, hi] (default: the dtype's full range; int32/int64 [0, 9]). */
int oc_input(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims,
             const struct tflc_tflb_quant *q);
void oc_input_range(struct oc *c, int tensor, double lo, double hi);
/* Constant tensor with given data (copied); NULL data = seeded random like inputs. */
int oc_const(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims, const void *data,
             const struct tflc_tflb_quant *q);
/* Random constant with a value range. */
int oc_const_range(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims, double lo,
                   double hi, const struct tflc_tflb_quant *q);
/* Intermediate or output tensor (no data). Outputs are declared with oc_output. */
int oc_tensor(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims,
              const struct tflc_tflb_quant *q);
int oc_output(struct oc *c, const char *name, enum tflc_dtype t, int rank, const int32_t *dims,
              const struct tflc_tflb_quant *q);
int oc_op(struct oc *c, int32_t builtin, int version, const int32_t *in, int nin, const int32_t *out, int nout,
          uint8_t opt_type, uint32_t opt_ref);
/* Writes the case (model + inputs + tol) and frees it. */
void oc_end(struct oc *c);

/* Seeded PRNG shared by generators (deterministic case content). */
uint32_t oc_rand(void);
int oc_rand_int(int lo, int hi); /* inclusive */
float oc_rand_float(float lo, float hi);

/* Convenience quant params (per tensor). */
struct tflc_tflb_quant oc_q(float *scale_storage, int64_t *zp_storage, float scale, int64_t zp);

#endif
