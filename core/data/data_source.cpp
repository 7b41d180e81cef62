// Data source parsing and loading: dispatch to the Fashion-MNIST, synthetic, CSV and IDX loaders.
#include "data/data_source.h"

#include "data/data_error.h"
#include "data/fashion_mnist.h"
#include "data/idx_reader.h"
#include "data/split.h"
#include "util/json_options.h"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace nnstudio::data {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    if (s.size() < suffix.size()) return false;
    for (size_t i = 0; i < suffix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) return false;
    return true;
}

bool is_directory(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_directory(path, ec);
}

// IDX train/test prefixes for a prefix or directory spec; test empty when there is none.
std::pair<std::string, std::string> idx_prefixes(const std::string& spec) {
    if (is_directory(spec)) {
        const std::string dir = spec.back() == '/' ? spec : spec + "/";
        for (const char* test : {"t10k", "test"})
            if (idx_prefix_exists(dir + test)) return {dir + "train", dir + test};
        return {dir + "train", ""};
    }
    const std::string stem = "train";
    if (ends_with(spec, stem)) {
        const std::string base = spec.substr(0, spec.size() - stem.size());
        for (const char* test : {"t10k", "test"})
            if (idx_prefix_exists(base + test)) return {spec, base + test};
    }
    return {spec, ""};
}

std::string valid_choices() {
    return "fashion-mnist, " + join_names(synthetic_names()) +
           ", a .csv file, or an IDX prefix such as data/train (for data/train-images-idx3-ubyte[.gz] and "
           "data/train-labels-idx1-ubyte[.gz])";
}

LoadedData held_out(Dataset all, const DataOptions& options, const std::string& what) {
    const SplitIndices s = split(all, options.test_fraction, options.split_seed);
    if (s.val.empty() && options.test_fraction > 0)
        throw DataError(what + ": a test fraction of " + std::to_string(options.test_fraction) + " of " +
                        std::to_string(all.size()) + " samples leaves no test samples; use a larger test fraction, or 0 for no test set");
    LoadedData d;
    d.train = all.subset(s.train);
    d.test = all.subset(s.val);
    d.train.set_name(all.name() + " train");
    d.test.set_name(all.name() + " test");
    d.source = all.name();
    d.test_kind = "held-out test samples (split seed " + std::to_string(options.split_seed) + ")";
    return d;
}

}  // namespace

std::string DataSource::spec() const { return name; }

std::string LoadedData::describe(int64_t validation_samples) const {
    std::string s = source + ": " + std::to_string(train.size() - validation_samples) + " train / ";
    if (validation_samples > 0) s += std::to_string(validation_samples) + " validation / ";
    return s + std::to_string(test.size()) + " " + test_kind + details;
}

DataSource parse_data_source(const std::string& spec) {
    if (spec.empty()) throw DataError("no data source given; use " + valid_choices());
    if (spec == "fashion-mnist" || spec == "fashion_mnist" || spec == "fashionmnist")
        return {DataSourceKind::FashionMnist, "fashion-mnist"};
    if (is_synthetic_name(spec)) return {DataSourceKind::Synthetic, spec};
    if (ends_with(spec, ".csv") || ends_with(spec, ".csv.gz")) return {DataSourceKind::Csv, spec};
    // A path (or a prefix whose files exist) is IDX; a bare unknown word is most likely a typo.
    const auto [train, test] = idx_prefixes(spec);
    (void)test;
    if (spec.find('/') != std::string::npos || is_directory(spec) || idx_prefix_exists(train))
        return {DataSourceKind::Idx, spec};
    throw DataError("unknown data source '" + spec + "'; use " + valid_choices());
}

LoadedData load_data(const DataSource& source, const DataOptions& options) {
    if (!options.csv.target_columns.empty() && source.kind != DataSourceKind::Csv)
        throw DataError("target columns (" + target_columns_text(options.csv.target_columns) + ") apply to CSV files only, but the data is '" +
                        source.name + "', which has class labels: drop the target columns, or train on a CSV file");
    LoadedData d;
    switch (source.kind) {
        case DataSourceKind::FashionMnist: {
            d.train = load_fashion_mnist(Split::Train, options.fashion_mnist_dir);
            d.test = load_fashion_mnist(Split::Test, options.fashion_mnist_dir);
            d.source = "Fashion-MNIST";
            d.test_kind = "test images";
            d.details = " of 28x28, 10 classes";
            break;
        }
        case DataSourceKind::Synthetic:
            d = held_out(make_synthetic(source.name, options.synthetic), options, source.name);
            break;
        case DataSourceKind::Csv: {
            CsvDialect dialect;
            d = held_out(load_csv(source.name, options.csv, &dialect), options, source.name);
            // What was read, so a misread file shows in the first line of a run.
            d.details += "; " + dialect.describe();
            if (dialect.target_indices.empty()) d.details += ", label column \"" + dialect.columns[dialect.label_index] + "\"";
            for (size_t t = 0; t < dialect.target_indices.size(); ++t)
                d.details += (t ? ", \"" : ", float target columns \"") + dialect.columns[dialect.target_indices[t]] + "\"";
            if (!d.train.class_names().empty()) {
                d.details += ", classes";
                const size_t n = d.train.class_names().size(), shown = std::min<size_t>(n, 20);
                for (size_t c = 0; c < shown; ++c)
                    d.details += (c ? ", " : " ") + std::to_string(c) + " = " + d.train.class_names()[c];
                if (shown < n) d.details += ", ... (" + std::to_string(n) + " in all)";
            }
            break;
        }
        case DataSourceKind::Idx: {
            const auto [train_prefix, test_prefix] = idx_prefixes(source.name);
            if (test_prefix.empty()) {
                d = held_out(load_idx_prefix(train_prefix), options, source.name);
                break;
            }
            d.train = load_idx_prefix(train_prefix);
            IdxOptions test_options;  // test labels must fall into the training set's classes
            test_options.num_classes = d.train.num_classes();
            d.test = load_idx_prefix(test_prefix, test_options);
            if (d.test.feature_shape() != d.train.feature_shape())
                throw DataError(test_prefix + ": test images have " + std::to_string(d.test.feature_size()) +
                                " pixels but the training images (" + train_prefix + ") have " +
                                std::to_string(d.train.feature_size()));
            d.source = source.name;
            d.test_kind = "test images";
            break;
        }
    }
    // The test part of a split may miss a rare class; the training set defines the classes.
    d.input_shape = d.train.feature_shape();
    d.num_classes = d.train.num_classes();
    d.class_names = d.train.class_names();
    d.target_names = d.train.target_names();
    d.description = d.describe(0);
    return d;
}

}  // namespace nnstudio::data
