/* fsmeta.c — file-system calls Node lacks, for storage locks, the walker and restore:
 * flock, utimensat/futimens with nanoseconds, mknod, mkfifo, SEEK_DATA/SEEK_HOLE and
 * thread-safe user/group names (getpwuid_r, getgrgid_r). Extended attributes are in
 * xattr.c. All calls are synchronous; failures throw Node-style errno errors. */
#include "util.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <fcntl.h>
#include <unistd.h>

/* flock(fd, op, nonBlocking) -> boolean; op is LOCK_SH, LOCK_EX or LOCK_UN. */
static napi_value do_flock(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, NULL)) return NULL;
  int32_t fd, op;
  bool nb;
  if (!arg_int32(env, argv[0], "fd", &fd) || !arg_int32(env, argv[1], "op", &op) ||
      !arg_bool(env, argv[2], "nonBlocking", &nb))
    return NULL;
  if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN) {
    throw_range(env, "flock: op must be LOCK_SH, LOCK_EX or LOCK_UN");
    return NULL;
  }
  int rc;
  do rc = flock(fd, op | (nb ? LOCK_NB : 0));
  while (rc != 0 && errno == EINTR);
  napi_value result;
  if (rc != 0) {
    if (nb && errno == EWOULDBLOCK) {
      napi_get_boolean(env, false, &result);
      return result;
    }
    throw_errno(env, errno, "flock", NULL);
    return NULL;
  }
  napi_get_boolean(env, true, &result);
  return result;
}

/* Reads [aSec, aNsec, mSec, mNsec] from argv into ts; nanoseconds must be 0..999999999
 * (so the UTIME_NOW/UTIME_OMIT sentinels cannot slip in). */
static bool arg_times(napi_env env, napi_value *argv, struct timespec ts[2]) {
  int64_t sec[2];
  uint32_t nsec[2];
  if (!arg_bigint_i64(env, argv[0], "atime seconds", &sec[0]) ||
      !arg_uint32(env, argv[1], "atime nanoseconds", &nsec[0]) ||
      !arg_bigint_i64(env, argv[2], "mtime seconds", &sec[1]) ||
      !arg_uint32(env, argv[3], "mtime nanoseconds", &nsec[1]))
    return false;
  for (int i = 0; i < 2; i++) {
    if (nsec[i] > 999999999u) {
      throw_range(env, "nanoseconds must be within 0..999999999");
      return false;
    }
    ts[i].tv_sec = (time_t)sec[i];
    ts[i].tv_nsec = (long)nsec[i];
  }
  return true;
}

/* utimensat(path, aSec, aNsec, mSec, mNsec, noFollow) */
static napi_value do_utimensat(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (!get_args(env, info, 6, argv, NULL)) return NULL;
  struct timespec ts[2];
  bool no_follow;
  if (!arg_times(env, argv + 1, ts) || !arg_bool(env, argv[5], "noFollow", &no_follow)) return NULL;
  char *path = arg_path(env, argv[0], "path");
  if (path == NULL) return NULL;
  int rc = utimensat(AT_FDCWD, path, ts, no_follow ? AT_SYMLINK_NOFOLLOW : 0);
  int err = errno;
  free(path);
  if (rc != 0) throw_errno(env, err, "utimensat", argv[0]);
  return NULL;
}

/* futimens(fd, aSec, aNsec, mSec, mNsec) */
static napi_value do_futimens(napi_env env, napi_callback_info info) {
  napi_value argv[5];
  if (!get_args(env, info, 5, argv, NULL)) return NULL;
  int32_t fd;
  struct timespec ts[2];
  if (!arg_int32(env, argv[0], "fd", &fd) || !arg_times(env, argv + 1, ts)) return NULL;
  if (futimens(fd, ts) != 0) throw_errno(env, errno, "futimens", NULL);
  return NULL;
}

/* mknod(path, mode, rdev): mode carries the file type bits. */
static napi_value do_mknod(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, NULL)) return NULL;
  uint32_t mode;
  uint64_t rdev;
  if (!arg_uint32(env, argv[1], "mode", &mode) || !arg_bigint_u64(env, argv[2], "rdev", &rdev))
    return NULL;
  char *path = arg_path(env, argv[0], "path");
  if (path == NULL) return NULL;
  int rc = mknod(path, (mode_t)mode, (dev_t)rdev);
  int err = errno;
  free(path);
  if (rc != 0) throw_errno(env, err, "mknod", argv[0]);
  return NULL;
}

