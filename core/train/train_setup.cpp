// TrainSetup JSON: strict parsing with JSON-path messages, and the CLI's lower-case names.
#include "train/train_setup.h"

#include "error.h"
#include "loss/loss.h"
#include "optim/lr_scheduler.h"
#include "optim/optimizer.h"
#include "util/json_options.h"

#include <algorithm>

namespace nnstudio::train {
namespace {

using nlohmann::json;

NamedOptions parse_named(const json& j, const std::string& path, const std::vector<std::string>& valid) {
    NamedOptions n;
    if (j.is_string()) {
        n.name = j.get<std::string>();
    } else if (j.is_object()) {
        for (const auto& [k, v] : j.items())
            if (k != "name" && k != "options") throw SpecError(path + "." + k + ": unknown key; use \"name\" and \"options\"");
        if (!j.contains("name") || !j["name"].is_string()) throw SpecError(path + ".name: expected one of " + join_names(valid));
        n.name = j["name"].get<std::string>();
        if (j.contains("options")) {
            if (!j["options"].is_object()) throw SpecError(path + ".options: expected an object");
            n.options = j["options"];
        }
    } else {
        throw SpecError(path + ": expected a name or {\"name\": ..., \"options\": {...}}");
    }
    if (std::find(valid.begin(), valid.end(), n.name) == valid.end())
        throw SpecError(path + ".name: unknown '" + n.name + "'; valid: " + join_names(valid));
    return n;
}

}  // namespace

TrainSetup parse_train_setup(const json& j, const std::string& path) {
    if (!j.is_object()) throw SpecError(path + ": expected an object with the training setup");
    JsonOptions o(j, path, "training");
    o.allow_only({"data", "normalization", "val_split", "samples", "noise", "classes", "data_seed", "label_column",
                  "target_columns", "csv_delimiter", "csv_header", "test_split", "weights",
                  "max_train_samples", "epochs", "batch_size", "seed", "loss", "optimizer", "scheduler", "init",
                  "stats_every", "device"});
    TrainSetup s;
    s.data = o.string("data", s.data);
    if (o.has("normalization")) s.normalization = data::parse_normalization_kind(o.string("normalization", "global"));
    s.val_split = o.number("val_split", s.val_split);
    if (s.val_split < 0 || s.val_split >= 1) o.fail("val_split", "expected a fraction in [0, 1)");
    s.synthetic.samples = o.integer("samples", s.synthetic.samples);
    if (o.has("noise")) s.synthetic.noise = o.number("noise", 0.0);
    s.synthetic.classes = o.integer("classes", s.synthetic.classes);
    s.synthetic.seed = static_cast<uint64_t>(o.integer("data_seed", 0));
    s.csv_label_column = o.string("label_column", "");
    if (o.has("target_columns")) {
        // A string "a,b" or "3,4", or a JSON array of names and indices.
        const json& t = j.at("target_columns");
        if (t.is_string()) {
            s.csv_target_columns = t.get<std::string>();
        } else if (t.is_array()) {
            for (const json& item : t) {
                if (!item.is_string() && !item.is_number_integer())
                    o.fail("target_columns", "expected column names or 0-based indices, e.g. [\"price\"] or [3, 4]");
                if (!s.csv_target_columns.empty()) s.csv_target_columns += ',';
                s.csv_target_columns += item.is_string() ? item.get<std::string>() : std::to_string(item.get<int64_t>());
            }
        } else {
            o.fail("target_columns", "expected a list of column names or 0-based indices, e.g. [\"price\"] or [3, 4]");
        }
        try {
            data::parse_target_columns(s.csv_target_columns);
        } catch (const Error& e) {
            o.fail("target_columns", e.what());
        }
    }
    s.csv_delimiter = o.string("csv_delimiter", "");
    if (!s.csv_delimiter.empty()) {
        try {
            data::parse_csv_delimiter(s.csv_delimiter);
        } catch (const Error& e) {
            o.fail("csv_delimiter", e.what());
        }
    }
    s.csv_header = o.string("csv_header", s.csv_header);
    if (s.csv_header != "yes" && s.csv_header != "no" && s.csv_header != "auto")
        o.fail("csv_header", "expected \"yes\", \"no\" or \"auto\"");
    s.test_split = o.number("test_split", s.test_split);
    if (s.test_split < 0 || s.test_split >= 1) o.fail("test_split", "expected a fraction in [0, 1)");
    s.max_train_samples = o.integer("max_train_samples", 0);
    if (s.max_train_samples < 0) o.fail("max_train_samples", "expected 0 (all) or a positive count");
    s.epochs = static_cast<int>(o.integer("epochs", s.epochs));
    if (s.epochs < 1 || s.epochs > 100000) o.fail("epochs", "expected 1..100000");
    s.batch_size = o.integer("batch_size", s.batch_size);
    if (s.batch_size < 1) o.fail("batch_size", "expected a positive batch size");
    s.seed = static_cast<uint64_t>(o.integer("seed", 0));
    if (j.contains("loss")) s.loss = parse_named(j["loss"], path + ".loss", loss::loss_names());
    if (j.contains("optimizer")) s.optimizer = parse_named(j["optimizer"], path + ".optimizer", optim::optimizer_names());
    if (j.contains("scheduler") && !j["scheduler"].is_null())
        s.scheduler = parse_named(j["scheduler"], path + ".scheduler", optim::scheduler_names());
    if (j.contains("init")) s.init = j["init"];
    s.weights = o.string("weights", "");
    s.stats_every = static_cast<int>(o.integer("stats_every", s.stats_every));
    if (s.stats_every < 1) o.fail("stats_every", "expected a positive step count");
    s.device = o.string("device", s.device);
    try {
        Device::parse(s.device);
    } catch (const DeviceError&) {
        o.fail("device", "expected \"cpu\", \"cuda\" or \"cuda:N\", got \"" + s.device + "\"");
    }
    return s;
}

json to_json(const TrainSetup& s) {
    json j = {{"data", s.data},
              {"normalization", data::to_string(s.normalization)},
              {"val_split", s.val_split},
              {"samples", s.synthetic.samples},
              {"classes", s.synthetic.classes},
              {"data_seed", s.synthetic.seed},
              {"max_train_samples", s.max_train_samples},
              {"epochs", s.epochs},
              {"batch_size", s.batch_size},
              {"seed", s.seed},
              {"loss", {{"name", s.loss.name}, {"options", s.loss.options}}},
              {"optimizer", {{"name", s.optimizer.name}, {"options", s.optimizer.options}}},
              {"stats_every", s.stats_every},
              {"device", s.device}};
    if (s.synthetic.noise) j["noise"] = *s.synthetic.noise;
    if (!s.csv_label_column.empty()) j["label_column"] = s.csv_label_column;
    if (!s.csv_target_columns.empty()) {
        j["target_columns"] = json::array();
        for (const data::LabelColumn& c : data::parse_target_columns(s.csv_target_columns))
            j["target_columns"].push_back(c.name() ? json(*c.name()) : json(*c.index()));
    }
    if (!s.csv_delimiter.empty()) j["csv_delimiter"] = s.csv_delimiter;
    if (s.csv_header != "auto") j["csv_header"] = s.csv_header;
    if (s.test_split != 0.2) j["test_split"] = s.test_split;
    j["scheduler"] = s.scheduler ? json{{"name", s.scheduler->name}, {"options", s.scheduler->options}} : json();
    if (!s.init.is_null()) j["init"] = s.init;
    if (!s.weights.empty()) j["weights"] = s.weights;
    return j;
}

std::string optimizer_name_from_cli(const std::string& text) {
    if (text == "sgd" || text == "SGD") return "SGD";
    if (text == "adam" || text == "Adam") return "Adam";
    if (text == "adamw" || text == "AdamW") return "AdamW";
    throw SpecError("--optimizer: unknown '" + text + "'; use sgd, adam or adamw");
}

std::string scheduler_name_from_cli(const std::string& text) {
    if (text == "none" || text.empty()) return "";
    if (text == "step" || text == "StepLR") return "StepLR";
    if (text == "cosine" || text == "CosineAnnealingLR") return "CosineAnnealingLR";
    throw SpecError("--scheduler: unknown '" + text + "'; use none, step or cosine");
}

data::DataOptions data_options_for(const TrainSetup& setup) {
    data::DataOptions options;
    options.synthetic = setup.synthetic;
    options.split_seed = setup.seed;
    options.test_fraction = setup.test_split;
    if (!setup.csv_label_column.empty()) options.csv.label_column = data::LabelColumn::parse(setup.csv_label_column);
    options.csv.target_columns = data::parse_target_columns(setup.csv_target_columns);
    if (!setup.csv_delimiter.empty()) options.csv.delimiter = data::parse_csv_delimiter(setup.csv_delimiter);
    options.csv.has_header = data::parse_csv_header(setup.csv_header);
    return options;
}

}  // namespace nnstudio::train
