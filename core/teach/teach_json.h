// JSON forms of the teaching analyses' results (what `nnstudio-cli ... --json` prints, and what a
// front end can save or send): every field of the structs, tensors as nested arrays.
#pragma once
#include "teach/gradient_report.h"
#include "teach/init_lab.h"
#include "teach/mode_compare.h"
#include "teach/pitfalls.h"

#include <nlohmann/json.hpp>

namespace nnstudio::teach {

nlohmann::json to_json(const Histogram& h);
nlohmann::json to_json(const InitLabResult& r);
nlohmann::json to_json(const ModeComparison& c);
nlohmann::json to_json(const GradientReport& r);
nlohmann::json to_json(const Finding& f);

}  // namespace nnstudio::teach