/* mkfifo(path, mode) */
static napi_value do_mkfifo(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv, NULL)) return NULL;
  uint32_t mode;
  if (!arg_uint32(env, argv[1], "mode", &mode)) return NULL;
  char *path = arg_path(env, argv[0], "path");
  if (path == NULL) return NULL;
  int rc = mkfifo(path, (mode_t)mode);
  int err = errno;
  free(path);
  if (rc != 0) throw_errno(env, err, "mkfifo", argv[0]);
  return NULL;
}

/* lseek(fd, offset, whence) -> offset, or -1 on ENXIO. */
static napi_value seek(napi_env env, napi_callback_info info, int whence) {
  napi_value argv[2];
  if (!get_args(env, info, 2, argv, NULL)) return NULL;
  int32_t fd;
  int64_t offset;
  if (!arg_int32(env, argv[0], "fd", &fd) || !arg_int64(env, argv[1], "offset", &offset)) return NULL;
  if (offset < 0) {
    throw_range(env, "The \"offset\" argument must be >= 0");
    return NULL;
  }
  off_t r = lseek(fd, (off_t)offset, whence);
  if (r < 0 && errno != ENXIO) {
    throw_errno(env, errno, "lseek", NULL);
    return NULL;
  }
  napi_value result;
  napi_create_int64(env, r < 0 ? -1 : (int64_t)r, &result);
  return result;
}

static napi_value do_seek_data(napi_env env, napi_callback_info info) {
  return seek(env, info, SEEK_DATA);
}

static napi_value do_seek_hole(napi_env env, napi_callback_info info) {
  return seek(env, info, SEEK_HOLE);
}

/* getpwuid_r / getgrgid_r with a growing buffer. Not found -> null. */
static napi_value name_of(napi_env env, napi_callback_info info, bool group) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, NULL)) return NULL;
  uint32_t id;
  if (!arg_uint32(env, argv[0], group ? "gid" : "uid", &id)) return NULL;
  long hint = sysconf(group ? _SC_GETGR_R_SIZE_MAX : _SC_GETPW_R_SIZE_MAX);
  size_t size = hint > 1024 ? (size_t)hint : 1024;
  napi_value result;
  for (;;) {
    char *buf = malloc(size);
    if (buf == NULL) {
      napi_throw_error(env, "ENOMEM", "out of memory");
      return NULL;
    }
    struct passwd pw, *pwp = NULL;
    struct group gr, *grp = NULL;
    int rc = group ? getgrgid_r((gid_t)id, &gr, buf, size, &grp)
                   : getpwuid_r((uid_t)id, &pw, buf, size, &pwp);
    if (rc == ERANGE && size < (1u << 24)) {
      free(buf);
      size *= 2;
      continue;
    }
    const char *name = group ? (grp ? grp->gr_name : NULL) : (pwp ? pwp->pw_name : NULL);
    if (rc == 0 && name != NULL) {
      napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &result);
    } else if (rc == 0 || rc == ENOENT || rc == ESRCH || rc == EBADF || rc == EPERM) {
      napi_get_null(env, &result);  /* the "not found" answers getpw*_r(3) lists */
    } else {
      free(buf);
      throw_errno(env, rc, group ? "getgrgid_r" : "getpwuid_r", NULL);
      return NULL;
    }
    free(buf);
    return result;
  }
}

static napi_value do_getpwuid(napi_env env, napi_callback_info info) {
  return name_of(env, info, false);
}

static napi_value do_getgrgid(napi_env env, napi_callback_info info) {
  return name_of(env, info, true);
}

bool fsmeta_init(napi_env env, napi_value exports) {
  return export_fn(env, exports, "flock", do_flock) &&
         export_fn(env, exports, "utimensat", do_utimensat) &&
         export_fn(env, exports, "futimens", do_futimens) &&
         export_fn(env, exports, "mknod", do_mknod) &&
         export_fn(env, exports, "mkfifo", do_mkfifo) &&
         export_fn(env, exports, "seekData", do_seek_data) &&
         export_fn(env, exports, "seekHole", do_seek_hole) &&
         export_fn(env, exports, "getpwuid", do_getpwuid) &&
         export_fn(env, exports, "getgrgid", do_getgrgid) &&
         xattr_init(env, exports);
}
