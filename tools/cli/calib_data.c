/* Calibration / evaluation data readers (see calib_data.h). Untrusted input: every size is
 * checked before use; the idx header's dimensions must match the file size exactly. */
#define _POSIX_C_SOURCE 200809L
#include "calib_data.h"

#include <dirent.h>
#include <setjmp.h>
#include <stdio.h>  /* before jpeglib.h, which uses FILE */
#include <jpeglib.h>
#include <png.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "base/checked_math.h"
#include "base/fp16.h"
#include "cli.h"
#include "npy.h"

#define MAX_IDX_BYTES ((size_t)2 << 30)
#define MAX_IMAGE_PIXELS ((size_t)1 << 26)

void dataset_free(struct dataset *d) {
    if (!d) return;
    free(d->data);
    free(d->labels);
    memset(d, 0, sizeof *d);
}

static bool ends_with(const char *s, const char *suf) {
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Whole file, gunzipped when it is gzip (magic 1f 8b), size-capped. */
static unsigned char *read_maybe_gz(const char *path, size_t *len) {
    size_t n;
    unsigned char *raw = cli_read_file(path, &n);
    if (!raw) return NULL;
    if (n < 2 || raw[0] != 0x1f || raw[1] != 0x8b) { *len = n; return raw; }
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) { free(raw); cli_fail(path, "cannot start gzip decoding"); return NULL; }
    size_t cap = n * 4 + 1024, used = 0;
    unsigned char *out = malloc(cap);
    z.next_in = raw;
    z.avail_in = (uInt)(n > 0xFFFFFFFFu ? 0xFFFFFFFFu : n);
    int rc = Z_OK;
    while (out && rc != Z_STREAM_END) {
        if (used == cap) {
            if (cap >= MAX_IDX_BYTES) { free(out); out = NULL; cli_fail(path, "unpacks to more than %zu bytes", MAX_IDX_BYTES); break; }
            size_t nc = cap * 2 > MAX_IDX_BYTES ? MAX_IDX_BYTES : cap * 2;
            unsigned char *no = realloc(out, nc);
            if (!no) { free(out); out = NULL; cli_fail(path, "out of memory"); break; }
            out = no;
            cap = nc;
        }
        z.next_out = out + used;
        z.avail_out = (uInt)(cap - used > 0x7FFFFFFFu ? 0x7FFFFFFFu : cap - used);
        rc = inflate(&z, Z_NO_FLUSH);
        used = (size_t)(z.next_out - out);
        if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) { free(out); out = NULL; cli_fail(path, "corrupt gzip data"); break; }
        if (rc == Z_BUF_ERROR && z.avail_in == 0) { free(out); out = NULL; cli_fail(path, "truncated gzip data"); break; }
    }
    inflateEnd(&z);
    free(raw);
    if (out) *len = used;
    return out;
}

static bool carve(const char *path, struct dataset *out, size_t count, size_t elements, size_t max_samples) {
    if (elements == 0 || count == 0 || count % elements) {
        cli_fail(path, "holds %zu values, not a whole number of samples of %zu values (the model input)", count, elements);
        return false;
    }
    out->samples = count / elements;
    out->elements = elements;
    if (max_samples && out->samples > max_samples) out->samples = max_samples;
    return true;
}

static bool load_npy(const char *path, size_t elements, size_t max_samples, struct dataset *out) {
    struct npy n;
    if (!npy_load(path, &n)) return false;
    if (!carve(path, out, n.count, elements, max_samples)) { npy_free(&n); return false; }
    size_t total = out->samples * elements;
    out->data = malloc(sizeof(float) * (total ? total : 1));
    if (!out->data) { npy_free(&n); cli_fail(path, "out of memory"); return false; }
    for (size_t i = 0; i < total; i++) {
        const void *d = n.data;
        float v;
        switch (n.dtype) {
        case TFLC_DTYPE_FLOAT32: memcpy(&v, (const char *)d + 4 * i, 4); break;
        case TFLC_DTYPE_FLOAT64: { double x; memcpy(&x, (const char *)d + 8 * i, 8); v = (float)x; break; }
        case TFLC_DTYPE_FLOAT16: { uint16_t h; memcpy(&h, (const char *)d + 2 * i, 2); v = tflc_f16_to_f32(h); break; }
        case TFLC_DTYPE_UINT8: v = ((const uint8_t *)d)[i]; break;
        case TFLC_DTYPE_INT8: v = ((const int8_t *)d)[i]; break;
        case TFLC_DTYPE_INT16: { int16_t x; memcpy(&x, (const char *)d + 2 * i, 2); v = x; break; }
        case TFLC_DTYPE_INT32: { int32_t x; memcpy(&x, (const char *)d + 4 * i, 4); v = (float)x; break; }
        case TFLC_DTYPE_INT64: { int64_t x; memcpy(&x, (const char *)d + 8 * i, 8); v = (float)x; break; }
        default: npy_free(&n); free(out->data); out->data = NULL; cli_fail(path, "unsupported .npy dtype %s", tflc_dtype_name(n.dtype)); return false;
        }
        out->data[i] = v;
    }
    npy_free(&n);
    return true;
}

