// BatchSampler: seeded shuffled mini-batches of sample indices, one order per epoch derived from
// (seed, epoch) alone, so a run resumed at epoch e sees exactly the batches it would have seen.
#pragma once
#include <cstdint>
#include <span>
#include <vector>

namespace nnstudio::data {

class BatchSampler {
public:
    // indices: the samples to draw from (e.g. SplitIndices::train). shuffle = false keeps their
    // order (evaluation). drop_last drops a final batch smaller than batch_size.
    BatchSampler(std::vector<int64_t> indices, int64_t batch_size, uint64_t seed, bool drop_last = false,
                 bool shuffle = true);

    int64_t batch_size() const { return m_batch_size; }
    int64_t num_samples() const { return static_cast<int64_t>(m_indices.size()); }
    int64_t batches_per_epoch() const;
    bool drop_last() const { return m_drop_last; }

    // The epoch's order: a permutation of the indices (only the samples that make full batches
    // when drop_last). Depends only on (seed, epoch).
    std::vector<int64_t> indices_for_epoch(int64_t epoch) const;

    // Streaming use without allocation after the first epoch:
    //   sampler.start_epoch(e); for (b = 0; b < sampler.batches_per_epoch(); ++b) use(sampler.batch(b));
    void start_epoch(int64_t epoch);
    int64_t epoch() const { return m_epoch; }
    std::span<const int64_t> batch(int64_t b) const;  // batch b of the current epoch

private:
    void fill_order(int64_t epoch, std::vector<int64_t>& order) const;

    std::vector<int64_t> m_indices;
    int64_t m_batch_size;
    uint64_t m_seed;
    bool m_drop_last;
    bool m_shuffle;
    int64_t m_epoch = -1;
    std::vector<int64_t> m_order;  // current epoch's order
};

}  // namespace nnstudio::data
