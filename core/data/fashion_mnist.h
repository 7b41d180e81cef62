// Fashion-MNIST: the 60000/10000 28x28 clothing images from Debian's dataset-fashion-mnist
// package (or any directory holding the four IDX .gz files).
#pragma once
#include "data/dataset.h"

#include <string>
#include <vector>

namespace nnstudio::data {

enum class Split { Train, Test };

// $NNSTUDIO_FASHION_MNIST_DIR when set, else /usr/share/datasets/fashion-mnist (the Debian package).
std::string default_fashion_mnist_dir();
const std::vector<std::string>& fashion_mnist_class_names();  // "T-shirt/top", ..., "Ankle boot"
bool fashion_mnist_available(const std::string& dir = {});

// Features (784,) as bytes scaled by 1/255, 10 named classes. `dir` empty = the default.
// A missing data set is a DataError that says `apt-get install dataset-fashion-mnist`.
Dataset load_fashion_mnist(Split split, const std::string& dir = {});

}  // namespace nnstudio::data
