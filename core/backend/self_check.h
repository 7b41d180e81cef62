// The self-check a backend passes before its first use in a process (DESIGN §4): every operation
// class it supports runs on small random inputs, on it and on a reference backend (the CPU), and
// the results must agree within a per-op tolerance. Code never run on a given GPU thus cannot hand
// a user wrong numbers: a disagreement refuses the backend, naming the op and the error.
#pragma once
#include "backend/backend.h"

#include <string>
#include <vector>

namespace nnstudio {

struct SelfCheckFailure {
    std::string op;      // op_name(), e.g. "Gemm", with the case ("Gemm (trans_a, bias, ReLU)")
    std::string detail;  // "max error 0.25 at [3]: 1.5 vs 1.25 (tolerance 1e-4 + 1e-4·|ref|)"
};

// Runs the checks; an empty result means `candidate` agrees with `reference` everywhere.
// Operations the candidate does not support (Float32) are skipped. Throws DeviceError only when a
// backend itself fails (out of memory, a failed launch).
std::vector<SelfCheckFailure> run_self_check(Backend& candidate, Backend& reference);

// run_self_check, then throws DeviceError when anything disagrees:
// "cuda:0 failed its self-check against the CPU, so it is not used: Gemm: max error ...; ...".
void require_self_check(Backend& candidate, Backend& reference);

}  // namespace nnstudio
