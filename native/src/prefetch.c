/* prefetch.c — warms the kernel's directory and inode caches ahead of the backup scan.
 * The scan walks depth-first with one synchronous call at a time, so on a cold cache it
 * waits for every directory block and inode table block in turn. A few threads here walk
 * the same trees in nearly the same order (a shared stack: depth-first, names sorted) with
 * getdents and fstatat only, so the disk has several reads in flight and the scan mostly
 * finds what it asks for already cached. Nothing is returned: it changes no result, only
 * the time the scan waits. Stopped by prefetchStop or when the trees are done; bounded in
 * directories and queue length; never crosses to another file system when asked not to.
 *
 * prefetchStart(roots: Buffer[], oneFileSystem: boolean, threads: number) -> handle
 * prefetchStop(handle) */
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { MAX_QUEUE = 65536, MAX_THREADS = 8 };

typedef struct {
  pthread_mutex_t lock;
  pthread_cond_t more;
  char **stack;          /* directories still to read (malloc'd paths); top = next */
  size_t len;
  int busy;              /* threads reading a directory now */
  int threads;           /* threads still running */
  bool one_fs;
  atomic_bool stop;
} Job;

static int cmp_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads one directory: every entry fstat'ed (that is what warms the inodes); its
 * subdirectories pushed in reverse name order so the first one is read next. */
