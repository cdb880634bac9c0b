/* read-small.c — backup's small-file reader: a batch of whole files read on libuv's thread
 * pool (napi async work), each opened without following a symlink (and without touching
 * its atime where allowed), stat'ed, read, stat'ed again and closed, its keyed id
 * (HMAC-SHA256 with the repository's id key) computed on the same thread. No JS runs per
 * file and no JS isolate is needed for the I/O, so many batches can wait on the disk at once.
 *
 * readSmall(paths, ends, limit, idKey, out, lens, stamps, flags, errnos, ids) -> Promise<used>
 *   paths   Uint8Array: the paths back to back, file i is paths[ends[i-1] .. ends[i])
 *   ends    Uint32Array(n)
 *   limit   a file of `limit` bytes or more is not read (flag GREW)
 *   idKey   32 bytes
 *   out     Uint8Array: the contents land here back to back, in order; a file that does
 *           not fit in what is left is not read (flag NOROOM)
 *   lens    Uint32Array(n): bytes read; stamps BigInt64Array(4n): size, mtime ns, ctime ns,
 *           inode as first stat'ed; flags Uint8Array(n); errnos Int32Array(n): errno of a
 *           failed call (0 when none); ids Uint8Array(32n)
 * The typed arrays are written from another thread until the promise settles: the caller
 * must not touch them (nor transfer them) before. Resolves to the bytes of `out` used. */
#define OPENSSL_SUPPRESS_DEPRECATED /* SHA256_* with a precomputed HMAC key state */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { STABLE = 1, GREW = 2, NOROOM = 4, NOTREG = 8 };
enum { NARGS = 10 };

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  napi_ref refs[NARGS];
  uint8_t *paths;
  size_t paths_len;
  uint32_t *ends;
  size_t n;
  uint64_t limit;
  SHA256_CTX inner, outer; /* HMAC key state after the ipad / opad block */
  uint8_t *out;
  size_t cap, used;
  uint32_t *lens;
  int64_t *stamps;
  uint8_t *flags;
  int32_t *errnos;
  uint8_t *ids;
} Batch;

static int64_t ns(struct timespec t) {
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static int open_quiet(const char *path) {
  int fd;
  do fd = open(path, O_RDONLY | O_NOFOLLOW | O_NOATIME | O_NONBLOCK | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  /* O_NOATIME is refused for files we do not own unless privileged */
  if (fd < 0 && errno == EPERM) {
    do fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    while (fd < 0 && errno == EINTR);
  }
  return fd;
}

/* One file; returns 0 or an errno. */
static int read_one(Batch *b, size_t i, const char *path) {
  int fd = open_quiet(path);
  if (fd < 0) return errno;
  int err = 0;
  struct stat before, after;
  if (fstat(fd, &before) != 0) {
    err = errno;
    goto done;
  }
  if (!S_ISREG(before.st_mode)) { /* replaced since the scan (O_NONBLOCK: a fifo does not hang us) */
    b->flags[i] = NOTREG;
    goto done;
  }
  if ((uint64_t)before.st_size >= b->limit) {
    b->flags[i] = GREW;
    goto done;
  }
  size_t size = (size_t)before.st_size;
  if (size > b->cap - b->used) {
    b->flags[i] = NOROOM;
    goto done;
  }
  uint8_t *dst = b->out + b->used;
  size_t got = 0;
  while (got < size) {
    ssize_t r = pread(fd, dst + got, size - got, (off_t)got);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      err = errno;
      goto done;
    }
    if (r == 0) break;
    got += (size_t)r;
  }
  if (fstat(fd, &after) != 0) {
    err = errno;
    goto done;
  }
  bool stable = got == size && after.st_size == before.st_size && ns(after.st_mtim) == ns(before.st_mtim) &&
                ns(after.st_ctim) == ns(before.st_ctim);
  SHA256_CTX c = b->inner;
  uint8_t inner[32];
  SHA256_Update(&c, dst, got);
  SHA256_Final(inner, &c);
  c = b->outer;
  SHA256_Update(&c, inner, sizeof inner);
  SHA256_Final(b->ids + i * 32, &c);
  b->lens[i] = (uint32_t)got;
  b->stamps[i * 4] = (int64_t)before.st_size;
  b->stamps[i * 4 + 1] = ns(before.st_mtim);
  b->stamps[i * 4 + 2] = ns(before.st_ctim);
  b->stamps[i * 4 + 3] = (int64_t)before.st_ino;
  b->flags[i] = stable ? STABLE : 0;
  b->used += got;
done:
  close(fd);
  return err;
}

static void execute(napi_env env, void *data) {
  (void)env;
  Batch *b = data;
  char *path = malloc(b->paths_len + 1);
  if (path == NULL) {
    for (size_t i = 0; i < b->n; i++) b->errnos[i] = ENOMEM;
    return;
  }
  for (size_t i = 0, start = 0; i < b->n; start = b->ends[i], i++) {
    size_t len = b->ends[i] - start;
    memcpy(path, b->paths + start, len);
    path[len] = 0;
    b->errnos[i] = 0;
    b->flags[i] = 0;
    b->lens[i] = 0;
    if (len == 0 || memchr(path, 0, len) != NULL) {
      b->errnos[i] = EINVAL;
      continue;
    }
    b->errnos[i] = read_one(b, i, path);
  }
  free(path);
}

static void complete(napi_env env, napi_status status, void *data) {
  Batch *b = data;
  napi_value v;
  if (status == napi_ok) {
    napi_create_double(env, (double)b->used, &v);
    napi_resolve_deferred(env, b->deferred, v);
  } else {
    napi_value msg;
    napi_create_string_utf8(env, "readSmall: the batch was cancelled", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &v);
    napi_reject_deferred(env, b->deferred, v);
  }
  for (int k = 0; k < NARGS; k++)
    if (b->refs[k] != NULL) napi_delete_reference(env, b->refs[k]);
  napi_delete_async_work(env, b->work);
  free(b);
}

/* The data of typed array `v` of the given type and element count (count ignored if SIZE_MAX). */
static void *arg_array(napi_env env, napi_value v, const char *name, napi_typedarray_type want, size_t count,
                       size_t *len) {
  bool is_ta = false;
  napi_typedarray_type type;
  size_t length;
  void *data;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta ||
      napi_get_typedarray_info(env, v, &type, &length, &data, NULL, NULL) != napi_ok || type != want ||
      (count != SIZE_MAX && length != count)) {
    char msg[128];
    snprintf(msg, sizeof msg, "readSmall: \"%s\" has the wrong type or length", name);
    throw_type(env, msg);
    return NULL;
  }
  if (len != NULL) *len = length;
  /* An empty array may have no storage at all; never handed a NULL pointer to use. */
  static uint8_t empty;
  return data != NULL ? data : &empty;
}

