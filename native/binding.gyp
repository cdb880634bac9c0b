# The cairn N-API addon: native/build/Release/cairn_native.node (see native/index.ts).
{
  "targets": [
    {
      "target_name": "cairn_native",
      "sources": [
        "src/addon.c",
        "src/util.c",
        "src/cdc.c",
        "src/peercred.c",
        "src/sd-notify.c",
        "src/fsmeta.c",
        "src/xattr.c",
        "src/malloc.c",
        "src/read-small.c",
        "src/prefetch.c"
      ],
      "defines": ["NAPI_VERSION=8", "_GNU_SOURCE", "_FILE_OFFSET_BITS=64"],
      "cflags": ["-O3", "-std=gnu11", "-fvisibility=hidden"],
      "cflags!": ["-O0", "-O2"]
    }
  ]
}
