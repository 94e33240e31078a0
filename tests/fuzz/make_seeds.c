/* make_seeds: writes fuzz seeds that tflc itself generates (used by make_corpus.sh).
 *
 *   make_seeds tfjs MODEL OUT_DIR     Keras model (any format tflc reads, with weight names)
 *                                     as OUT_DIR/model.json + group1-shard1of1.bin
 *   make_seeds config MODEL OUT.json  its model config
 *   make_seeds stream MODEL OUT       the record stream the sandboxed HDF5 reader would send
 *                                     (first byte: 0 = legacy layout), see keras_h5.c
 *   make_seeds images OUT_DIR         small PNG (gray, RGB, RGBA, 16-bit) and JPEG (gray, RGB,
 *                                     progressive) images
 *   make_seeds idx OUT_DIR            idx3 images / idx1 labels */
#define _POSIX_C_SOURCE 200809L
#include <cJSON.h>
#include <stdio.h>  /* before jpeglib.h */
#include <jpeglib.h>
#include <png.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/keras.h"

static int die(const char *what, const char *arg) {
    fprintf(stderr, "make_seeds: %s: %s\n", what, arg);
    return 1;
}

static int load(const char *path, struct tflc_kmodel *m) {
    struct tflc_diag d;
    if (tflc_keras_load(path, NULL, m, &d) != TFLC_STATUS_OK) return die(path, d.msg);
    return 0;
}

/* ---- tfjs ---- */

static void manifest(const struct tflc_kgroup *g, const char *prefix, cJSON *ws, FILE *shard) {
    for (int32_t i = 0; i < g->nweights; i++) {
        const struct tflc_kweight *w = &g->weights[i];
        char name[600];
        snprintf(name, sizeof name, "%s%s", prefix, w->name ? w->name : "var");
        cJSON *e = cJSON_CreateObject(), *shape = cJSON_CreateArray();
        cJSON_AddStringToObject(e, "name", name);
        size_t n = 1;
        for (int k = 0; k < w->rank; k++) {
            cJSON_AddItemToArray(shape, cJSON_CreateNumber(w->dims[k]));
            n *= (size_t)w->dims[k];
        }
        cJSON_AddItemToObject(e, "shape", shape);
        cJSON_AddStringToObject(e, "dtype", w->dtype == TFLC_DTYPE_INT32 ? "int32" : "float32");
        cJSON_AddItemToArray(ws, e);
        fwrite(w->data, 4, n, shard);
    }
    for (int32_t i = 0; i < g->nchildren; i++) {
        char p[600];
        snprintf(p, sizeof p, "%s%s/", prefix, g->children[i].name);
        manifest(&g->children[i], p, ws, shard);
    }
}

static int cmd_tfjs(const char *model, const char *dir) {
    struct tflc_kmodel m;
    if (load(model, &m)) return 1;
    char path[4200];
    snprintf(path, sizeof path, "%s/group1-shard1of1.bin", dir);
    FILE *shard = fopen(path, "wb");
    if (!shard) return die("cannot write", path);
    cJSON *root = cJSON_CreateObject(), *topo = cJSON_Duplicate(m.config, true);
    cJSON_DeleteItemFromObjectCaseSensitive(topo, "keras_version");
    cJSON_DeleteItemFromObjectCaseSensitive(topo, "backend");
    cJSON_AddStringToObject(topo, "keras_version", "tfjs-layers 4.22.0");
    cJSON_AddStringToObject(topo, "backend", "tensor_flow.js");
    cJSON_AddItemToObject(root, "modelTopology", topo);
    cJSON_AddStringToObject(root, "format", "layers-model");
    cJSON *man = cJSON_CreateArray(), *grp = cJSON_CreateObject(), *paths = cJSON_CreateArray(), *ws = cJSON_CreateArray();
    cJSON_AddItemToArray(paths, cJSON_CreateString("group1-shard1of1.bin"));
    cJSON_AddItemToObject(grp, "paths", paths);
    manifest(&m.root, "", ws, shard);
    cJSON_AddItemToObject(grp, "weights", ws);
    cJSON_AddItemToArray(man, grp);
    cJSON_AddItemToObject(root, "weightsManifest", man);
    fclose(shard);
    char *text = cJSON_PrintUnformatted(root);
    snprintf(path, sizeof path, "%s/model.json", dir);
    FILE *f = fopen(path, "wb");
    if (!f) return die("cannot write", path);
    fputs(text, f);
    fclose(f);
    free(text);
    cJSON_Delete(root);
    tflc_keras_free(&m);
    return 0;
}

/* ---- config, stream ---- */

static int cmd_config(const char *model, const char *out) {
    struct tflc_kmodel m;
    if (load(model, &m)) return 1;
    char *text = cJSON_PrintUnformatted(m.config);
    FILE *f = fopen(out, "wb");
    if (!f) return die("cannot write", out);
    fputs(text, f);
    fclose(f);
    free(text);
    tflc_keras_free(&m);
    return 0;
}

static void put_u32(FILE *f, uint32_t v) { fwrite(&v, 4, 1, f); }
static void put_str(FILE *f, const char *s) {
    put_u32(f, (uint32_t)strlen(s));
    fputs(s, f);
}

static void stream_group(FILE *f, const struct tflc_kgroup *g) {
    for (int32_t i = 0; i < g->nweights; i++) {
        const struct tflc_kweight *w = &g->weights[i];
        fputc('W', f);
        put_str(f, w->name ? w->name : "");
        put_str(f, w->path ? w->path : "");
        fputc(w->dtype, f);
        fputc(w->rank, f);
        uint64_t n = 1;
        for (int k = 0; k < w->rank; k++) {
            put_u32(f, (uint32_t)w->dims[k]);
            n *= (uint64_t)w->dims[k];
        }
        uint64_t bytes = n * 4;
        fwrite(&bytes, 8, 1, f);
        fwrite(w->data, 1, (size_t)bytes, f);
    }
    for (int32_t i = 0; i < g->nchildren; i++) {
        fputc('G', f);
        put_str(f, g->children[i].name);
        stream_group(f, &g->children[i]);
        fputc('E', f);
    }
}

