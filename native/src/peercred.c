/* peercred.c — peerCred(fd) -> {pid, uid, gid}: SO_PEERCRED of a connected Unix socket
 * (the access layer reads it once per connection on the API's Unix listener). */
#include "util.h"

#include <errno.h>
#include <sys/socket.h>

static napi_value peer_cred(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, NULL)) return NULL;
  int32_t fd;
  if (!arg_int32(env, argv[0], "fd", &fd)) return NULL;
  struct ucred cred;
  socklen_t len = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) {
    throw_errno(env, errno, "getsockopt", NULL);
    return NULL;
  }
  napi_value obj, pid, uid, gid;
  napi_create_object(env, &obj);
  napi_create_int32(env, cred.pid, &pid);
  napi_create_uint32(env, cred.uid, &uid);
  napi_create_uint32(env, cred.gid, &gid);
  napi_set_named_property(env, obj, "pid", pid);
  napi_set_named_property(env, obj, "uid", uid);
  napi_set_named_property(env, obj, "gid", gid);
  return obj;
}

bool peercred_init(napi_env env, napi_value exports) {
  return export_fn(env, exports, "peerCred", peer_cred);
}
