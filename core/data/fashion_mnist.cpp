// Fashion-MNIST loader: locates the IDX files and names the classes.
#include "data/fashion_mnist.h"

#include "data/data_error.h"
#include "data/idx_reader.h"

#include <cstdlib>

namespace nnstudio::data {

std::string default_fashion_mnist_dir() {
    if (const char* env = std::getenv("NNSTUDIO_FASHION_MNIST_DIR"); env && *env) return env;
    return "/usr/share/datasets/fashion-mnist";
}

const std::vector<std::string>& fashion_mnist_class_names() {
    static const std::vector<std::string> names = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                   "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return names;
}

namespace {
std::string prefix_of(Split split, const std::string& dir) {
    return (dir.empty() ? default_fashion_mnist_dir() : dir) + (split == Split::Train ? "/train" : "/t10k");
}
}  // namespace

bool fashion_mnist_available(const std::string& dir) {
    return idx_prefix_exists(prefix_of(Split::Train, dir)) && idx_prefix_exists(prefix_of(Split::Test, dir));
}

Dataset load_fashion_mnist(Split split, const std::string& dir) {
    const std::string where = dir.empty() ? default_fashion_mnist_dir() : dir;
    const std::string prefix = prefix_of(split, dir);
    if (!idx_prefix_exists(prefix))
        throw DataError("Fashion-MNIST not found in " + where + " (no " + prefix +
                        "-images-idx3-ubyte.gz / -labels-idx1-ubyte.gz): install it with "
                        "`sudo apt-get install dataset-fashion-mnist`, or set NNSTUDIO_FASHION_MNIST_DIR to a "
                        "directory holding the four IDX files");
    IdxOptions options;
    options.num_classes = 10;
    options.class_names = fashion_mnist_class_names();
    options.name = split == Split::Train ? "Fashion-MNIST train" : "Fashion-MNIST test";
    Dataset d = load_idx_prefix(prefix, options);
    if (d.feature_size() != 28 * 28)
        throw DataError(prefix + ": Fashion-MNIST images must be 28x28, found " + std::to_string(d.feature_size()) +
                        " pixels per image; the files are not Fashion-MNIST");
    return d;
}

}  // namespace nnstudio::data
