{
  # Built by scripts/build-native.mjs (npm postinstall), which passes the OpenBLAS header and library
  # directories it found as --openblas_include / --openblas_libdir.
  "variables": {
    "openblas_include%": "/usr/include/x86_64-linux-gnu",
    "openblas_libdir%": "/usr/lib/x86_64-linux-gnu"
  },
  "targets": [
    {
      "target_name": "scaling_blas",
      "sources": ["blas.c"],
      "include_dirs": ["<(openblas_include)"],
      "cflags": ["-O2", "-Wall", "-Wextra"],
      "libraries": ["-L<(openblas_libdir)", "-lopenblas"]
    }
  ]
}
