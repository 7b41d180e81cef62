// BatchSampler implementation: each epoch reshuffles the original index list with an Rng seeded
// by splitmix64(seed, epoch), so no epoch depends on the previous one.
#include "data/batch_sampler.h"

#include "data/data_error.h"
#include "util/random.h"

#include <algorithm>

namespace nnstudio::data {

namespace {

// splitmix64's finaliser: neighbouring (seed, epoch) pairs give unrelated generator seeds.
uint64_t mix(uint64_t z) {
    z += 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

BatchSampler::BatchSampler(std::vector<int64_t> indices, int64_t batch_size, uint64_t seed, bool drop_last,
                           bool shuffle)
    : m_indices(std::move(indices)), m_batch_size(batch_size), m_seed(seed), m_drop_last(drop_last), m_shuffle(shuffle) {
    if (batch_size < 1) throw DataError("batch size must be at least 1, got " + std::to_string(batch_size));
    if (m_indices.empty()) throw DataError("cannot draw batches from an empty set of samples");
    if (drop_last && num_samples() < batch_size)
        throw DataError("drop_last with batch size " + std::to_string(batch_size) + " but only " +
                        std::to_string(num_samples()) +
                        " samples would give no batch at all; lower the batch size or turn drop_last off");
}

int64_t BatchSampler::batches_per_epoch() const {
    const int64_t n = num_samples();
    return m_drop_last ? n / m_batch_size : (n + m_batch_size - 1) / m_batch_size;
}

void BatchSampler::fill_order(int64_t epoch, std::vector<int64_t>& order) const {
    order.assign(m_indices.begin(), m_indices.end());
    if (m_shuffle) {
        Rng rng(mix(mix(m_seed) ^ static_cast<uint64_t>(epoch)));
        for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[static_cast<size_t>(rng.below(i))]);
    }
    if (m_drop_last) order.resize(static_cast<size_t>(batches_per_epoch() * m_batch_size));
}

std::vector<int64_t> BatchSampler::indices_for_epoch(int64_t epoch) const {
    std::vector<int64_t> order;
    fill_order(epoch, order);
    return order;
}

void BatchSampler::start_epoch(int64_t epoch) {
    fill_order(epoch, m_order);
    m_epoch = epoch;
}

std::span<const int64_t> BatchSampler::batch(int64_t b) const {
    if (m_epoch < 0) throw DataError("BatchSampler::batch called before start_epoch");
    if (b < 0 || b >= batches_per_epoch())
        throw DataError("batch " + std::to_string(b) + " is out of range: an epoch has " +
                        std::to_string(batches_per_epoch()) + " batches");
    const size_t begin = static_cast<size_t>(b * m_batch_size);
    const size_t end = std::min(m_order.size(), begin + static_cast<size_t>(m_batch_size));
    return std::span<const int64_t>(m_order.data() + begin, end - begin);
}

}  // namespace nnstudio::data
