// Training-setup options shared by `train` and `export --train-script`.
#include "cli/train_options.h"
#include "cli/number_checks.h"

#include "error.h"
#include "init/init_scheme.h"
#include "loss/loss.h"
#include "util/json_options.h"

#include <algorithm>

namespace nnstudio::cli {

bool TrainOverrides::given(const std::string& name) const {
    for (const auto& [n, o] : options)
        if (n == name) return o->count() > 0;
    return false;
}

std::vector<std::string> TrainOverrides::given_names() const {
    std::vector<std::string> out;
    for (const auto& [n, o] : options)
        if (o->count() > 0) out.push_back(n);
    return out;
}

void add_train_options(CLI::App& cmd, TrainOverrides& t) {
    const auto add = [&](const std::string& name, auto& value, const std::string& help) {
        CLI::Option* o = cmd.add_option(name, value, help);
        t.options.emplace_back(name, o);
        return o;
    };
    add("--data", t.data, "Training data: fashion-mnist, spirals, moons, circles, xor, blobs, FILE.csv or an IDX prefix");
    add("--epochs", t.epochs, "Epochs")->check(number_in(1, 100000, true));
    add("--batch-size", t.batch_size, "Mini-batch size (the global batch under torchrun)")->check(positive_number(true));
    add("--loss", t.loss, "Loss, PyTorch's class name: " + join_names(loss::loss_names()) + " (default: the model file's training.loss, else CrossEntropyLoss)");
    add("--optimizer", t.optimizer, "sgd, adam or adamw");
    add("--lr", t.lr, "Learning rate")->check(number_in(0));
    add("--weight-decay", t.weight_decay, "Weight decay")->check(number_in(0));
    add("--momentum", t.momentum, "SGD momentum")->check(number_in(0.0, 1.0));
    add("--scheduler", t.scheduler, "Learning-rate schedule: none, step or cosine");
    add("--init", t.init,
        "Initializer for every Linear: a name (" + join_names(init::init_scheme_names()) + ") or a JSON object with options");
    add("--seed", t.seed, "Random seed of the run");
    add("--weights", t.weights,
        "Start from these weights (.pth/.safetensors: a state_dict or a checkpoint) instead of the initializer");
    add("--val-split", t.val_split, "Share of the training set held out for validation, in [0, 1)")
        ->check(number_in(0.0, 0.999999));
    add("--test-split", t.test_split,
        "Share of CSV or synthetic data held out as the test set, in [0, 1) (default 0.2; 0: none)")
        ->check(number_in(0.0, 0.999999));
    add("--csv-delimiter", t.csv_delimiter, "CSV delimiter: , ; | or tab (default: detected as Python's csv.Sniffer does)");
    add("--csv-header", t.csv_header, "Is the CSV's first row a header: yes, no or auto (default: detected)")
        ->check(CLI::IsMember({"yes", "no", "auto"}));
    add("--label-column", t.label_column, "CSV label column: a header name or a 0-based index, -1 = last (default: last)");
    add("--target-columns", t.target_columns,
        "CSV float target columns instead of a label column: NAME[,NAME...] or INDEX[,...] (regression values for "
        "MSELoss/L1Loss, 0/1 labels for BCEWithLogitsLoss)");
    add("--samples", t.samples, "Synthetic data: number of samples")->check(positive_number(true));
    add("--noise", t.noise, "Synthetic data: noise level")->check(number_in(0));
    add("--max-train-samples", t.max_train_samples, "Train on a seeded subset of this many samples (0: all)")
        ->check(number_in(0, std::numeric_limits<double>::infinity(), true));
}

train::TrainSetup training_setup(const spec::ModelSpec& spec, const std::string& model_path, const TrainOverrides& t) {
    train::TrainSetup s;
    if (spec.extra.contains("training")) {
        try {
            s = train::parse_train_setup(spec.extra["training"], "training");
        } catch (const SpecError& e) {
            throw SpecError(model_path + ": " + e.what());
        }
    }
    if (t.given("--data")) s.data = t.data;
    if (t.given("--epochs")) s.epochs = t.epochs;
    if (t.given("--batch-size")) s.batch_size = t.batch_size;
    if (t.given("--seed")) s.seed = t.seed;
    if (t.given("--val-split")) s.val_split = t.val_split;
    if (t.given("--test-split")) s.test_split = t.test_split;
    if (t.given("--weights")) s.weights = t.weights;
    if (t.given("--csv-delimiter")) {
        data::parse_csv_delimiter(t.csv_delimiter);  // checks it
        s.csv_delimiter = t.csv_delimiter;
    }
    if (t.given("--csv-header")) s.csv_header = t.csv_header;
    if (t.given("--label-column")) s.csv_label_column = t.label_column;
    // Either one replaces the other's setting from the model file: labels or targets, not both.
    if (t.given("--label-column") && !t.given("--target-columns")) s.csv_target_columns.clear();
    if (t.given("--target-columns")) {
        data::parse_target_columns(t.target_columns);  // checks it
        s.csv_target_columns = t.target_columns;
        if (!t.given("--label-column")) s.csv_label_column.clear();
    }
    if (t.given("--samples")) s.synthetic.samples = t.samples;
    if (t.given("--noise")) s.synthetic.noise = t.noise;
    if (t.given("--max-train-samples")) s.max_train_samples = t.max_train_samples;
    if (t.given("--loss")) {
        const std::vector<std::string> names = loss::loss_names();
        if (std::find(names.begin(), names.end(), t.loss) == names.end())
            throw SpecError("--loss: unknown loss '" + t.loss + "'; valid: " + join_names(names));
        // Another loss's options (weight, label_smoothing, ...) do not carry over.
        if (t.loss != s.loss.name) s.loss = {t.loss, nlohmann::json::object()};
    }
    if (t.given("--optimizer")) {
        // Another optimizer's options (lr, betas, momentum, ...) do not carry over.
        const std::string name = train::optimizer_name_from_cli(t.optimizer);
        if (name != s.optimizer.name) s.optimizer = {name, nlohmann::json::object()};
    }
    if (t.given("--lr")) s.optimizer.options["lr"] = t.lr;
    if (t.given("--weight-decay")) s.optimizer.options["weight_decay"] = t.weight_decay;
    if (t.given("--momentum")) {
        if (s.optimizer.name != "SGD")
            throw SpecError("--momentum applies to SGD only (" + s.optimizer.name +
                            " has betas instead); add --optimizer sgd, or drop --momentum");
        s.optimizer.options["momentum"] = t.momentum;
    }
    if (s.optimizer.name == "SGD" && !s.optimizer.options.contains("lr")) s.optimizer.options["lr"] = 0.01;
    if (t.given("--scheduler")) {
        // Over the run's length: cosine anneals to eta_min 0 at the last epoch; step divides the
        // learning rate by 10 after each third of the epochs.
        const std::string name = train::scheduler_name_from_cli(t.scheduler);
        if (name.empty()) s.scheduler.reset();
        else if (name == "StepLR") s.scheduler = train::NamedOptions{name, {{"step_size", std::max(1, s.epochs / 3)}, {"gamma", 0.1}}};
        else s.scheduler = train::NamedOptions{name, {{"T_max", s.epochs}}};
    }
    if (t.given("--init")) {
        nlohmann::json j = t.init;
        if (!t.init.empty() && t.init.front() == '{') {
            try {
                j = nlohmann::json::parse(t.init);
            } catch (const nlohmann::json::exception& e) {  // syntax errors, and numbers out of range
                throw SpecError(std::string("--init: not valid JSON: ") + e.what());
            }
        }
        init::parse_init_scheme(j, "--init");  // checks it, naming the option
        s.init = j;
    }
    return s;
}


}  // namespace nnstudio::cli
