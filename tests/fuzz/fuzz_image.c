/* Fuzz target: the PNG / JPEG calibration-image reader (libpng simplified API, libjpeg with
 * its error manager, bilinear resize, channel conversion, normalization). The input is
 * written as the one image of a folder (named .png or .jpg by its signature) and loaded as a
 * model input of 8x8x1 or 8x8x3 (last byte), resized from whatever size the image has.
 * Seeds: corpus/image (small PNG and JPEG images written by tests/fuzz/make_seeds). */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "calib_data.h"
#include "fuzz.h"

static char dir[300], png[320], jpg[320];

int LLVMFuzzerInitialize(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
    fuzz_quiet();
    snprintf(dir, sizeof dir, "%s", fuzz_tmpdir());
    snprintf(png, sizeof png, "%s/img.png", dir);
    snprintf(jpg, sizeof jpg, "%s/img.jpg", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    bool is_jpg = size >= 2 && data[0] == 0xFF && data[1] == 0xD8;
    unlink(is_jpg ? png : jpg);
    fuzz_write_file(is_jpg ? jpg : png, data, size);
    struct image_opts img;
    memset(&img, 0, sizeof img);
    img.height = 8;
    img.width = 8;
    img.channels = size && (data[size - 1] & 1) ? 3 : 1;
    img.scale = 1.0f / 255.0f;
    struct dataset ds;
    if (dataset_load(dir, (size_t)(8 * 8 * img.channels), 4, &img, &ds)) dataset_free(&ds);
    return 0;
}
