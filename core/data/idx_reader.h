// IDX reader: MNIST-format image (idx3-ubyte, magic 2051) and label (idx1-ubyte, magic 2049)
// files, plain or gzip-compressed, validated, into a byte-stored Dataset.
#pragma once
#include "data/dataset.h"

#include <string>
#include <vector>

namespace nnstudio::data {

struct IdxOptions {
    int64_t num_classes = 0;               // 0: the largest label + 1; otherwise labels must be below it
    std::vector<std::string> class_names;  // empty or num_classes names
    std::string name;                      // Dataset::name(); default: the image file's path
};

// Reads images (N, rows, cols) and their N labels. Features have shape (rows*cols,) (what a
// Linear input layer takes), stored as bytes with scale 1/255. Errors (DataError) name the file:
// bad magic, count mismatch, zero/absurd dimensions, truncated or over-long data, label range.
Dataset load_idx(const std::string& images_path, const std::string& labels_path, const IdxOptions& options = {});

// `prefix` like "/data/train": uses <prefix>-images-idx3-ubyte and <prefix>-labels-idx1-ubyte,
// each plain or with .gz (also the "-images.idx3-ubyte" spelling of the original MNIST files).
Dataset load_idx_prefix(const std::string& prefix, const IdxOptions& options = {});

// The image/label files for a prefix, or empty strings when not found.
struct IdxFiles {
    std::string images;
    std::string labels;
};
IdxFiles find_idx_files(const std::string& prefix);
bool idx_prefix_exists(const std::string& prefix);  // both files found

}  // namespace nnstudio::data
