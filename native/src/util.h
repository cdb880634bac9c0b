/* util.h — helpers shared by the addon's sources: Node-style errno errors and argument
 * conversion. Every function returns NULL (or -1/false) with a pending JS exception on
 * failure, so a caller only has to return NULL. No global state: safe in worker threads. */
#ifndef CAIRN_UTIL_H
#define CAIRN_UTIL_H

#include <node_api.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Throws Error like Node's fs errors: message "CODE: description, syscall 'path'", and
 * properties code ('ENOENT'), errno (negative, as libuv and Node report it), syscall and,
 * when path is not NULL, path (the JS value the caller passed: Buffer or string). */
void throw_errno(napi_env env, int err, const char *syscall, napi_value path);

/* Throws TypeError / RangeError with code ERR_INVALID_ARG_TYPE / ERR_OUT_OF_RANGE. */
void throw_type(napi_env env, const char *message);
void throw_range(napi_env env, const char *message);

/* A NUL-terminated copy of a path argument (Buffer, Uint8Array or string). Rejects an
 * embedded NUL byte. The result must be released with free(). */
char *arg_path(napi_env env, napi_value v, const char *name);

/* Bytes of a Buffer/Uint8Array argument (not copied; valid during the call). */
bool arg_bytes(napi_env env, napi_value v, const char *name, uint8_t **data, size_t *len);

/* Integer arguments; numbers must be integers within range, bigints lossless. */
bool arg_int32(napi_env env, napi_value v, const char *name, int32_t *out);
bool arg_uint32(napi_env env, napi_value v, const char *name, uint32_t *out);
bool arg_int64(napi_env env, napi_value v, const char *name, int64_t *out); /* safe integer */
bool arg_bigint_i64(napi_env env, napi_value v, const char *name, int64_t *out);
bool arg_bigint_u64(napi_env env, napi_value v, const char *name, uint64_t *out);
bool arg_bool(napi_env env, napi_value v, const char *name, bool *out);

/* Fetches exactly `want` arguments (missing ones are undefined). Returns false on failure. */
bool get_args(napi_env env, napi_callback_info info, size_t want, napi_value *argv, void **data);

/* Registers one function as a property of exports. */
bool export_fn(napi_env env, napi_value exports, const char *name, napi_callback cb);

/* Per-source registration, called from addon.c. */
bool cdc_init(napi_env env, napi_value exports);
bool peercred_init(napi_env env, napi_value exports);
bool sd_notify_init(napi_env env, napi_value exports);
bool malloc_init(napi_env env, napi_value exports);
bool fsmeta_init(napi_env env, napi_value exports);
bool xattr_init(napi_env env, napi_value exports); /* called by fsmeta_init */
bool read_small_init(napi_env env, napi_value exports);
bool prefetch_init(napi_env env, napi_value exports);

#endif