static napi_value do_read_small(napi_env env, napi_callback_info info) {
  napi_value argv[NARGS];
  if (!get_args(env, info, NARGS, argv, NULL)) return NULL;
  Batch *b = calloc(1, sizeof *b);
  if (b == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  uint8_t *key;
  size_t key_len;
  int64_t limit;
  size_t n;
  if (!(b->paths = arg_array(env, argv[0], "paths", napi_uint8_array, SIZE_MAX, &b->paths_len)) ||
      !(b->ends = arg_array(env, argv[1], "ends", napi_uint32_array, SIZE_MAX, &n)) ||
      !arg_int64(env, argv[2], "limit", &limit) ||
      !(key = arg_array(env, argv[3], "idKey", napi_uint8_array, 32, &key_len)) ||
      !(b->out = arg_array(env, argv[4], "out", napi_uint8_array, SIZE_MAX, &b->cap)) ||
      !(b->lens = arg_array(env, argv[5], "lens", napi_uint32_array, n, NULL)) ||
      !(b->stamps = arg_array(env, argv[6], "stamps", napi_bigint64_array, n * 4, NULL)) ||
      !(b->flags = arg_array(env, argv[7], "flags", napi_uint8_array, n, NULL)) ||
      !(b->errnos = arg_array(env, argv[8], "errnos", napi_int32_array, n, NULL)) ||
      !(b->ids = arg_array(env, argv[9], "ids", napi_uint8_array, n * 32, NULL))) {
    free(b);
    return NULL;
  }
  b->n = n;
  if (limit < 0) {
    free(b);
    throw_range(env, "readSmall: limit must not be negative");
    return NULL;
  }
  b->limit = (uint64_t)limit;
  for (size_t i = 0, start = 0; i < n; start = b->ends[i], i++) {
    if (b->ends[i] < start || b->ends[i] > b->paths_len) {
      free(b);
      throw_range(env, "readSmall: ends must rise and stay within paths");
      return NULL;
    }
  }
  /* HMAC key state: SHA-256 of (key ^ ipad) and (key ^ opad), a key of 32 bytes padded to 64. */
  uint8_t pad[64];
  memset(pad, 0x36, sizeof pad);
  for (size_t k = 0; k < 32; k++) pad[k] ^= key[k];
  SHA256_Init(&b->inner);
  SHA256_Update(&b->inner, pad, sizeof pad);
  memset(pad, 0x5c, sizeof pad);
  for (size_t k = 0; k < 32; k++) pad[k] ^= key[k];
  SHA256_Init(&b->outer);
  SHA256_Update(&b->outer, pad, sizeof pad);

  napi_value promise, name;
  bool ok = napi_create_promise(env, &b->deferred, &promise) == napi_ok;
  for (int k = 0; ok && k < NARGS; k++) {
    napi_valuetype t;
    napi_typeof(env, argv[k], &t);
    if (t == napi_object) ok = napi_create_reference(env, argv[k], 1, &b->refs[k]) == napi_ok;
  }
  ok = ok && napi_create_string_utf8(env, "cairn.readSmall", NAPI_AUTO_LENGTH, &name) == napi_ok &&
       napi_create_async_work(env, NULL, name, execute, complete, b, &b->work) == napi_ok &&
       napi_queue_async_work(env, b->work) == napi_ok;
  if (!ok) {
    /* Cannot happen short of running out of memory; leave nothing dangling. */
    for (int k = 0; k < NARGS; k++)
      if (b->refs[k] != NULL) napi_delete_reference(env, b->refs[k]);
    if (b->work != NULL) napi_delete_async_work(env, b->work);
    free(b);
    napi_throw_error(env, NULL, "readSmall: could not queue the batch");
    return NULL;
  }
  return promise;
}

bool read_small_init(napi_env env, napi_value exports) {
  return export_fn(env, exports, "readSmall", do_read_small);
}
