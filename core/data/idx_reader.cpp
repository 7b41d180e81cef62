// IDX reader implementation: big-endian headers, strict size checks, bytes read straight into
// the Dataset's storage (no float copy of the images is ever made).
#include "data/idx_reader.h"

#include "data/compressed_file.h"
#include "data/data_error.h"

#include <cstdio>

namespace nnstudio::data {

namespace {

constexpr uint32_t kImageMagic = 2051;  // 0x00000803: unsigned bytes, 3 dimensions
constexpr uint32_t kLabelMagic = 2049;  // 0x00000801: unsigned bytes, 1 dimension
constexpr uint64_t kMaxImageBytes = uint64_t(8) << 30;  // beyond this the header is corrupt, not big

uint32_t big_endian(const unsigned char* p) {
    return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | uint32_t(p[3]);
}

std::string hex(uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%08X", v);
    return buf;
}

void check_magic(const std::string& path, uint32_t magic, uint32_t expected, const char* what) {
    if (magic == expected) return;
    std::string hint;
    if (magic == kImageMagic) hint = ": this is an image file (magic 2051); did you swap the images and labels paths?";
    else if (magic == kLabelMagic) hint = ": this is a label file (magic 2049); did you swap the images and labels paths?";
    else if ((magic >> 8) == 0x08) hint = ": unsigned-byte IDX with the wrong number of dimensions";
    else hint = ": not an IDX " + std::string(what) + " file (or it is compressed with something other than gzip)";
    throw DataError(path + ": bad magic number " + std::to_string(magic) + " (" + hex(magic) + "), expected " +
                    std::to_string(expected) + " (" + hex(expected) + ") for an IDX " + what + " file" + hint);
}

// Reads the n-byte header; the magic number (first 4 bytes) is checked before the length so
// a label file passed as images says "swapped" rather than "too short".
void read_header(CompressedFile& f, unsigned char* header, size_t n, uint32_t expected_magic, const char* what) {
    size_t got = f.read(header, 4);
    if (got == 4) {
        check_magic(f.path(), big_endian(header), expected_magic, what);
        got += f.read(header + 4, n - 4);
    }
    if (got < n)
        throw DataError(f.path() + ": too short for an IDX " + what + " file (" + std::to_string(got) +
                        " bytes, the header alone needs " + std::to_string(n) + "): the file is truncated or not IDX");
}

// Reads exactly `n` bytes of payload, then insists the file ends there.
void read_payload(CompressedFile& f, std::vector<uint8_t>& out, uint64_t n, const std::string& announced) {
    out.clear();
    out.reserve(static_cast<size_t>(n));
    // Grow chunk by chunk so a lying header costs only what the file really holds.
    constexpr size_t kChunk = size_t(1) << 22;
    while (out.size() < n) {
        const size_t old = out.size();
        const size_t want = static_cast<size_t>(std::min<uint64_t>(kChunk, n - old));
        out.resize(old + want);
        const size_t got = f.read(out.data() + old, want);
        out.resize(old + got);
        if (got < want)
            throw DataError(f.path() + ": truncated: the header announces " + announced + " (" + std::to_string(n) +
                            " bytes of data) but the file holds only " + std::to_string(out.size()) +
                            " bytes after the header; download the file again");
    }
    unsigned char extra[1];
    if (f.read(extra, 1) != 0)
        throw DataError(f.path() + ": the file is longer than its header announces (" + announced +
                        "): it is corrupt or not a single IDX file");
}

}  // namespace

Dataset load_idx(const std::string& images_path, const std::string& labels_path, const IdxOptions& options) {
    // Images.
    CompressedFile images(images_path);
    unsigned char ih[16];
    read_header(images, ih, sizeof ih, kImageMagic, "image (idx3-ubyte)");
    const uint64_t count = big_endian(ih + 4), rows = big_endian(ih + 8), cols = big_endian(ih + 12);
    if (count == 0) throw DataError(images_path + ": the header announces 0 images; the file holds no data");
    if (rows == 0 || cols == 0)
        throw DataError(images_path + ": images of " + std::to_string(rows) + "x" + std::to_string(cols) +
                        " pixels: both dimensions must be positive; the header is corrupt");
    const uint64_t image_bytes = count * rows * cols;  // each factor < 2^32; checked below
    if (rows * cols > kMaxImageBytes || image_bytes / (rows * cols) != count || image_bytes > kMaxImageBytes)
        throw DataError(images_path + ": the header announces " + std::to_string(count) + " images of " +
                        std::to_string(rows) + "x" + std::to_string(cols) +
                        " pixels, more than 8 GiB: the header is corrupt");
    const std::string announced = std::to_string(count) + " images of " + std::to_string(rows) + "x" + std::to_string(cols);
    std::vector<uint8_t> pixels;
    read_payload(images, pixels, image_bytes, announced);

    // Labels.
    CompressedFile labels_file(labels_path);
    unsigned char lh[8];
    read_header(labels_file, lh, sizeof lh, kLabelMagic, "label (idx1-ubyte)");
    const uint64_t label_count = big_endian(lh + 4);
    if (label_count != count)
        throw DataError(labels_path + ": holds " + std::to_string(label_count) + " labels but " + images_path +
                        " holds " + std::to_string(count) + " images: the two files do not belong together");
    std::vector<uint8_t> raw_labels;
    read_payload(labels_file, raw_labels, label_count, std::to_string(label_count) + " labels");

    int64_t num_classes = options.num_classes;
    if (num_classes < 0 || num_classes > 256)
        throw DataError("IDX labels are bytes: num_classes must be in 1..256 (or 0 to infer it), got " +
                        std::to_string(num_classes));
    std::vector<int32_t> labels(raw_labels.size());
    int32_t largest = 0;
    for (size_t i = 0; i < raw_labels.size(); ++i) {
        labels[i] = raw_labels[i];
        largest = std::max(largest, labels[i]);
        if (num_classes > 0 && labels[i] >= num_classes)
            throw DataError(labels_path + ": label " + std::to_string(labels[i]) + " of sample " + std::to_string(i) +
                            " is out of range: this data set has " + std::to_string(num_classes) +
                            " classes (labels 0.." + std::to_string(num_classes - 1) + ")");
    }
    if (num_classes == 0) num_classes = largest + 1;
    std::vector<uint8_t>().swap(raw_labels);

    Dataset d = Dataset::from_bytes({static_cast<int64_t>(rows * cols)}, std::move(pixels), std::move(labels),
                                    num_classes, options.class_names);
    d.set_name(options.name.empty() ? images_path : options.name);
    return d;
}

IdxFiles find_idx_files(const std::string& prefix) {
    auto first_existing = [&](std::initializer_list<const char*> stems) {
        for (const char* stem : stems)
            for (const char* ext : {"", ".gz"}) {
                const std::string p = prefix + stem + ext;
                if (file_exists(p)) return p;
            }
        return std::string();
    };
    return {first_existing({"-images-idx3-ubyte", "-images.idx3-ubyte"}),
            first_existing({"-labels-idx1-ubyte", "-labels.idx1-ubyte"})};
}

bool idx_prefix_exists(const std::string& prefix) {
    const IdxFiles f = find_idx_files(prefix);
    return !f.images.empty() && !f.labels.empty();
}

Dataset load_idx_prefix(const std::string& prefix, const IdxOptions& options) {
    const IdxFiles f = find_idx_files(prefix);
    if (f.images.empty() || f.labels.empty()) {
        const std::string missing = f.images.empty() ? prefix + "-images-idx3-ubyte[.gz]" : prefix + "-labels-idx1-ubyte[.gz]";
        throw DataError("IDX data not found: " + missing +
                        " does not exist; an IDX prefix like data/train needs data/train-images-idx3-ubyte and "
                        "data/train-labels-idx1-ubyte (each may end in .gz)");
    }
    return load_idx(f.images, f.labels, options);
}

}  // namespace nnstudio::data
