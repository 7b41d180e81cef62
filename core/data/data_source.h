// Data sources for the CLI and GUI: a one-word/path spec ("fashion-mnist", "moons", "iris.csv",
// "data/train") parsed into a DataSource and loaded into train + test Datasets.
#pragma once
#include "data/csv_loader.h"
#include "data/dataset.h"
#include "data/synthetic.h"

#include <string>
#include <vector>

namespace nnstudio::data {

enum class DataSourceKind { FashionMnist, Synthetic, Csv, Idx };

struct DataSource {
    DataSourceKind kind = DataSourceKind::Synthetic;
    std::string name;  // FashionMnist: "fashion-mnist"; Synthetic: "spirals", ...; Csv/Idx: the path/prefix
    std::string spec() const;  // text that parse_data_source turns back into this source
};

// Accepts fashion-mnist (also fashion_mnist), spirals, moons, circles, xor, blobs, a path ending
// in .csv (or .csv.gz), or an IDX prefix (data/train for data/train-images-idx3-ubyte[.gz]) or a
// directory holding train-* (and t10k-* or test-*) IDX files. Files are checked by load_data;
// a word that is none of these is a DataError listing the valid choices.
DataSource parse_data_source(const std::string& spec);

struct DataOptions {
    SyntheticOptions synthetic;   // size, noise, seed, classes, factor of synthetic sets
    CsvOptions csv;               // label column, header, delimiter of CSV files
    double test_fraction = 0.2;   // held-out test share where the source has no test set of its own
    uint64_t split_seed = 0;      // seeds that held-out split
    std::string fashion_mnist_dir;  // empty: default_fashion_mnist_dir()
};

struct LoadedData {
    Dataset train;
    Dataset test;
    Shape input_shape;  // per-sample feature shape, e.g. (784,) or (2,)
    int64_t num_classes = 0;               // 0 with float targets
    std::vector<std::string> class_names;  // empty when the source has none
    std::vector<std::string> target_names; // the float target columns (CSV target_columns); empty: class labels
    std::string description;  // one line for logs and the UI: describe(0)

    // The description with the validation share a trainer holds out of `train` counted apart:
    // "moons: 720 train / 80 validation / 200 held-out test samples (split seed 0)".
    std::string describe(int64_t validation_samples) const;

    // The parts describe() joins: "moons", "held-out test samples (split seed 0)", and what
    // follows the counts ("; delimiter ',' (detected), ...", " of 28x28, 10 classes").
    std::string source, test_kind, details;
};

// Synthetic and CSV: one data set, split into train and a seeded held-out test set
// (test_fraction). Fashion-MNIST: the official 60000/10000 split. IDX: the prefix's files as
// train, and the sibling t10k/test files as test when they exist (else a held-out split).
LoadedData load_data(const DataSource& source, const DataOptions& options = {});

}  // namespace nnstudio::data
