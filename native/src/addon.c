/* addon.c — registers cairn_native's functions. NAPI_MODULE_INIT runs once per JS
 * environment (main thread and each worker thread); the addon keeps no global state. */
#include "util.h"

NAPI_MODULE_INIT() {
  if (!cdc_init(env, exports) || !peercred_init(env, exports) ||
      !sd_notify_init(env, exports) || !fsmeta_init(env, exports) ||
      !malloc_init(env, exports) || !read_small_init(env, exports) ||
      !prefetch_init(env, exports))
    return NULL;
  return exports;
}