static void read_dir(Job *j, const char *path) {
  int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  DIR *d = fdopendir(fd);
  if (d == NULL) {
    close(fd);
    return;
  }
  size_t n = 0, cap = 64;
  char **names = malloc(cap * sizeof *names);
  struct dirent *e;
  while (names != NULL && !atomic_load(&j->stop) && (e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (n == cap) {
      char **more = realloc(names, (cap *= 2) * sizeof *names);
      if (more == NULL) break;
      names = more;
    }
    names[n] = strdup(e->d_name);
    if (names[n] != NULL) n++;
  }
  if (names == NULL) {
    closedir(d);
    return;
  }
  qsort(names, n, sizeof *names, cmp_names);
  struct stat self;
  bool same_fs_only = j->one_fs && fstat(dirfd(d), &self) == 0;
  size_t plen = strlen(path);
  char **subdirs = malloc((n ? n : 1) * sizeof *subdirs);
  size_t ns = 0;
  for (size_t i = 0; i < n && !atomic_load(&j->stop); i++) {
    struct stat st;
    if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) continue;
    if (same_fs_only && st.st_dev != self.st_dev) continue; /* a mount point */
    if (subdirs == NULL) continue;
    size_t len = plen + 1 + strlen(names[i]);
    char *p = malloc(len + 1);
    if (p == NULL) continue;
    memcpy(p, path, plen);
    size_t at = plen;
    if (plen == 0 || path[plen - 1] != '/') p[at++] = '/';
    strcpy(p + at, names[i]);
    subdirs[ns++] = p;
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  closedir(d);
  pthread_mutex_lock(&j->lock);
  for (size_t i = ns; i-- > 0;) {
    if (j->len < MAX_QUEUE && !atomic_load(&j->stop)) j->stack[j->len++] = subdirs[i];
    else free(subdirs[i]);
  }
  pthread_cond_broadcast(&j->more);
  pthread_mutex_unlock(&j->lock);
  free(subdirs);
}

static void job_free(Job *j) {
  for (size_t i = 0; i < j->len; i++) free(j->stack[i]);
  free(j->stack);
  pthread_mutex_destroy(&j->lock);
  pthread_cond_destroy(&j->more);
  free(j);
}

static void *run(void *arg) {
  Job *j = arg;
  pthread_mutex_lock(&j->lock);
  for (;;) {
    while (j->len == 0 && j->busy > 0 && !atomic_load(&j->stop)) pthread_cond_wait(&j->more, &j->lock);
    if (atomic_load(&j->stop) || j->len == 0) break; /* stopped, or nothing left and nobody can add */
    char *path = j->stack[--j->len];
    j->busy++;
    pthread_mutex_unlock(&j->lock);
    read_dir(j, path);
    free(path);
    pthread_mutex_lock(&j->lock);
    j->busy--;
    pthread_cond_broadcast(&j->more);
  }
  j->threads--;
  pthread_cond_broadcast(&j->more);
  pthread_mutex_unlock(&j->lock);
  return NULL;
}

/* A job is owned by a JS external: prefetchStop (or its finalizer) sets stop, joins the
 * threads and frees the job, so nothing outlives it. */
typedef struct {
  Job *job;
  pthread_t tids[MAX_THREADS];
  int started;
  bool joined;
} Handle;

static void stop_and_join(Handle *h) {
  if (h->joined) return;
  atomic_store(&h->job->stop, true);
  pthread_mutex_lock(&h->job->lock);
  pthread_cond_broadcast(&h->job->more);
  pthread_mutex_unlock(&h->job->lock);
  for (int i = 0; i < h->started; i++) pthread_join(h->tids[i], NULL);
  job_free(h->job);
  h->job = NULL;
  h->joined = true;
}

static void finalize(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  Handle *h = data;
  stop_and_join(h);
  free(h);
}

static napi_value do_start(napi_env env, napi_callback_info info) {
  napi_value argv[3];
  if (!get_args(env, info, 3, argv, NULL)) return NULL;
  bool is_array = false, one_fs;
  uint32_t count, threads;
  if (napi_is_array(env, argv[0], &is_array) != napi_ok || !is_array) {
    throw_type(env, "prefetchStart: roots must be an array");
    return NULL;
  }
  if (!arg_bool(env, argv[1], "oneFileSystem", &one_fs) || !arg_uint32(env, argv[2], "threads", &threads)) return NULL;
  if (threads < 1 || threads > MAX_THREADS) {
    throw_range(env, "prefetchStart: threads must be 1..8");
    return NULL;
  }
  napi_get_array_length(env, argv[0], &count);
  Job *j = calloc(1, sizeof *j);
  Handle *h = calloc(1, sizeof *h);
  char **stack = calloc(MAX_QUEUE, sizeof *stack);
  if (j == NULL || h == NULL || stack == NULL) {
    free(j);
    free(h);
    free(stack);
    napi_throw_error(env, "ENOMEM", "out of memory");
    return NULL;
  }
  j->stack = stack;
  j->one_fs = one_fs;
  pthread_mutex_init(&j->lock, NULL);
  pthread_cond_init(&j->more, NULL);
  for (uint32_t i = count; i-- > 0 && j->len < MAX_QUEUE;) {
    napi_value v;
    napi_get_element(env, argv[0], i, &v);
    char *p = arg_path(env, v, "root");
    if (p == NULL) {
      job_free(j);
      free(h);
      return NULL;
    }
    j->stack[j->len++] = p;
  }
  h->job = j;
  j->threads = (int)threads;
  for (uint32_t i = 0; i < threads; i++) {
    if (pthread_create(&h->tids[h->started], NULL, run, j) != 0) break;
    h->started++;
  }
  pthread_mutex_lock(&j->lock);
  j->threads = h->started; /* those that did not start never will */
  pthread_mutex_unlock(&j->lock);
  napi_value ext;
  if (napi_create_external(env, h, finalize, NULL, &ext) != napi_ok) {
    stop_and_join(h);
    free(h);
    napi_throw_error(env, NULL, "prefetchStart: could not create its handle");
    return NULL;
  }
  return ext;
}

static napi_value do_stop(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv, NULL)) return NULL;
  Handle *h = NULL;
  napi_valuetype t;
  napi_typeof(env, argv[0], &t);
  if (t != napi_external || napi_get_value_external(env, argv[0], (void **)&h) != napi_ok || h == NULL) {
    throw_type(env, "prefetchStop: not a prefetch handle");
    return NULL;
  }
  stop_and_join(h);
  return NULL;
}

bool prefetch_init(napi_env env, napi_value exports) {
  return export_fn(env, exports, "prefetchStart", do_start) && export_fn(env, exports, "prefetchStop", do_stop);
}
