/* malloc.c — the C allocator's settings, which Node cannot reach (glibc only):
 *   mallocTune(arenaMax, mmapThreshold) -> boolean: mallopt(M_ARENA_MAX) and a fixed
 *     M_MMAP_THRESHOLD (fixing it also stops glibc raising it after each free of a big
 *     block, which otherwise moves multi-MiB buffers into arenas that never shrink);
 *     0 leaves a setting alone. Call once, first thing, before threads allocate.
 *   mallocTrim() -> boolean: malloc_trim(0), giving free arena pages back to the kernel
 *     (the daemon calls it when a job ends).
 * Both are no-ops returning false on a C library without them (musl). */
#include "util.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

static napi_value malloc_tune(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv, NULL)) return NULL;
  uint32_t arena_max = 0, mmap_threshold = 0;
  if (!arg_uint32(env, argv[0], "arenaMax", &arena_max)) return NULL;
  if (!arg_uint32(env, argv[1], "mmapThreshold", &mmap_threshold)) return NULL;
  bool ok = false;
#if defined(__GLIBC__)
  ok = true;
  if (arena_max > 0) ok = mallopt(M_ARENA_MAX, (int)arena_max) == 1 && ok;
  if (mmap_threshold > 0) ok = mallopt(M_MMAP_THRESHOLD, (int)mmap_threshold) == 1 && ok;
#endif
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

static napi_value malloc_trim_fn(napi_env env, napi_callback_info info) {
  (void)info;
  bool ok = false;
#if defined(__GLIBC__)
  malloc_trim(0);
  ok = true;
#endif
  napi_value result;
  napi_get_boolean(env, ok, &result);
  return result;
}

bool malloc_init(napi_env env, napi_value exports) {
  return export_fn(env, exports, "mallocTune", malloc_tune) && export_fn(env, exports, "mallocTrim", malloc_trim_fn);
}
