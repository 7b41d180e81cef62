// Rng implementation: 53-bit uniforms, Box-Muller normals with a cached spare.
#include "util/random.h"

#include "error.h"

#include <cmath>
#include <numbers>
#include <sstream>

namespace nnstudio {

double Rng::uniform01() { return static_cast<double>(m_engine() >> 11) * 0x1.0p-53; }

float Rng::uniform(float low, float high) {
    return static_cast<float>(low + (static_cast<double>(high) - low) * uniform01());
}

float Rng::normal(float mean, float std) {
    double z;
    if (m_has_spare) {
        z = m_spare;
        m_has_spare = false;
    } else {
        const double u1 = 1.0 - uniform01();  // (0, 1]: log is finite
        const double u2 = uniform01();
        const double r = std::sqrt(-2.0 * std::log(u1));
        z = r * std::cos(2.0 * std::numbers::pi * u2);
        m_spare = r * std::sin(2.0 * std::numbers::pi * u2);
        m_has_spare = true;
    }
    return static_cast<float>(mean + std * z);
}

bool Rng::bernoulli(double p_true) { return uniform01() < p_true; }

uint64_t Rng::below(uint64_t n) {
    if (n == 0) return 0;
    const uint64_t limit = UINT64_MAX - UINT64_MAX % n;  // rejection avoids modulo bias
    uint64_t v;
    do v = m_engine();
    while (v >= limit);
    return v % n;
}

std::string Rng::state() const {
    std::ostringstream s;
    s << m_engine << ' ' << m_has_spare << ' ';
    s.precision(17);
    s << m_spare;
    return s.str();
}

void Rng::set_state(const std::string& state) {
    std::istringstream s(state);
    s >> m_engine >> m_has_spare >> m_spare;
    if (!s) throw Error("corrupt random-generator state in checkpoint");
}

}  // namespace nnstudio
