/* Portable reference microkernels: the baseline table every ISA starts from. Entries that
 * stay NULL mean "the op runs its own reference loop" (src/kernels/ref/<op>.c). */
#include "kernels/ukernel.h"

void tflc_ukernels_fill__ref(struct tflc_ukernels *uk) { uk->isa = TFLC_ISA_REF; }
