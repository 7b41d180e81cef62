// LabScheme: the initialisation schemes the init lab compares side by side, good and bad, by a
// short id ("xavier_uniform", "normal", "small_normal", "zeros", ...).
#pragma once
#include "init/init_scheme.h"

#include <string>
#include <vector>

namespace nnstudio::teach {

struct LabScheme {
    std::string id;     // what --schemes takes
    std::string label;  // for plots and tables: "N(0,1)", "Kaiming uniform"
    init::InitScheme scheme;
};

// default, xavier_uniform, xavier_normal (gain 1, as the seed article calls them), xavier_tanh
// (xavier_uniform with tanh's gain 5/3), kaiming_uniform, kaiming_normal (nonlinearity relu),
// orthogonal, normal (std 1), small_normal (std 0.01), zeros — the lab's default order.
const std::vector<LabScheme>& lab_schemes();
// One of lab_schemes() by id; SpecError listing the ids for an unknown one.
const LabScheme& lab_scheme(const std::string& id);
// "a,b,c" -> schemes; an empty text gives them all.
std::vector<LabScheme> parse_lab_schemes(const std::string& comma_separated);

}  // namespace nnstudio::teach