/* idx: magic 00 00 <type> <ndims>, ndims big-endian u32 dims, then data (type 0x08 = ubyte). */
static bool parse_idx(const char *path, const unsigned char *b, size_t len, uint32_t *dims, int *nd, const unsigned char **data) {
    if (len < 4 || b[0] || b[1]) { cli_fail(path, "not an idx file"); return false; }
    if (b[2] != 0x08) { cli_fail(path, "idx element type 0x%02x (only unsigned bytes, 0x08)", b[2]); return false; }
    *nd = b[3];
    if (*nd < 1 || *nd > 4 || len < 4 + 4 * (size_t)*nd) { cli_fail(path, "bad idx header"); return false; }
    size_t n = 1;
    for (int i = 0; i < *nd; i++) {
        const unsigned char *p = b + 4 + 4 * i;
        dims[i] = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
        if (!tflc_mul_size(n, dims[i], &n)) { cli_fail(path, "idx dimensions overflow"); return false; }
    }
    if (n != len - 4 - 4 * (size_t)*nd) { cli_fail(path, "idx header says %zu values, the file holds %zu", n, len - 4 - 4 * (size_t)*nd); return false; }
    *data = b + 4 + 4 * *nd;
    return true;
}

static void normalize(float *v, size_t n, int channels, const struct image_opts *img) {
    float sc = img && img->scale > 0 ? img->scale : 1.0f;
    for (size_t i = 0; i < n; i++) {
        float x = v[i] * sc;
        if (img && img->has_norm) {
            int c = channels > 1 ? (int)(i % (size_t)channels) : 0;
            float sd = img->std[c] != 0 ? img->std[c] : 1.0f;
            x = (x - img->mean[c]) / sd;
        }
        v[i] = x;
    }
}

static bool load_idx(const char *path, size_t elements, size_t max_samples, const struct image_opts *img, struct dataset *out) {
    size_t len;
    unsigned char *b = read_maybe_gz(path, &len);
    if (!b) return false;
    uint32_t dims[4];
    int nd;
    const unsigned char *data;
    bool ok = parse_idx(path, b, len, dims, &nd, &data);
    if (ok) {
        size_t count = 1;
        for (int i = 0; i < nd; i++) count *= dims[i];
        ok = carve(path, out, count, elements, max_samples);
    }
    if (ok) {
        size_t total = out->samples * elements;
        out->data = malloc(sizeof(float) * (total ? total : 1));
        if (!out->data) { cli_fail(path, "out of memory"); ok = false; }
        for (size_t i = 0; ok && i < total; i++) out->data[i] = data[i];
        if (ok) normalize(out->data, total, 1, img);
    }
    free(b);
    return ok;
}

bool dataset_load_labels(const char *path, size_t max_samples, struct dataset *out) {
    if (ends_with(path, ".npy")) {
        struct npy n;
        if (!npy_load(path, &n)) return false;
        size_t cnt = max_samples && n.count > max_samples ? max_samples : n.count;
        out->labels = malloc(sizeof *out->labels * (cnt ? cnt : 1));
        if (!out->labels) { npy_free(&n); return cli_fail(path, "out of memory") == 0; }
        for (size_t i = 0; i < cnt; i++) {
            int64_t v = 0;
            switch (n.dtype) {
            case TFLC_DTYPE_UINT8: v = ((const uint8_t *)n.data)[i]; break;
            case TFLC_DTYPE_INT8: v = ((const int8_t *)n.data)[i]; break;
            case TFLC_DTYPE_INT32: { int32_t x; memcpy(&x, (const char *)n.data + 4 * i, 4); v = x; break; }
            case TFLC_DTYPE_INT64: memcpy(&v, (const char *)n.data + 8 * i, 8); break;
            default:
                npy_free(&n);
                free(out->labels);
                out->labels = NULL;
                cli_fail(path, "labels must be integers");
                return false;
            }
            out->labels[i] = (int32_t)v;
        }
        out->samples = cnt;
        npy_free(&n);
        return true;
    }
    size_t len;
    unsigned char *b = read_maybe_gz(path, &len);
    if (!b) return false;
    uint32_t dims[4];
    int nd;
    const unsigned char *data;
    bool ok = parse_idx(path, b, len, dims, &nd, &data) && (nd == 1 || (cli_fail(path, "labels must be a 1-D idx file"), false));
    if (ok) {
        size_t cnt = dims[0];
        if (max_samples && cnt > max_samples) cnt = max_samples;
        out->labels = malloc(sizeof *out->labels * (cnt ? cnt : 1));
        if (!out->labels) ok = false;
        for (size_t i = 0; ok && i < cnt; i++) out->labels[i] = data[i];
        out->samples = cnt;
    }
    free(b);
    return ok;
}

