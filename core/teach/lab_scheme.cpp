// The init lab's schemes: torch.nn.init calls as the seed article writes them (biases zero).
#include "teach/lab_scheme.h"

#include "error.h"

#include <algorithm>

namespace nnstudio::teach {
namespace {

LabScheme make(std::string id, std::string label, std::string name, double std = 1, std::string nonlinearity = "leaky_relu",
               double gain = 1) {
    init::InitScheme s;
    s.name = std::move(name);
    s.std = std;
    s.gain = gain;
    s.nonlinearity = std::move(nonlinearity);
    return {std::move(id), std::move(label), s};
}

}  // namespace

const std::vector<LabScheme>& lab_schemes() {
    static const std::vector<LabScheme> schemes = {
        make("default", "PyTorch default", "pytorch_default"),
        make("xavier_uniform", "Xavier uniform", "xavier_uniform"),
        make("xavier_normal", "Xavier normal", "xavier_normal"),
        // torch.nn.init.calculate_gain('tanh') = 5/3: what PyTorch's documentation pairs with tanh.
        make("xavier_tanh", "Xavier uniform, gain 5/3", "xavier_uniform", 1, "leaky_relu", 5.0 / 3.0),
        make("kaiming_uniform", "Kaiming uniform", "kaiming_uniform", 1, "relu"),
        make("kaiming_normal", "Kaiming normal", "kaiming_normal", 1, "relu"),
        make("orthogonal", "Orthogonal", "orthogonal"),
        make("normal", "N(0,1)", "normal", 1.0),
        make("small_normal", "N(0,0.01²)", "normal", 0.01),
        make("zeros", "Zeros", "zeros"),
    };
    return schemes;
}

const LabScheme& lab_scheme(const std::string& id) {
    std::string ids;
    for (const LabScheme& s : lab_schemes()) {
        if (s.id == id) return s;
        ids += (ids.empty() ? "" : ", ") + s.id;
    }
    throw SpecError("unknown init lab scheme '" + id + "': choose from " + ids);
}

std::vector<LabScheme> parse_lab_schemes(const std::string& comma_separated) {
    if (comma_separated.empty()) return lab_schemes();
    std::vector<LabScheme> out;
    size_t start = 0;
    while (start <= comma_separated.size()) {
        const size_t end = std::min(comma_separated.find(',', start), comma_separated.size());
        out.push_back(lab_scheme(comma_separated.substr(start, end - start)));
        start = end + 1;
    }
    return out;
}

}  // namespace nnstudio::teach
