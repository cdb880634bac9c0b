/* xattr.c — extended attributes for the walker and restore:
 *   lgetxattrs(path) / fgetxattrs(fd) -> [[name, value], ...] sorted by name bytes,
 *     [] when the file system does not support them (ENOTSUP) or has none (ENODATA);
 *   lsetxattr(path, name, value) / fsetxattr(fd, name, value).
 * Paths are not followed when they are symlinks. Part of fsmeta (registered there). */
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>

typedef struct {
  const char *path; /* NULL: use fd */
  int fd;
} target;

static ssize_t t_list(const target *t, char *buf, size_t n) {
  return t->path ? llistxattr(t->path, buf, n) : flistxattr(t->fd, buf, n);
}

static ssize_t t_get(const target *t, const char *name, void *buf, size_t n) {
  return t->path ? lgetxattr(t->path, name, buf, n) : fgetxattr(t->fd, name, buf, n);
}

typedef struct {
  const char *name;
  size_t len;
} name_ref;

static int cmp_names(const void *a, const void *b) {
  const name_ref *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->name, y->name, n);
  if (c != 0) return c;
  return x->len < y->len ? -1 : x->len > y->len ? 1 : 0;
}

static bool is_none(int err) {
  return err == ENOTSUP || err == ENODATA;
}

/* The list of names, NUL-separated, in *out (malloc'd) with its length; 0 when none. */
static bool list_names(napi_env env, const target *t, napi_value path_v, char **out, size_t *out_len) {
  const char *syscall = t->path ? "llistxattr" : "flistxattr";
  *out = NULL;
  *out_len = 0;
  for (;;) {
    ssize_t n = t_list(t, NULL, 0);
    if (n < 0) {
      if (is_none(errno)) return true;
      throw_errno(env, errno, syscall, path_v);
      return false;
    }
    if (n == 0) return true;
    char *buf = malloc((size_t)n);
    if (buf == NULL) {
      napi_throw_error(env, "ENOMEM", "out of memory");
      return false;
    }
    ssize_t m = t_list(t, buf, (size_t)n);
    if (m < 0) {
      int err = errno;
      free(buf);
      if (err == ERANGE) continue; /* grew in between */
      if (is_none(err)) return true;
      throw_errno(env, err, syscall, path_v);
      return false;
    }
    *out = buf;
    *out_len = (size_t)m;
    return true;
  }
}

/* One value as a new Buffer in *value, or *value = NULL when the name vanished. */
static bool get_value(napi_env env, const target *t, napi_value path_v, const char *name, napi_value *value) {
  const char *syscall = t->path ? "lgetxattr" : "fgetxattr";
  *value = NULL;
  for (;;) {
    ssize_t n = t_get(t, name, NULL, 0);
    if (n < 0) {
      if (is_none(errno)) return true;
      throw_errno(env, errno, syscall, path_v);
      return false;
    }
    char *buf = malloc(n > 0 ? (size_t)n : 1);
    if (buf == NULL) {
      napi_throw_error(env, "ENOMEM", "out of memory");
      return false;
    }
    ssize_t m = t_get(t, name, buf, (size_t)n);
    if (m < 0) {
      int err = errno;
      free(buf);
      if (err == ERANGE) continue;
      if (is_none(err)) return true;
      throw_errno(env, err, syscall, path_v);
      return false;
    }
    bool ok = napi_create_buffer_copy(env, (size_t)m, buf, NULL, value) == napi_ok;
    free(buf);
    return ok;
  }
}

static napi_value get_all(napi_env env, const target *t, napi_value path_v) {
  char *names;
  size_t len;
  if (!list_names(env, t, path_v, &names, &len)) return NULL;
  size_t count = 0;
  for (size_t i = 0; i < len; i++)
    if (names[i] == '\0') count++;
  name_ref *refs = malloc((count > 0 ? count : 1) * sizeof *refs);
  if (refs == NULL) {
    free(names);
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  size_t k = 0;
  for (size_t i = 0; i < len && k < count;) {
    size_t l = strlen(names + i);
    if (l > 0) refs[k++] = (name_ref){names + i, l};
    i += l + 1;
  }
  count = k;
  qsort(refs, count, sizeof *refs, cmp_names);

  napi_value result = NULL, arr;
  if (napi_create_array(env, &arr) != napi_ok) goto done;
  uint32_t out = 0;
  for (size_t i = 0; i < count; i++) {
    napi_value value, name, pair;
    if (!get_value(env, t, path_v, refs[i].name, &value)) goto done;
    if (value == NULL) continue;
    if (napi_create_buffer_copy(env, refs[i].len, refs[i].name, NULL, &name) != napi_ok ||
        napi_create_array_with_length(env, 2, &pair) != napi_ok ||
        napi_set_element(env, pair, 0, name) != napi_ok ||
        napi_set_element(env, pair, 1, value) != napi_ok ||
        napi_set_element(env, arr, out++, pair) != napi_ok)
      goto done;
  }
  result = arr;
done:
  free(refs);
  free(names);
  return result;
}

static napi_value do_lgetxattrs(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, NULL)) return NULL;
  char *path = arg_path(env, argv[0], "path");
  if (path == NULL) return NULL;
  target t = {path, -1};
  napi_value result = get_all(env, &t, argv[0]);
  free(path);
  return result;
}

static napi_value do_fgetxattrs(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, NULL)) return NULL;
  int32_t fd;
  if (!arg_int32(env, argv[0], "fd", &fd)) return NULL;
  target t = {NULL, fd};
  return get_all(env, &t, NULL);
}

/* Reads name (Buffer, no NUL) and value (Buffer) from argv; name is malloc'd. */
static bool name_value(napi_env env, napi_value *argv, char **name, uint8_t **value, size_t *value_len) {
  if (!arg_bytes(env, argv[1], "value", value, value_len)) return false;
  *name = arg_path(env, argv[0], "name");
  return *name != NULL;
}

static napi_value do_lsetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, NULL)) return NULL;
  char *name;
  uint8_t *value;
  size_t value_len;
  if (!name_value(env, argv + 1, &name, &value, &value_len)) return NULL;
  char *path = arg_path(env, argv[0], "path");
  if (path == NULL) {
    free(name);
    return NULL;
  }
  int rc = lsetxattr(path, name, value, value_len, 0);
  int err = errno;
  free(path);
  free(name);
  if (rc != 0) throw_errno(env, err, "lsetxattr", argv[0]);
  return NULL;
}

static napi_value do_fsetxattr(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, NULL)) return NULL;
  int32_t fd;
  char *name;
  uint8_t *value;
  size_t value_len;
  if (!arg_int32(env, argv[0], "fd", &fd) || !name_value(env, argv + 1, &name, &value, &value_len))
    return NULL;
  int rc = fsetxattr(fd, name, value, value_len, 0);
  int err = errno;
  free(name);
  if (rc != 0) throw_errno(env, err, "fsetxattr", NULL);
  return NULL;
}

bool xattr_init(napi_env env, napi_value exports) {
  return export_fn(env, exports, "lgetxattrs", do_lgetxattrs) &&
         export_fn(env, exports, "fgetxattrs", do_fgetxattrs) &&
         export_fn(env, exports, "lsetxattr", do_lsetxattr) &&
         export_fn(env, exports, "fsetxattr", do_fsetxattr);
}