/* ---- images ---- */

struct jerr { struct jpeg_error_mgr mgr; jmp_buf jb; };
static void jpeg_fail(j_common_ptr c) { longjmp(((struct jerr *)c->err)->jb, 1); }

/* Decodes to 8-bit RGB or gray (*ch). malloc'd pixels or NULL. */
static unsigned char *decode_image(const char *path, int *w, int *h, int *ch) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    unsigned char sig[8] = {0};
    size_t got = fread(sig, 1, 8, f);
    rewind(f);
    unsigned char *px = NULL;
    if (got == 8 && !png_sig_cmp(sig, 0, 8)) {
        png_image im;
        memset(&im, 0, sizeof im);
        im.version = PNG_IMAGE_VERSION;
        if (png_image_begin_read_from_stdio(&im, f)) {
            im.format = (im.format & PNG_FORMAT_FLAG_COLOR) ? PNG_FORMAT_RGB : PNG_FORMAT_GRAY;
            size_t need = PNG_IMAGE_SIZE(im);
            if ((size_t)im.width * im.height <= MAX_IMAGE_PIXELS && (px = malloc(need)) &&
                png_image_finish_read(&im, NULL, px, 0, NULL)) {
                *w = (int)im.width;
                *h = (int)im.height;
                *ch = im.format == PNG_FORMAT_RGB ? 3 : 1;
            } else {
                free(px);
                px = NULL;
            }
        }
        png_image_free(&im);
    } else if (got >= 3 && sig[0] == 0xFF && sig[1] == 0xD8) {
        struct jpeg_decompress_struct ci;
        struct jerr je;
        ci.err = jpeg_std_error(&je.mgr);
        je.mgr.error_exit = jpeg_fail;
        unsigned char *volatile vpx = NULL;
        if (setjmp(je.jb)) {
            free(vpx);
            jpeg_destroy_decompress(&ci);
            fclose(f);
            return NULL;
        }
        jpeg_create_decompress(&ci);
        jpeg_stdio_src(&ci, f);
        jpeg_read_header(&ci, TRUE);
        /* Checked before jpeg_start_decompress, which already allocates by the image size (a
         * progressive JPEG's whole coefficient buffer): a 100-byte file can claim 65500 x 65500. */
        if ((size_t)ci.image_width * ci.image_height > MAX_IMAGE_PIXELS) longjmp(je.jb, 1);
        ci.mem->max_memory_to_use = 1L << 30;
        ci.out_color_space = ci.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
        jpeg_start_decompress(&ci);
        if ((size_t)ci.output_width * ci.output_height > MAX_IMAGE_PIXELS) longjmp(je.jb, 1);
        size_t stride = (size_t)ci.output_width * (size_t)ci.output_components;
        vpx = malloc(stride * ci.output_height);
        if (!vpx) longjmp(je.jb, 1);
        while (ci.output_scanline < ci.output_height) {
            JSAMPROW row = vpx + stride * ci.output_scanline;
            jpeg_read_scanlines(&ci, &row, 1);
        }
        *w = (int)ci.output_width;
        *h = (int)ci.output_height;
        *ch = ci.output_components;
        jpeg_finish_decompress(&ci);
        jpeg_destroy_decompress(&ci);
        px = vpx;
    }
    fclose(f);
    return px;
}

