/* cdc.c — FastCDC split points ("fastcdc2", DESIGN §3), normalisation level 2.
 *   createChunker(gear, min, avg, max, maskS, maskL) -> { cuts(buf, final) -> Uint32Array }
 * A chunk starting at s with n bytes after it: n <= min is one chunk (only when final);
 * otherwise the first `min` bytes are skipped, the gear hash h = (h << 1) + gear[byte]
 * runs from there, cutting after the first byte where (h & maskS) == 0 before `avg` bytes
 * or (h & maskL) == 0 after, and at min(n, max) when neither hits (when final, or the
 * limit is max). daemon/chunking/reference-cuts.ts is the same algorithm in TypeScript. */
#include "util.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  uint64_t gear[256];
  uint64_t mask_s;
  uint64_t mask_l;
  size_t min;
  size_t avg;
  size_t max;
} cdc_config;

/* End (exclusive, relative to p) of the chunk at p with `limit` bytes scanned at most
 * (limit > c->min), or 0 when no hash cut lies within the limit. */
static size_t find_cut(const cdc_config *c, const uint8_t *p, size_t limit) {
  const uint64_t *gear = c->gear;
  const uint64_t mask_s = c->mask_s, mask_l = c->mask_l;
  size_t normal = c->avg < limit ? c->avg : limit;
  uint64_t h = 0;
  size_t i = c->min;
  for (; i < normal; i++) {
    h = (h << 1) + gear[p[i]];
    if ((h & mask_s) == 0) return i + 1;
  }
  for (; i < limit; i++) {
    h = (h << 1) + gear[p[i]];
    if ((h & mask_l) == 0) return i + 1;
  }
  return 0;
}

static napi_value cuts(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  void *data;
  if (!get_args(env, info, 2, argv, &data)) return NULL;
  const cdc_config *c = data;
  uint8_t *buf;
  size_t len;
  bool final;
  if (!arg_bytes(env, argv[0], "buf", &buf, &len) || !arg_bool(env, argv[1], "final", &final))
    return NULL;
  if (len > UINT32_MAX) {
    throw_range(env, "cuts: buffers are limited to 4 GiB - 1 bytes");
    return NULL;
  }

  /* Every chunk but a final short one is longer than min: this bounds the count. */
  size_t cap = len / (c->min + 1) + 1;
  uint32_t *out = malloc(cap * sizeof *out);
  if (out == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  size_t count = 0, s = 0;
  while (s < len) {
    size_t n = len - s, end;
    if (n <= c->min) {
      if (!final) break;
      end = n;
    } else {
      size_t limit = n < c->max ? n : c->max;
      end = find_cut(c, buf + s, limit);
      if (end == 0) {
        if (limit != c->max && !final) break;
        end = limit;
      }
    }
    s += end;
    out[count++] = (uint32_t)s;
  }

  napi_value ab, result;
  void *ab_data = NULL;
  if (napi_create_arraybuffer(env, count * sizeof *out, &ab_data, &ab) != napi_ok) {
    free(out);
    return NULL;
  }
  if (count > 0) memcpy(ab_data, out, count * sizeof *out);
  free(out);
  if (napi_create_typedarray(env, napi_uint32_array, count, ab, 0, &result) != napi_ok) return NULL;
  return result;
}

static void free_config(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  free(data);
}

static napi_value create_chunker(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv, NULL)) return NULL;
  uint8_t *gear;
  size_t gear_len;
  uint32_t min, avg, max;
  uint64_t mask_s, mask_l;
  if (!arg_bytes(env, argv[0], "gear", &gear, &gear_len) ||
      !arg_uint32(env, argv[1], "min", &min) || !arg_uint32(env, argv[2], "avg", &avg) ||
      !arg_uint32(env, argv[3], "max", &max) ||
      !arg_bigint_u64(env, argv[4], "maskS", &mask_s) ||
      !arg_bigint_u64(env, argv[5], "maskL", &mask_l))
    return NULL;
  if (gear_len != 2048) {
    throw_range(env, "createChunker: the gear table must be 2048 bytes");
    return NULL;
  }
  if (!(min <= avg && avg <= max && max > 0)) {
    throw_range(env, "createChunker: need min <= avg <= max and max > 0");
    return NULL;
  }

  cdc_config *c = malloc(sizeof *c);
  if (c == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  for (int k = 0; k < 256; k++) {
    const uint8_t *b = gear + 8 * k;
    uint64_t v = 0;
    for (int j = 0; j < 8; j++) v = (v << 8) | b[j];
    c->gear[k] = v;
  }
  c->mask_s = mask_s;
  c->mask_l = mask_l;
  c->min = min;
  c->avg = avg;
  c->max = max;

  /* The config lives as long as the `cuts` function that reads it. */
  napi_value fn, obj;
  if (napi_create_function(env, "cuts", NAPI_AUTO_LENGTH, cuts, c, &fn) != napi_ok) {
    free(c);
    return NULL;
  }
  if (napi_add_finalizer(env, fn, c, free_config, NULL, NULL) != napi_ok) {
    free(c);
    return NULL;
  }
  if (napi_create_object(env, &obj) != napi_ok ||
      napi_set_named_property(env, obj, "cuts", fn) != napi_ok)
    return NULL;
  return obj;
}

bool cdc_init(napi_env env, napi_value exports) {
  return export_fn(env, exports, "createChunker", create_chunker);
}
