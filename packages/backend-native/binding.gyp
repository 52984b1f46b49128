{
  "variables": {
    "nabla_cflags": ["-std=gnu11", "-O3", "-fPIC", "-fno-math-errno", "-fno-trapping-math", "-ffp-contract=fast", "-Wall", "-Wno-unused-function"]
  },
  "targets": [
    {
      "target_name": "nabla_avx512",
      "type": "static_library",
      "sources": ["csrc/addon/isa_avx512.c"],
      "cflags": ["<@(nabla_cflags)", "-mavx512f", "-mavx512vl", "-mavx512dq", "-mavx512bw", "-mavx2", "-mfma"]
    },
    {
      "target_name": "nabla_avx2",
      "type": "static_library",
      "sources": ["csrc/addon/isa_avx2.c"],
      "cflags": ["<@(nabla_cflags)", "-mavx2", "-mfma"]
    },
    {
      "target_name": "nabla_sse2",
      "type": "static_library",
      "sources": ["csrc/addon/isa_sse2.c"],
      "cflags": ["<@(nabla_cflags)"]
    },
    {
      "target_name": "nabla",
      "sources": ["csrc/addon/addon.c", "csrc/addon/storage.c", "csrc/addon/dispatch.c", "csrc/addon/validate.c", "csrc/addon/spatial.c", "csrc/addon/threads.c"],
      "dependencies": ["nabla_avx512", "nabla_avx2", "nabla_sse2"],
      "cflags": ["<@(nabla_cflags)"],
      "libraries": ["-lpthread", "-lm"]
    }
  ]
}