/* Bilinear resize + channel conversion into dst (H x W x C floats, raw 0..255). */
static void resample(const unsigned char *src, int sw, int sh, int sc, float *dst, int dw, int dh, int dc) {
    for (int y = 0; y < dh; y++) {
        float fy = ((float)y + 0.5f) * (float)sh / (float)dh - 0.5f;
        if (fy < 0) fy = 0;
        int y0 = (int)fy, y1 = y0 + 1 < sh ? y0 + 1 : sh - 1;
        float wy = fy - (float)y0;
        for (int x = 0; x < dw; x++) {
            float fx = ((float)x + 0.5f) * (float)sw / (float)dw - 0.5f;
            if (fx < 0) fx = 0;
            int x0 = (int)fx, x1 = x0 + 1 < sw ? x0 + 1 : sw - 1;
            float wx = fx - (float)x0;
            float rgb[3];
            for (int c = 0; c < sc; c++) {
                float a = src[((size_t)y0 * (size_t)sw + (size_t)x0) * (size_t)sc + (size_t)c], b = src[((size_t)y0 * (size_t)sw + (size_t)x1) * (size_t)sc + (size_t)c];
                float cc = src[((size_t)y1 * (size_t)sw + (size_t)x0) * (size_t)sc + (size_t)c], d = src[((size_t)y1 * (size_t)sw + (size_t)x1) * (size_t)sc + (size_t)c];
                rgb[c] = (a * (1 - wx) + b * wx) * (1 - wy) + (cc * (1 - wx) + d * wx) * wy;
            }
            float *o = dst + ((size_t)y * (size_t)dw + (size_t)x) * (size_t)dc;
            if (dc == sc) memcpy(o, rgb, sizeof(float) * (size_t)dc);
            else if (dc == 1) o[0] = 0.299f * rgb[0] + 0.587f * rgb[1] + 0.114f * rgb[2];
            else for (int c = 0; c < 3; c++) o[c] = rgb[0];
        }
    }
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static bool load_images(const char *dir, size_t elements, size_t max_samples, const struct image_opts *img, struct dataset *out) {
    DIR *d = opendir(dir);
    if (!d) { cli_fail(dir, "cannot open the folder"); return false; }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        const char *nm = e->d_name;
        if (!(ends_with(nm, ".png") || ends_with(nm, ".PNG") || ends_with(nm, ".jpg") || ends_with(nm, ".jpeg") || ends_with(nm, ".JPG")))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **nn = realloc(names, cap * sizeof *nn);
            if (!nn) break;
            names = nn;
        }
        if (!(names[n] = strdup(nm))) break;
        n++;
        if (n >= 1000000) break;
    }
    closedir(d);
    if (!n) { free(names); cli_fail(dir, "holds no .png or .jpg images"); return false; }
    qsort(names, n, sizeof *names, cmp_str);
    size_t nnames = n;
    if (max_samples && n > max_samples) n = max_samples;
    int H = img->height, W = img->width, C = img->channels;
    if (C != 0 && C != 1 && C != 3) {
        for (size_t i = 0; i < nnames; i++) free(names[i]);
        free(names);
        cli_fail(dir, "the model input has %d channels; images give 1 (gray) or 3 (RGB)", C);
        return false;
    }
    bool ok = true;
    out->data = NULL;
    for (size_t i = 0; i < n && ok; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        int w, h, ch;
        unsigned char *px = decode_image(path, &w, &h, &ch);
        if (!px) { cli_fail(path, "not a readable PNG or JPEG image"); ok = false; break; }
        if (i == 0) {
            if (!H) { H = h; W = w; }
            if (!C) C = ch;
            size_t per = (size_t)H * (size_t)W * (size_t)C;
            if (per != elements) {
                cli_fail(dir, "images become %dx%dx%d = %zu values, the model input needs %zu (use --image-size H,W)", H, W, C, per, elements);
                free(px);
                ok = false;
                break;
            }
            out->data = malloc(sizeof(float) * per * n);
            if (!out->data) { free(px); cli_fail(dir, "out of memory"); ok = false; break; }
        }
        resample(px, w, h, ch, out->data + i * elements, W, H, C);
        free(px);
    }
    for (size_t i = 0; i < nnames; i++) free(names[i]);
    free(names);
    if (!ok) { free(out->data); out->data = NULL; return false; }
    out->samples = n;
    out->elements = elements;
    normalize(out->data, n * elements, C, img);
    return true;
}

bool dataset_load(const char *path, size_t elements, size_t max_samples, const struct image_opts *img, struct dataset *out) {
    memset(out, 0, sizeof *out);
    struct stat st;
    if (stat(path, &st) != 0) return cli_fail(path, "does not exist") == 0;
    if (S_ISDIR(st.st_mode)) return load_images(path, elements, max_samples, img, out);
    if (ends_with(path, ".npy")) return load_npy(path, elements, max_samples, out);
    return load_idx(path, elements, max_samples, img, out);
}
