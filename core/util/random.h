// Rng: the engine's seeded random stream. Own uniform/normal transforms (not std::*_distribution)
// so a seed gives the same numbers with every standard library.
#pragma once
#include <cstdint>
#include <random>

namespace nnstudio {

class Rng {
public:
    explicit Rng(uint64_t seed = 0) : m_engine(seed) {}

    uint64_t next_u64() { return m_engine(); }
    double uniform01();                          // [0, 1)
    float uniform(float low, float high);        // [low, high)
    float normal(float mean = 0.f, float std = 1.f);
    bool bernoulli(double p_true);
    uint64_t below(uint64_t n);                  // uniform integer in [0, n)

    // For checkpoints: the whole state as text and back.
    std::string state() const;
    void set_state(const std::string& state);

private:
    std::mt19937_64 m_engine;
    bool m_has_spare = false;
    double m_spare = 0.0;
};

}  // namespace nnstudio
