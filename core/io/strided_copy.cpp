// copy_strided: overflow-checked bounds of a strided view, then a memcpy (contiguous) or a copy
// row by row over the last dimension (transposed / sliced views).
#include "io/strided_copy.h"

#include "error.h"

#include <cstring>

namespace nnstudio::io {
namespace {

constexpr int64_t kMaxElements = int64_t{1} << 56;  // far beyond any memory; keeps byte counts in range

[[noreturn]] void fail(const std::string& what, const std::string& problem) {
    throw FileFormatError(what + ": " + problem + " (corrupt file?): save the tensors again from PyTorch");
}

}  // namespace

uint64_t contiguous_bytes(const Shape& size, DType dtype, const std::string& what) {
    int64_t numel = 1;
    for (int64_t d : size) {
        if (d < 0) fail(what, "negative size in shape " + shape_to_string(size));
        if (d != 0 && numel > kMaxElements / d) fail(what, "shape " + shape_to_string(size) + " is impossibly large");
        numel *= d;
    }
    return static_cast<uint64_t>(numel) * dtype_size(dtype);
}

TypedTensor copy_strided(const uint8_t* storage, size_t storage_bytes, DType dtype, int64_t offset,
                         const Shape& size, const std::vector<int64_t>& stride, const std::string& what) {
    if (size.size() != stride.size()) fail(what, "sizes and strides differ in length");
    const uint64_t nbytes = contiguous_bytes(size, dtype, what);
    const size_t elem = dtype_size(dtype);
    const int64_t storage_numel = static_cast<int64_t>(storage_bytes / elem);
    TypedTensor out;
    out.dtype = dtype;
    out.shape = size;
    if (offset < 0) fail(what, "negative storage offset");
    if (nbytes == 0) return out;  // an empty tensor reads nothing, wherever it points

    // The last element the view touches: offset + sum((size_i - 1) * stride_i).
    int64_t last = offset;
    for (size_t i = 0; i < size.size(); ++i) {
        int64_t step;
        if (stride[i] < 0) fail(what, "negative stride");
        if (__builtin_mul_overflow(size[i] - 1, stride[i], &step) || __builtin_add_overflow(last, step, &last))
            fail(what, "strides reach beyond any storage");
    }
    if (last >= storage_numel)
        fail(what, "the tensor " + shape_to_string(size) + " at offset " + std::to_string(offset) +
                       " reaches element " + std::to_string(last) + " of a storage with only " +
                       std::to_string(storage_numel) + " elements");

    out.bytes.resize(static_cast<size_t>(nbytes));
    uint8_t* dst = out.bytes.data();
    // Row-major strides mean one memcpy.
    bool contiguous = true;
    int64_t expected = 1;
    for (size_t i = size.size(); i-- > 0;) {
        if (size[i] != 1 && stride[i] != expected) contiguous = false;
        expected *= size[i];
    }
    if (contiguous) {
        std::memcpy(dst, storage + static_cast<size_t>(offset) * elem, static_cast<size_t>(nbytes));
        return out;
    }
    // Odometer over all but the last dimension; the inner loop walks the last one.
    const size_t nd = size.size();
    const int64_t inner = size[nd - 1], inner_stride = stride[nd - 1];
    std::vector<int64_t> index(nd - 1, 0);
    int64_t base = offset;
    while (true) {
        const uint8_t* src = storage + static_cast<size_t>(base) * elem;
        for (int64_t j = 0; j < inner; ++j) {
            std::memcpy(dst, src + static_cast<size_t>(j * inner_stride) * elem, elem);
            dst += elem;
        }
        size_t d = nd - 1;
        while (d > 0) {
            --d;
            if (++index[d] < size[d]) {
                base += stride[d];
                break;
            }
            base -= (size[d] - 1) * stride[d];
            index[d] = 0;
            if (d == 0) return out;
        }
        if (nd == 1) return out;
    }
}

}  // namespace nnstudio::io