static int cmd_stream(const char *model, const char *out) {
    struct tflc_kmodel m;
    if (load(model, &m)) return 1;
    FILE *f = fopen(out, "wb");
    if (!f) return die("cannot write", out);
    fputc(0, f); /* legacy layout */
    char *text = cJSON_PrintUnformatted(m.config);
    fputc('V', f);
    put_str(f, "model_config");
    put_str(f, text);
    free(text);
    fputc('V', f);
    put_str(f, "keras_version");
    put_str(f, m.keras_version ? m.keras_version : "");
    stream_group(f, &m.root);
    fputc('Z', f);
    fclose(f);
    tflc_keras_free(&m);
    return 0;
}

/* ---- images, idx ---- */

static void pattern(unsigned char *px, int w, int h, int c, int bytes_per) {
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            for (int k = 0; k < c * bytes_per; k++) px[((y * w + x) * c) * bytes_per + k] = (unsigned char)(x * 37 + y * 11 + k * 71);
}

static int write_png(const char *dir, const char *name, int w, int h, png_uint_32 format) {
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    im.width = (png_uint_32)w;
    im.height = (png_uint_32)h;
    im.format = format;
    unsigned char px[4096];
    pattern(px, w, h, (int)PNG_IMAGE_SAMPLE_CHANNELS(format), (int)PNG_IMAGE_SAMPLE_COMPONENT_SIZE(format));
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (!png_image_write_to_file(&im, path, 0, px, 0, NULL)) return die("cannot write", path);
    return 0;
}

static int write_jpeg(const char *dir, const char *name, int w, int h, int c, int progressive) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return die("cannot write", path);
    struct jpeg_compress_struct ci;
    struct jpeg_error_mgr err;
    ci.err = jpeg_std_error(&err);
    jpeg_create_compress(&ci);
    jpeg_stdio_dest(&ci, f);
    ci.image_width = (JDIMENSION)w;
    ci.image_height = (JDIMENSION)h;
    ci.input_components = c;
    ci.in_color_space = c == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&ci);
    jpeg_set_quality(&ci, 80, TRUE);
    if (progressive) jpeg_simple_progression(&ci);
    jpeg_start_compress(&ci, TRUE);
    unsigned char px[4096];
    pattern(px, w, h, c, 1);
    while (ci.next_scanline < ci.image_height) {
        JSAMPROW row = px + (size_t)ci.next_scanline * (size_t)(w * c);
        jpeg_write_scanlines(&ci, &row, 1);
    }
    jpeg_finish_compress(&ci);
    jpeg_destroy_compress(&ci);
    fclose(f);
    return 0;
}

static int cmd_images(const char *dir) {
    return write_png(dir, "gray_5x7.png", 5, 7, PNG_FORMAT_GRAY) || write_png(dir, "rgb_8x8.png", 8, 8, PNG_FORMAT_RGB) ||
           write_png(dir, "rgba_4x3.png", 4, 3, PNG_FORMAT_RGBA) ||
           write_png(dir, "gray16_6x6.png", 6, 6, PNG_FORMAT_LINEAR_Y) ||
           write_jpeg(dir, "gray_9x5.jpg", 9, 5, 1, 0) || write_jpeg(dir, "rgb_8x8.jpg", 8, 8, 3, 0) ||
           write_jpeg(dir, "rgb_16x9_progressive.jpg", 16, 9, 3, 1);
}

static int write_idx(const char *dir, const char *name, int nd, const uint32_t *dims) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (!f) return die("cannot write", path);
    unsigned char h[4] = {0, 0, 8, (unsigned char)nd};
    fwrite(h, 1, 4, f);
    size_t n = 1;
    for (int i = 0; i < nd; i++) {
        unsigned char be[4] = {(unsigned char)(dims[i] >> 24), (unsigned char)(dims[i] >> 16), (unsigned char)(dims[i] >> 8),
                               (unsigned char)dims[i]};
        fwrite(be, 1, 4, f);
        n *= dims[i];
    }
    for (size_t i = 0; i < n; i++) fputc((int)((i * 37) % (nd == 1 ? 10 : 256)), f);
    fclose(f);
    return 0;
}

static int cmd_idx(const char *dir) {
    return write_idx(dir, "images_3x4x4.idx", 3, (uint32_t[]){3, 4, 4}) ||
           write_idx(dir, "images_2x28x28.idx", 3, (uint32_t[]){2, 28, 28}) ||
           write_idx(dir, "labels_10.idx", 1, (uint32_t[]){10});
}

int main(int argc, char **argv) {
    if (argc == 4 && !strcmp(argv[1], "tfjs")) return cmd_tfjs(argv[2], argv[3]);
    if (argc == 4 && !strcmp(argv[1], "config")) return cmd_config(argv[2], argv[3]);
    if (argc == 4 && !strcmp(argv[1], "stream")) return cmd_stream(argv[2], argv[3]);
    if (argc == 3 && !strcmp(argv[1], "images")) return cmd_images(argv[2]);
    if (argc == 3 && !strcmp(argv[1], "idx")) return cmd_idx(argv[2]);
    fprintf(stderr, "usage: make_seeds tfjs|config|stream MODEL OUT  |  make_seeds images|idx OUT_DIR\n");
    return 2;
}
