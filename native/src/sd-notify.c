/* sd-notify.c — sdNotify(state, socketPath) -> boolean: one datagram to systemd's
 * $NOTIFY_SOCKET (native/index.ts passes process.env.NOTIFY_SOCKET). false when the path
 * is unset or empty; '@name' is an abstract socket; sending failures throw. */
#include "util.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static napi_value sd_notify(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv, NULL)) return NULL;
  uint8_t *state = NULL;
  size_t state_len = 0;
  napi_valuetype t;
  napi_typeof(env, argv[0], &t);
  if (t != napi_string) {
    throw_type(env, "The \"state\" argument must be of type string");
    return NULL;
  }
  napi_typeof(env, argv[1], &t);
  napi_value result;
  if (t == napi_undefined || t == napi_null) {
    napi_get_boolean(env, false, &result);
    return result;
  }
  if (t != napi_string) {
    throw_type(env, "The \"socketPath\" argument must be of type string");
    return NULL;
  }
  char *path = arg_path(env, argv[1], "socketPath");
  if (path == NULL) return NULL;
  size_t path_len = strlen(path);
  if (path_len == 0) {
    free(path);
    napi_get_boolean(env, false, &result);
    return result;
  }

  struct sockaddr_un addr;
  memset(&addr, 0, sizeof addr);
  addr.sun_family = AF_UNIX;
  int bad = path[0] != '/' && path[0] != '@' ? EAFNOSUPPORT
            : path_len >= sizeof addr.sun_path ? ENAMETOOLONG : 0;
  if (bad != 0) {
    free(path);
    throw_errno(env, bad, "sendto", argv[1]);
    return NULL;
  }
  memcpy(addr.sun_path, path, path_len);
  if (path[0] == '@') addr.sun_path[0] = '\0';
  socklen_t addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path_len);
  free(path);

  size_t n = 0;
  napi_get_value_string_utf8(env, argv[0], NULL, 0, &n);
  state = malloc(n + 1);
  if (state == NULL) {
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  napi_get_value_string_utf8(env, argv[0], (char *)state, n + 1, &state_len);

  int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    int err = errno;
    free(state);
    throw_errno(env, err, "socket", NULL);
    return NULL;
  }
  ssize_t sent;
  do {
    sent = sendto(fd, state, state_len, MSG_NOSIGNAL, (struct sockaddr *)&addr, addr_len);
  } while (sent < 0 && errno == EINTR);
  int err = errno;
  close(fd);
  free(state);
  if (sent < 0) {
    throw_errno(env, err, "sendto", argv[1]);
    return NULL;
  }
  napi_get_boolean(env, true, &result);
  return result;
}

bool sd_notify_init(napi_env env, napi_value exports) {
  return export_fn(env, exports, "sdNotify", sd_notify);
}
