/* tflc/tflc.h - umbrella header: includes every public tflc header.
 *
 * tflc converts Keras models to TensorFlow Lite, quantizes them and runs .tflite files with a
 * dependency-free C runtime. Subsystem headers:
 *   tflc/status.h   status codes, caller-owned diagnostics
 */
#ifndef TFLC_TFLC_H
#define TFLC_TFLC_H

#define TFLC_VERSION_MAJOR 0
#define TFLC_VERSION_MINOR 1
#define TFLC_VERSION_PATCH 0
#define TFLC_VERSION_STRING "0.1.0"

#include "tflc/status.h"

#endif
