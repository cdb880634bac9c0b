/* util.c — Node-style errno errors and argument conversion for the addon (see util.h). */
#include "util.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *errno_name(int err, char *buf, size_t len) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char *name = strerrorname_np(err);
  if (name != NULL) return name;
#endif
  snprintf(buf, len, "E%d", err);
  return buf;
}

void throw_errno(napi_env env, int err, const char *syscall, napi_value path) {
  char namebuf[16];
  char descbuf[128];
  const char *name = errno_name(err, namebuf, sizeof namebuf);
  const char *desc = strerror_r(err, descbuf, sizeof descbuf);

  /* The path's bytes go into the message as they are; V8 replaces invalid UTF-8. */
  char *pathstr = NULL;
  if (path != NULL) pathstr = arg_path(env, path, "path");
  if (pathstr == NULL) {
    bool pending = false;
    napi_is_exception_pending(env, &pending);
    if (pending) {
      napi_value ignored;
      napi_get_and_clear_last_exception(env, &ignored);
    }
  }
  size_t msglen = strlen(name) + strlen(desc) + strlen(syscall) + (pathstr ? strlen(pathstr) : 0) + 16;
  char *msg = malloc(msglen);
  if (msg == NULL) {
    free(pathstr);
    napi_throw_error(env, "ENOMEM", "out of memory");
    return;
  }
  if (pathstr != NULL)
    snprintf(msg, msglen, "%s: %s, %s '%s'", name, desc, syscall, pathstr);
  else
    snprintf(msg, msglen, "%s: %s, %s", name, desc, syscall);
  free(pathstr);

  napi_value code_v, msg_v, error, errno_v, syscall_v;
  napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &code_v);
  napi_create_string_utf8(env, msg, NAPI_AUTO_LENGTH, &msg_v);
  free(msg);
  napi_create_error(env, code_v, msg_v, &error);
  napi_create_int32(env, -err, &errno_v);
  napi_set_named_property(env, error, "errno", errno_v);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_v);
  napi_set_named_property(env, error, "syscall", syscall_v);
  if (path != NULL) napi_set_named_property(env, error, "path", path);
  napi_throw(env, error);
}

void throw_type(napi_env env, const char *message) {
  napi_throw_type_error(env, "ERR_INVALID_ARG_TYPE", message);
}

void throw_range(napi_env env, const char *message) {
  napi_throw_range_error(env, "ERR_OUT_OF_RANGE", message);
}

static void throw_arg(napi_env env, bool range, const char *name, const char *what) {
  char buf[160];
  snprintf(buf, sizeof buf, "The \"%s\" argument must be %s", name, what);
  if (range) throw_range(env, buf);
  else throw_type(env, buf);
}

bool arg_bytes(napi_env env, napi_value v, const char *name, uint8_t **data, size_t *len) {
  bool is_ta = false;
  if (napi_is_typedarray(env, v, &is_ta) != napi_ok || !is_ta) {
    throw_arg(env, false, name, "a Buffer or Uint8Array");
    return false;
  }
  napi_typedarray_type type;
  void *p = NULL;
  size_t n = 0;
  if (napi_get_typedarray_info(env, v, &type, &n, &p, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    throw_arg(env, false, name, "a Buffer or Uint8Array");
    return false;
  }
  *data = n > 0 ? p : (uint8_t *)"";
  *len = n;
  return true;
}

char *arg_path(napi_env env, napi_value v, const char *name) {
  napi_valuetype t;
  if (napi_typeof(env, v, &t) != napi_ok) return NULL;
  char *out = NULL;
  size_t n = 0;
  if (t == napi_string) {
    if (napi_get_value_string_utf8(env, v, NULL, 0, &n) != napi_ok) return NULL;
    out = malloc(n + 1);
    if (out == NULL) { napi_throw_error(env, "ENOMEM", "out of memory"); return NULL; }
    napi_get_value_string_utf8(env, v, out, n + 1, &n);
  } else {
    uint8_t *data;
    bool is_ta = false;
    napi_is_typedarray(env, v, &is_ta);
    if (!is_ta) { throw_arg(env, false, name, "a string or Buffer"); return NULL; }
    if (!arg_bytes(env, v, name, &data, &n)) return NULL;
    out = malloc(n + 1);
    if (out == NULL) { napi_throw_error(env, "ENOMEM", "out of memory"); return NULL; }
    memcpy(out, data, n);
    out[n] = '\0';
  }
  if (memchr(out, '\0', n) != NULL) {
    free(out);
    napi_throw_type_error(env, "ERR_INVALID_ARG_VALUE",
                          "The path argument must not contain null bytes");
    return NULL;
  }
  return out;
}

static bool arg_integer(napi_env env, napi_value v, const char *name, double lo, double hi, double *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_number) { throw_arg(env, false, name, "of type number"); return false; }
  double d;
  napi_get_value_double(env, v, &d);
  if (!(d >= lo && d <= hi) || d != floor(d)) {
    throw_arg(env, true, name, "an integer in range");
    return false;
  }
  *out = d;
  return true;
}

bool arg_int32(napi_env env, napi_value v, const char *name, int32_t *out) {
  double d;
  if (!arg_integer(env, v, name, -2147483648.0, 2147483647.0, &d)) return false;
  *out = (int32_t)d;
  return true;
}

bool arg_uint32(napi_env env, napi_value v, const char *name, uint32_t *out) {
  double d;
  if (!arg_integer(env, v, name, 0.0, 4294967295.0, &d)) return false;
  *out = (uint32_t)d;
  return true;
}

bool arg_int64(napi_env env, napi_value v, const char *name, int64_t *out) {
  double d;
  if (!arg_integer(env, v, name, -9007199254740991.0, 9007199254740991.0, &d)) return false;
  *out = (int64_t)d;
  return true;
}

bool arg_bigint_i64(napi_env env, napi_value v, const char *name, int64_t *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_bigint) { throw_arg(env, false, name, "of type bigint"); return false; }
  bool lossless = false;
  napi_get_value_bigint_int64(env, v, out, &lossless);
  if (!lossless) { throw_arg(env, true, name, "a signed 64-bit integer"); return false; }
  return true;
}

bool arg_bigint_u64(napi_env env, napi_value v, const char *name, uint64_t *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_bigint) { throw_arg(env, false, name, "of type bigint"); return false; }
  bool lossless = false;
  napi_get_value_bigint_uint64(env, v, out, &lossless);
  if (!lossless) { throw_arg(env, true, name, "an unsigned 64-bit integer"); return false; }
  return true;
}

bool arg_bool(napi_env env, napi_value v, const char *name, bool *out) {
  napi_valuetype t;
  napi_typeof(env, v, &t);
  if (t != napi_boolean) { throw_arg(env, false, name, "of type boolean"); return false; }
  napi_get_value_bool(env, v, out);
  return true;
}

bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, void **data) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, data) != napi_ok) return false;
  napi_value undef;
  napi_get_undefined(env, &undef);
  for (size_t i = argc; i < want; i++) argv[i] = undef;
  return true;
}

bool export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb) {
  napi_value fn;
  if (napi_create_function(env, name, NAPI_AUTO_LENGTH, cb, NULL, &fn) != napi_ok) return false;
  return napi_set_named_property(env, exports, name, fn) == napi_ok;
}
