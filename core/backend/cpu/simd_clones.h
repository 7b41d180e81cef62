// NNSTUDIO_SIMD_CLONES: compiles a hot elementwise loop for AVX-512, AVX2 and baseline x86-64 and
// lets the loader pick the widest the CPU has (GCC function multiversioning). The project itself
// builds for baseline x86-64, so without this those loops would use SSE2 only.
//
// The AVX-512 target includes FMA; core builds with -ffp-contract=off (core/CMakeLists.txt), so
// no clone contracts a*b+c into one rounding: every clone computes bit-identical results,
// operation by operation as PyTorch does.
#pragma once

// GCC only: Clang (the sanitizer builds) does not multiversion function templates yet, and
// those builds test correctness, not speed.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#define NNSTUDIO_SIMD_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#endif
#ifndef NNSTUDIO_SIMD_CLONES
#define NNSTUDIO_SIMD_CLONES
#endif
