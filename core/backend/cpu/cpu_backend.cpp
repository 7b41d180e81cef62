// CpuBackend: its thread count, what it reports about itself and which operations it has.
#include "backend/cpu/cpu_backend.h"

#include "backend/cpu/gemm.h"
#include "backend/cpu/thread_team.h"

#include <string>
#include <unistd.h>

namespace nnstudio {

namespace {

uint64_t pages_to_bytes(long pages) {
    const long page = sysconf(_SC_PAGESIZE);
    return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

}  // namespace

CpuBackend::CpuBackend(CpuBackendOptions options)
    : m_threads(ThreadTeam::instance().threads(options.threads > 0 ? options.threads : ThreadTeam::kAllThreads)) {}

int CpuBackend::threads() const { return m_threads; }

DeviceInfo CpuBackend::info() const {
    DeviceInfo i;
    i.device = device();
    const std::string gemm = gemm_backend();
    i.name = "CPU (" + std::to_string(m_threads) + (m_threads == 1 ? " thread, " : " threads, ") +
             (gemm == "avx512" ? "AVX-512 GEMM" : gemm == "blas" ? "BLAS GEMM" : "Eigen GEMM") + ")";
    i.total_memory = pages_to_bytes(sysconf(_SC_PHYS_PAGES));
    i.free_memory = pages_to_bytes(sysconf(_SC_AVPHYS_PAGES));
    return i;
}

// Every operation, in float32 only (the engine's compute type).
bool CpuBackend::supports(Op, ComputeType type) const { return type == ComputeType::Float32; }

}  // namespace nnstudio
