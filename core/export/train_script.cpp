// Training-script generation: a settings block and the setup-specific functions (loss, optimizer,
// scheduler, initializer, data loader) generated from the TrainSetup, followed by a fixed training
// loop that runs on one process or under torchrun with DistributedDataParallel.
#include "export/train_script.h"

#include "data/data_error.h"
#include "error.h"
#include "init/init_scheme.h"
#include "io/tensor_file.h"
#include "loss/loss.h"
#include "loss/loss_target.h"
#include "nn/linear.h"
#include "optim/lr_scheduler.h"
#include "optim/optimizer.h"
#include "spec/model_builder.h"
#include "train/accuracy.h"
#include "util/json_options.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <optional>
#include <sstream>

namespace nnstudio::exporter {
namespace {

using nlohmann::json;

// Shortest text that reads back as the same double (0.2, not 0.20000000000000001).
std::string py_number(double v) {
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, v);
    std::string t(buf, res.ptr);
    if (t == "inf") return "float(\"inf\")";
    if (t == "-inf") return "-float(\"inf\")";
    if (t.find_first_of(".eEn") == std::string::npos) t += ".0";
    return t;
}

// A JSON string is a valid Python string literal (escapes included).
std::string py_string(const std::string& s) { return json(s).dump(); }

// JSON option value -> Python literal: arrays become tuples (betas=(0.9, 0.999)).
std::string py_value(const json& v) {
    if (v.is_null()) return "None";
    if (v.is_boolean()) return v.get<bool>() ? "True" : "False";
    if (v.is_number_integer()) return v.dump();
    if (v.is_number()) return py_number(v.get<double>());
    if (v.is_string()) return py_string(v.get<std::string>());
    if (v.is_array()) {
        std::string s = "(";
        for (size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + py_value(v[i]);
        return s + (v.size() == 1 ? ",)" : ")");
    }
    std::string s = "{";
    bool first = true;
    for (const auto& [k, item] : v.items()) {
        s += (first ? "" : ", ") + py_string(k) + ": " + py_value(item);
        first = false;
    }
    return s + "}";
}

// Keyword arguments from an options object; `first` keys lead (lr before the rest), and arrays
// under `tensor_keys` become float tensors (a loss's per-class weight).
std::string py_kwargs(const json& options, const std::vector<std::string>& first = {},
                      const std::vector<std::string>& tensor_keys = {}) {
    std::vector<std::string> keys = first;
    keys.erase(std::remove_if(keys.begin(), keys.end(), [&](const std::string& k) { return !options.contains(k); }),
               keys.end());
    for (const auto& [k, v] : options.items())
        if (std::find(keys.begin(), keys.end(), k) == keys.end()) keys.push_back(k);
    std::string s;
    for (const std::string& k : keys) {
        const json& v = options[k];
        std::string value;
        if (v.is_array() && std::find(tensor_keys.begin(), tensor_keys.end(), k) != tensor_keys.end()) {
            value = "torch.tensor([";
            for (size_t i = 0; i < v.size(); ++i) value += (i ? ", " : "") + py_number(v[i].get<double>());
            value += "])";
        } else {
            value = py_value(v);
        }
        s += (s.empty() ? "" : ", ") + k + "=" + value;
    }
    return s;
}

// Checks the loss, optimizer and scheduler options with the engine's own factories, so the script
// never carries a setting NN Studio would reject (messages name training.<key>).
void validate_setup(const train::TrainSetup& setup) {
    loss::make_loss(setup.loss.name, setup.loss.options, "training.loss");
    nn::Parameter probe{"weight", Tensor({1}), Tensor()};
    auto optimizer = optim::make_optimizer(setup.optimizer.name, {&probe}, setup.optimizer.options, "training.optimizer");
    if (setup.scheduler)
        optim::make_scheduler(setup.scheduler->name, *optimizer, setup.scheduler->options, "training.scheduler");
    if (setup.epochs < 1) throw SpecError("training.epochs: expected at least 1");
    if (setup.batch_size < 1) throw SpecError("training.batch_size: expected a positive batch size");
    if (!(setup.val_split >= 0 && setup.val_split < 1)) throw SpecError("training.val_split: expected a fraction in [0, 1)");
}

// ---- initializers -------------------------------------------------------------------------------

struct LinearInit {
    std::string path;  // attribute path in the generated class ("blocks.0.fc1")
    init::InitScheme scheme;
    bool has_bias = false;
};

// Every Linear of the model (its flags as in the file) with the scheme it gets (see the header).
std::vector<LinearInit> linear_inits(const spec::ModelSpec& model, const train::TrainSetup& setup) {
    init::InitScheme file_default;
    std::optional<init::InitScheme> override_all;
    const json default_json = model.init.value("default", json());
    if (!default_json.is_null()) file_default = init::parse_init_scheme(default_json, "/init/default");
    if (!setup.init.is_null()) override_all = init::parse_init_scheme(setup.init, "training.init");
    nn::Model built = spec::build_model(model);
    std::vector<LinearInit> out;
    for (const nn::LayerInfo& info : built.layers()) {
        auto* lin = dynamic_cast<nn::Linear*>(info.module);
        if (!lin) continue;
        LinearInit li{info.path, file_default, lin->has_bias()};
        if (override_all) li.scheme = *override_all;
        else if (!info.init.is_null()) li.scheme = init::parse_init_scheme(info.init, info.json_path + "/init");
        out.push_back(li);
    }
    return out;
}

// The torch.nn.init call for a weight; empty for pytorch_default (nn.Linear already did it).
std::string weight_init_call(const init::InitScheme& s, const std::string& w) {
    const std::string& n = s.name;
    if (n == "pytorch_default") return "";
    if (n == "xavier_uniform" || n == "xavier_normal" || n == "orthogonal")
        return "nn.init." + n + "_(" + w + ", gain=" + py_number(s.gain) + ")";
    if (n == "kaiming_uniform" || n == "kaiming_normal")
        return "nn.init." + n + "_(" + w + ", a=" + py_number(s.a) + ", mode=" + py_string(s.mode) +
               ", nonlinearity=" + py_string(s.nonlinearity) + ")";
    if (n == "uniform") return "nn.init.uniform_(" + w + ", a=" + py_number(s.low) + ", b=" + py_number(s.high) + ")";
    if (n == "normal") return "nn.init.normal_(" + w + ", mean=" + py_number(s.mean) + ", std=" + py_number(s.std) + ")";
    if (n == "constant") return "nn.init.constant_(" + w + ", " + py_number(s.value) + ")";
    if (n == "zeros" || n == "ones") return "nn.init." + n + "_(" + w + ")";
    throw Error("cannot export init scheme \"" + n + "\"; valid schemes: " + join_names(init::init_scheme_names()));
}

// Lines (without indentation) initialising `layer`'s weight and bias.
std::vector<std::string> init_lines(const init::InitScheme& s, const std::string& layer, bool bias_may_exist,
                                    bool bias_is_known_present) {
    std::vector<std::string> lines;
    lines.push_back(weight_init_call(s, layer + ".weight"));
    if (!bias_may_exist) return lines;
    if (s.bias == "zeros") {
        if (bias_is_known_present) {
            lines.push_back("nn.init.zeros_(" + layer + ".bias)");
        } else {
            lines.push_back("if " + layer + ".bias is not None:");
            lines.push_back("    nn.init.zeros_(" + layer + ".bias)");
        }
    } else {
        lines.push_back("# bias: kept as nn.Linear initialised it, U(-1/sqrt(in_features), 1/sqrt(in_features))");
    }
    return lines;
}

std::string init_function(const spec::ModelSpec& model, const train::TrainSetup& setup) {
    const std::vector<LinearInit> layers = linear_inits(model, setup);
    const bool uniform = std::all_of(layers.begin(), layers.end(),
                                     [&](const LinearInit& l) { return l.scheme == layers.front().scheme; });
    const std::string origin = setup.init.is_null() ? "the model file" : "the training setup";
    std::ostringstream f;
    f << "def init_weights(model):\n";
    if (layers.empty() || (uniform && layers.front().scheme.name == "pytorch_default")) {
        f << "    \"\"\"PyTorch's own nn.Linear initialisation (" << origin
          << " names no other): nothing to change.\"\"\"\n    return model\n";
        return f.str();
    }
    if (uniform) {
        const init::InitScheme& s = layers.front().scheme;
        f << "    \"\"\"The initializer from " << origin << " for every Linear: " << init::to_json(s).dump() << ".\"\"\"\n"
          << "    for module in model.modules():\n"
          << "        if isinstance(module, nn.Linear):\n";
        for (const std::string& line : init_lines(s, "module", true, false)) f << "            " << line << "\n";
        f << "    return model\n";
        return f.str();
    }
    f << "    \"\"\"Each Linear's initializer from " << origin << " (per-layer \"init\" overrides).\"\"\"\n";
    for (const LinearInit& l : layers) {
        f << "    # " << l.path << ": " << init::to_json(l.scheme).dump() << "\n";
        if (l.scheme.name == "pytorch_default") {
            f << "    #   PyTorch's default: left as nn.Linear initialised it\n";
            continue;
        }
        f << "    layer = model.get_submodule(" << py_string(l.path) << ")\n";
        for (const std::string& line : init_lines(l.scheme, "layer", l.has_bias, true)) f << "    " << line << "\n";
    }
    f << "    return model\n";
    return f.str();
}

// ---- data loaders -------------------------------------------------------------------------------

const char* const kIdxReader = R"PY(def read_idx(path):
    """An IDX file (the MNIST format, plain or .gz) as a uint8 numpy array of its dimensions."""
    with (gzip.open if path.endswith(".gz") else open)(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08 or ndim == 0:
        raise SystemExit(f"{path}: not an unsigned-byte IDX file (magic {data[:4].hex()})")
    dims = struct.unpack(f">{ndim}I", data[4 : 4 + 4 * ndim])
    values = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if values.size != math.prod(dims):
        raise SystemExit(f"{path}: {values.size} values for dimensions {dims}; the file is truncated or corrupt")
    return values.reshape(dims)


def idx_file(prefix, kind):
    """<prefix>-images-idx3-ubyte or <prefix>-labels-idx1-ubyte, plain or .gz (also "-images.idx3-ubyte")."""
    ext = "idx3-ubyte" if kind == "images" else "idx1-ubyte"
    for sep in ("-", "."):
        for gz in ("", ".gz"):
            path = f"{prefix}-{kind}{sep}{ext}{gz}"
            if os.path.exists(path):
                return path
    return None


def read_idx_set(prefix):
    """Images as float32 (N, rows * cols), bytes / 255, and labels as int64 (N,)."""
    images, labels = idx_file(prefix, "images"), idx_file(prefix, "labels")
    if images is None or labels is None:
        raise SystemExit(f"{prefix}-images-idx3-ubyte[.gz] or {prefix}-labels-idx1-ubyte[.gz] not found; "
                         "pass the data location with --data")
    x, y = read_idx(images), read_idx(labels)
    if len(x) != len(y):
        raise SystemExit(f"{images} has {len(x)} images but {labels} has {len(y)} labels")
    x = torch.from_numpy(x.reshape(len(x), -1).astype(np.float32) / 255)
    return x, torch.from_numpy(y.astype(np.int64))
)PY";

const char* const kHoldOutTest = R"PY(def hold_out_test(x, y):
    """A source without a test set of its own: TEST_FRACTION of it, chosen by a seeded shuffle, is the test set."""
    keep, test = hold_out(len(x), TEST_FRACTION, SEED)
    return x[keep], y[keep], x[test], y[test]
)PY";

std::string data_section(const data::DataSource& source, const train::TrainSetup& setup) {
    std::ostringstream s;
    switch (source.kind) {
        case data::DataSourceKind::Synthetic: {
            const data::LoadedData d = data::load_data(source, train::data_options_for(setup));
            s << "def load_data(path):\n"
              << "    \"\"\"NN Studio's seeded \"" << source.name << "\" set (" << d.train.size() << " training / "
              << d.test.size() << " test samples, " << d.num_classes << " classes),\n"
              << "    exactly as NN Studio generated it: x_* float32 (N, 2), y_* int64 (N,).\"\"\"\n"
              << "    tensors = torch.load(path)\n"
              << "    return tensors[\"x_train\"], tensors[\"y_train\"], tensors[\"x_test\"], tensors[\"y_test\"]\n";
            break;
        }
        case data::DataSourceKind::FashionMnist:
            s << kIdxReader << "\n\n"
              << R"PY(def load_data(path):
    """Fashion-MNIST from the folder of its IDX .gz files (Debian's dataset-fashion-mnist package):
    60000 training and 10000 test images of 28x28, pixel bytes / 255, 10 classes."""
    if not (idx_file(os.path.join(path, "train"), "images") and idx_file(os.path.join(path, "t10k"), "images")):
        raise SystemExit(f"Fashion-MNIST not found in {path}: install it with `sudo apt-get install "
                         "dataset-fashion-mnist`, or pass the folder holding its four IDX files with --data")
    x_train, y_train = read_idx_set(os.path.join(path, "train"))
    x_test, y_test = read_idx_set(os.path.join(path, "t10k"))
    return x_train, y_train, x_test, y_test
)PY";
            break;
        case data::DataSourceKind::Idx:
            s << kIdxReader << "\n\n" << kHoldOutTest << "\n\n"
              << R"PY(def idx_prefixes(spec):
    """(train prefix, test prefix or None) as NN Studio resolves them: a folder's train-* and t10k-* (or
    test-*) files, or a prefix ending in "train" whose t10k/test siblings exist."""
    if os.path.isdir(spec):
        base = os.path.join(spec, "")
        train = base + "train"
    elif spec.endswith("train"):
        base, train = spec[: -len("train")], spec
    else:
        return spec, None
    for test in ("t10k", "test"):
        if idx_file(base + test, "images") and idx_file(base + test, "labels"):
            return train, base + test
    return train, None


def load_data(path):
    """IDX image/label files: the prefix's files for training, and its t10k/test siblings as the
    test set when they exist (else a held-out part of the training files)."""
    train, test = idx_prefixes(path)
    x, y = read_idx_set(train)
    if test is None:
        return hold_out_test(x, y)
    x_test, y_test = read_idx_set(test)
    return x, y, x_test, y_test
)PY";
            break;
        case data::DataSourceKind::Csv:
            s << kHoldOutTest << "\n\n"
              << R"PY(def load_data(path):
    """A CSV file (or .csv.gz); its delimiter and header row are detected with csv.Sniffer unless
    CSV_DELIMITER / CSV_HEADER say. Every column but the label column (LABEL_COLUMN) is a float
    feature; labels that are all whole numbers >= 0 are class indices, other labels become classes
    in order of first appearance. The test set is a held-out part of the rows."""
    with (gzip.open if path.lower().endswith(".gz") else open)(path, "rt", newline="", encoding="utf-8-sig") as f:
        text = f.read()
    sample = "\n".join([line for line in text.splitlines() if line.strip()][:20]) + "\n"
    delimiter = CSV_DELIMITER
    if delimiter is None:
        try:
            delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
        except csv.Error:
            delimiter = ","
    rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)
            if any(cell.strip() for cell in row)]
    if not rows:
        raise SystemExit(f"{path}: the file is empty")
    has_header = CSV_HEADER
    if has_header is None and len(rows) == 1:  # csv.Sniffer cannot tell: a row without numbers is a header
        has_header = not any(c.lstrip("+-").replace(".", "", 1).isdigit() for c in rows[0])
    if has_header is None:
        try:
            has_header = csv.Sniffer().has_header(sample)
        except csv.Error:
            has_header = False
    header = rows[0] if has_header else [f"column {k + 1}" for k in range(len(rows[0]))]
    rows = rows[1:] if has_header else rows
    if not rows:
        raise SystemExit(f"{path}: the file has a header line but no data rows")
    if TARGET_COLUMNS:
        return hold_out_test(*read_targets(path, header, rows))
    label = len(header) - 1 if LABEL_COLUMN is None else column_index(path, header, LABEL_COLUMN, "the label")
    features, labels = [], []
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            raise SystemExit(f"{path}: data row {number} has {len(row)} cells but the header has {len(header)}")
        try:
            features.append([float(cell) for k, cell in enumerate(row) if k != label])
        except ValueError as e:
            raise SystemExit(f"{path}: data row {number}: {e}; feature columns must be numeric")
        labels.append(row[label])
    # Class indices when every label is a whole number >= 0, names when none is; a mix is refused
    # (read as names it would renumber the integer classes), as nnstudio-cli refuses it.
    indices = [class_index(v) for v in labels]
    if all(i is not None for i in indices):
        y = torch.tensor(indices, dtype=torch.int64)
    elif all(i is None for i in indices):
        classes = {}
        y = torch.tensor([classes.setdefault(v, len(classes)) for v in labels], dtype=torch.int64)
    else:
        odd = next(n for n, i in enumerate(indices) if (i is None) == (indices.count(None) * 2 < len(indices)))
        raise SystemExit(f"{path}: data row {odd + 1}: label {labels[odd]!r} mixes class indices and names in one column; "
                         "labels must be all integers (class indices 0, 1, 2, ...) or all names")
    return hold_out_test(torch.tensor(features, dtype=torch.float32), y)


def column_index(path, header, column, role):
    """A column given by name or by (negative) index, as the header numbers it."""
    if isinstance(column, int):
        if not -len(header) <= column < len(header):
            raise SystemExit(f"{path}: column index {column} for {role} is out of range; the file has {len(header)} columns")
        return column % len(header)
    if column in header:
        return header.index(column)
    raise SystemExit(f"{path}: no column named {column!r} for {role}; the header has {header}")


def class_index(text):
    """The class index a label names (a whole number >= 0), or None for a name."""
    try:
        v = float(text)
    except ValueError:
        return None
    return int(v) if math.isfinite(v) and v >= 0 and v == int(v) else None


def read_targets(path, header, rows):
    """TARGET_COLUMNS (names or indices) as float32 targets (N, T), used by the loss as they are;
    every other column is a float feature."""
    targets = []
    for column in TARGET_COLUMNS:
        k = column_index(path, header, column, "a target")
        if k in targets:
            raise SystemExit(f"{path}: column {k + 1} is given twice as a target column")
        targets.append(k)
    features, y = [], []
    for number, row in enumerate(rows, start=1):
        if len(row) != len(header):
            raise SystemExit(f"{path}: data row {number} has {len(row)} cells but the header has {len(header)}")
        try:
            y.append([float(row[k]) for k in targets])
            features.append([float(cell) for k, cell in enumerate(row) if k not in targets])
        except ValueError as e:
            raise SystemExit(f"{path}: data row {number}: {e}; feature and target columns must be numeric")
    y = torch.tensor(y, dtype=torch.float32)
    global ACCURACY
    if ACCURACY == "multi_label" and not ((y >= 0) & (y <= 1)).all():
        # regression values, not 0/1 labels: "sigmoid > 0.5 matches target > 0.5" would mean nothing
        print(f"warning: BCEWithLogitsLoss compares sigmoid(output) with targets in [0, 1], but {path} has target values "
              "outside it: no accuracy; use MSELoss or L1Loss for regression targets", file=sys.stderr)
        ACCURACY = None
    return torch.tensor(features, dtype=torch.float32), y
)PY";
            break;
    }
    return s.str();
}

// What --data defaults to, as a Python expression.
std::string data_default(const data::DataSource& source, const std::string& data_file) {
    switch (source.kind) {
        case data::DataSourceKind::Synthetic:
            return "os.path.join(os.path.dirname(os.path.abspath(__file__)), " + py_string(data_file) + ")";
        case data::DataSourceKind::FashionMnist:
            return "os.environ.get(\"NNSTUDIO_FASHION_MNIST_DIR\") or \"/usr/share/datasets/fashion-mnist\"";
        default: return py_string(source.name);
    }
}

std::string data_comment(const data::DataSource& source) {
    switch (source.kind) {
        case data::DataSourceKind::Synthetic: return "the data file NN Studio wrote next to this script";
        case data::DataSourceKind::FashionMnist: return "the folder of the Fashion-MNIST IDX files";
        case data::DataSourceKind::Csv: return "a CSV file";
        case data::DataSourceKind::Idx: return "an IDX prefix or folder";
    }
    return "";
}

// ---- the fixed part -----------------------------------------------------------------------------

const char* const kTrainingLoop = R"PY(# ---- training (the same for every setup) ------------------------------------------------------


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--epochs", type=int, default=EPOCHS, help=f"epochs to train (default {EPOCHS})")
    p.add_argument("--max-train-samples", type=int, default=MAX_TRAIN_SAMPLES,
                   help="train on a seeded subset of this many training samples; 0: all (for quick runs)")
    p.add_argument("--out", default="weights.pth", help="where rank 0 saves the trained state_dict")
    p.add_argument("--data", default=DATA, help=f"the data location (default {DATA})")
    p.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto",
                   help="auto: CUDA when available (one GPU per process), else the CPU")
    args = p.parse_args()
    if args.epochs < 1:
        p.error("--epochs must be at least 1")
    if args.max_train_samples < 0:
        p.error("--max-train-samples must be 0 (all) or a positive count")
    return args


def setup_distributed(device_choice):
    """(rank, world size, device). torchrun sets WORLD_SIZE, RANK and LOCAL_RANK; `python3 train.py` is one process."""
    use_cuda = torch.cuda.is_available() if device_choice == "auto" else device_choice == "cuda"
    if use_cuda and not torch.cuda.is_available():
        raise SystemExit("--device cuda: CUDA is not available here; use --device cpu")
    world_size = int(os.environ.get("WORLD_SIZE", "1"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    if use_cuda:
        torch.cuda.set_device(local_rank)
    device = torch.device("cuda", local_rank) if use_cuda else torch.device("cpu")
    if world_size == 1:
        return 0, 1, device
    dist.init_process_group(backend="nccl" if use_cuda else "gloo")
    return dist.get_rank(), world_size, device


def log(rank, text):
    if rank == 0:
        print(text, flush=True)


def seeded_permutation(n, seed):
    return torch.randperm(n, generator=torch.Generator().manual_seed(seed))


def hold_out(n, fraction, seed):
    """(kept, held-out) sorted indices: ceil(fraction * n) samples chosen by a seeded shuffle are held out."""
    n_out = math.ceil(fraction * n - 1e-9)
    if n - n_out < 1:
        raise SystemExit(f"holding out {fraction} of {n} samples leaves none to train on; use more data")
    order = seeded_permutation(n, seed)
    return order[n_out:].sort().values, order[:n_out].sort().values


def fit_normalization(x):
    """(mean, std) of the training samples only, population std floored at 1e-8, accumulated in float64."""
    if NORMALIZATION == "none":
        return None
    x = x.flatten(1).double()
    mean = x.mean() if NORMALIZATION == "global" else x.mean(dim=0)
    var = ((x - mean) ** 2).mean() if NORMALIZATION == "global" else ((x - mean) ** 2).mean(dim=0)
    return mean.float(), var.sqrt().clamp_min(1e-8).float()


def model_input(x, normalization):
    x = x.flatten(1)  # (N, features)
    if normalization is not None:
        mean, std = normalization
        x = (x - mean) / std
    if x.shape[1] != math.prod(INPUT_SHAPE):
        raise SystemExit(f"the data has {x.shape[1]} features per sample but the model takes {INPUT_SHAPE}")
    return x.reshape(-1, *INPUT_SHAPE)


def batch_totals(out, y, loss):
    """[loss summed over the batch, correct predictions, samples], float64 on the device (no sync per step).
    ACCURACY "multi_label" counts each sample as the share of its labels where sigmoid(logit) > 0.5
    matches the 0/1 target; None (regression targets) counts nothing."""
    loss_sum = loss.detach().double() * (len(y) if LOSS_REDUCTION == "mean" else 1)
    if ACCURACY == "classes":
        correct = (out.argmax(dim=1) == y).sum().double()
    elif ACCURACY == "multi_label":
        correct = ((out.detach() > 0) == (y > 0.5)).double().mean(dim=1).sum()
    else:
        correct = torch.zeros((), dtype=torch.float64, device=y.device)
    return torch.stack([loss_sum, correct, torch.tensor(float(len(y)), dtype=torch.float64, device=y.device)])


def accuracy_text(part, accuracy):
    """" train_acc=0.9000", or nothing for regression targets (no accuracy, only the loss)."""
    return "" if ACCURACY is None else f" {part}_acc={accuracy:.4f}"


def summed(totals, world_size):
    """(mean loss, accuracy, samples) from per-process totals added up over all processes."""
    if world_size > 1:
        dist.all_reduce(totals)
    loss_sum, correct, n = totals.tolist()
    return loss_sum / max(n, 1), correct / max(n, 1), int(n)


def evaluate(model, loss_fn, x, y, rank, world_size):
    """Loss and accuracy in eval mode; each process takes every world_size-th sample."""
    if world_size > 1:  # every process evaluates with rank 0's BatchNorm running statistics
        for buffer in model.buffers():
            dist.broadcast(buffer, src=0)
    model.eval()
    totals = torch.zeros(3, dtype=torch.float64, device=x.device)
    with torch.no_grad():
        for xb, yb in zip(x[rank::world_size].split(EVAL_BATCH_SIZE), y[rank::world_size].split(EVAL_BATCH_SIZE)):
            out = model(xb)
            totals += batch_totals(out, yb, loss_fn(out, loss_target(out, yb)))
    return summed(totals, world_size)


def describe_partition(sampler, n_train, world_size, device):
    """How DistributedSampler shares the training samples out: the count per rank and whether they overlap."""
    mine = torch.tensor(list(iter(sampler)), dtype=torch.int64, device=device)
    if world_size == 1:
        return f"training samples: {len(mine)} on 1 process"
    everyone = [torch.empty_like(mine) for _ in range(world_size)]
    dist.all_gather(everyone, mine)
    distinct = len(torch.cat(everyone).unique())
    overlap = "disjoint" if distinct == sum(len(t) for t in everyone) else "padded to equal shares"
    return (f"training samples per rank: {[len(t) for t in everyone]} "
            f"({distinct} distinct of {n_train}, {overlap})")


def main():
    args = parse_args()
    rank, world_size, device = setup_distributed(args.device)

    x_train, y_train, x_test, y_test = load_data(args.data)
    train_idx, val_idx = hold_out(len(x_train), VAL_SPLIT, SEED)
    if 0 < args.max_train_samples < len(train_idx):  # a seeded subset of the training part; validation keeps all
        train_idx = train_idx[seeded_permutation(len(train_idx), SEED + 1)[: args.max_train_samples]].sort().values
    normalization = fit_normalization(x_train[train_idx])
    x_val, y_val = model_input(x_train[val_idx], normalization).to(device), y_train[val_idx].to(device)
    x_test, y_test = model_input(x_test, normalization).to(device), y_test.to(device)
    x_train, y_train = model_input(x_train[train_idx], normalization).to(device), y_train[train_idx].to(device)

    torch.manual_seed(SEED)  # the same initial weights in every process (DDP also broadcasts rank 0's)
    model = init_weights(build_model())
    if WEIGHTS:  # start from given weights instead of the initializer, as `nnstudio-cli train --weights`
        model.load_state_dict(torch.load(WEIGHTS, map_location="cpu"), strict=True)
    model = model.to(device)
    # BatchNorm cannot train on a single sample: such a last batch is skipped, as NN Studio does.
    has_batch_norm = any(isinstance(m, nn.modules.batchnorm._BatchNorm) for m in model.modules())
    net = model
    if world_size > 1:
        net = DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    torch.manual_seed(SEED + rank)  # dropout masks differ between processes
    loss_fn = make_loss().to(device)
    optimizer = make_optimizer(model.parameters())
    scheduler = make_scheduler(optimizer)

    # Each process trains on its own shard; BATCH_SIZE is the global batch (DDP averages the gradients).
    sampler = DistributedSampler(TensorDataset(x_train, y_train), num_replicas=world_size, rank=rank,
                                 shuffle=True, seed=SEED)
    batch_per_process = max(1, BATCH_SIZE // world_size)
    processes = (f"{dist.get_backend()}, {world_size} processes, batch {batch_per_process} each" if world_size > 1
                 else f"1 process, batch {batch_per_process}")
    log(rank, f"{type(model).__name__}: {sum(p.numel() for p in model.parameters())} parameters on {device} ({processes})")
    log(rank, f"data: {len(x_train)} train / {len(x_val)} validation / {len(x_test)} test samples")
    partition = describe_partition(sampler, len(x_train), world_size, device)
    log(rank, partition)

    for epoch in range(args.epochs):
        start = time.time()
        lr = optimizer.param_groups[0]["lr"]
        sampler.set_epoch(epoch)  # a new shuffle each epoch, the same on every process
        net.train()
        totals = torch.zeros(3, dtype=torch.float64, device=device)
        order = torch.tensor(list(iter(sampler)), dtype=torch.int64, device=device)
        for batch in order.split(batch_per_process):
            if len(batch) == 1 and has_batch_norm:
                continue
            xb, yb = x_train[batch], y_train[batch]
            optimizer.zero_grad(set_to_none=True)
            out = net(xb)
            loss = loss_fn(out, loss_target(out, yb))
            loss.backward()
            optimizer.step()
            totals += batch_totals(out, yb, loss)
        if scheduler is not None:
            scheduler.step()
        train_loss, train_acc, _ = summed(totals, world_size)
        line = f"epoch {epoch + 1}/{args.epochs} train_loss={train_loss:.4f}" + accuracy_text("train", train_acc)
        if len(x_val):
            val_loss, val_acc, _ = evaluate(model, loss_fn, x_val, y_val, rank, world_size)
            line += f" val_loss={val_loss:.4f}" + accuracy_text("val", val_acc)
        log(rank, f"{line} lr={lr:.6g} time={time.time() - start:.1f}s")

    if len(x_test):  # the same on every process; an empty set would give a NaN mean
        test_loss, test_acc, n_test = evaluate(model, loss_fn, x_test, y_test, rank, world_size)
        log(rank, f"test_loss={test_loss:.4f}{accuracy_text('test', test_acc)} samples={n_test}")
    else:
        log(rank, "no test set")
    if rank == 0:  # write-then-rename: a reader never sees half a file
        partial = args.out + ".partial"
        torch.save(model.cpu().state_dict(), partial)
        os.replace(partial, args.out)
        log(rank, f"saved the state_dict to {args.out}")
    if world_size > 1:
        dist.barrier()  # leave together: no process tears the group down while rank 0 still saves
        # DDP's reducer goes first: were it to drop the last reference to a gloo process group, it would
        # join gloo's threads holding the GIL, which one of them may need (a hang at exit in torch 1.13).
        del net
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
)PY";

// For sources whose sample shape and classes are known without reading files (synthetic sets,
// Fashion-MNIST), a model that cannot take them is an error now rather than in the script.
void check_model_fits_data(const spec::ModelSpec& model, const data::DataSource& source, const train::TrainSetup& setup) {
    int64_t features = 0, classes = 0;
    if (source.kind == data::DataSourceKind::FashionMnist) {
        features = 28 * 28;
        classes = 10;
    } else if (source.kind == data::DataSourceKind::Synthetic) {
        const data::Dataset d = data::make_synthetic(source.name, setup.synthetic);
        features = d.feature_size();
        classes = d.num_classes();
    } else {
        return;
    }
    if (shape_numel(model.input_shape) != features)
        throw ShapeError(model.name + " takes inputs of shape " + shape_to_string(model.input_shape) + " but " + source.name +
                         " samples have " + std::to_string(features) + " features; use a model whose \"input\" shape is [" +
                         std::to_string(features) + "], or other data (--data)");
    // Class-index losses need one output per class (as NN Studio's Trainer checks); one-hot
    // targets need at least that many.
    const Shape out = spec::build_model(model).output_shape();
    const bool exact = loss::takes_class_indices(setup.loss.name);
    if (out.size() != 1 || (exact ? out[0] != classes : out[0] < classes))
        throw ShapeError(model.name + " outputs " + shape_to_string(out) + " per sample but " + source.name + " has " +
                         std::to_string(classes) + " classes; set its last Linear's out_features to " + std::to_string(classes));
}

// Values per sample the model outputs (0 when its output is not a vector).
int64_t output_width(const spec::ModelSpec& model) {
    const Shape out = spec::build_model(model).output_shape();
    return out.size() == 1 ? out[0] : 0;
}

std::string shape_tuple(const Shape& shape) {
    std::string s = "(";
    for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
    return s + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

std::string initial_weights_file_name(const std::string& script_path) {
    return std::filesystem::path(script_path).stem().string() + "_weights.pth";
}

std::string synthetic_data_file_name(const std::string& script_path) {
    return std::filesystem::path(script_path).stem().string() + "_data.pth";
}

void write_synthetic_data_file(const std::string& path, const train::TrainSetup& setup) {
    const data::DataSource source = data::parse_data_source(setup.data);
    if (source.kind != data::DataSourceKind::Synthetic)
        throw Error("only synthetic data (" + join_names(data::synthetic_names()) + ") is written to a data file; '" +
                    setup.data + "' is loaded by the training script itself");
    const data::LoadedData d = data::load_data(source, train::data_options_for(setup));
    StateDict tensors;
    const auto features = [](const data::Dataset& ds) {
        Tensor x({ds.size(), ds.feature_size()});
        for (int64_t i = 0; i < ds.size(); ++i) ds.copy_sample(i, x.data() + i * ds.feature_size());
        return TypedTensor::from_float(x);
    };
    const auto labels = [](const data::Dataset& ds) {
        TypedTensor t;
        t.dtype = DType::Int64;
        t.shape = {ds.size()};
        t.bytes.resize(static_cast<size_t>(ds.size()) * sizeof(int64_t));
        for (int64_t i = 0; i < ds.size(); ++i) {
            const int64_t v = ds.label(i);
            std::memcpy(t.bytes.data() + i * sizeof(int64_t), &v, sizeof v);  // little-endian hosts only
        }
        return t;
    };
    tensors.insert("x_train", features(d.train));
    tensors.insert("y_train", labels(d.train));
    tensors.insert("x_test", features(d.test));
    tensors.insert("y_test", labels(d.test));
    io::write_tensor_file(path, {tensors, false});
}

std::string generate_train_script(const spec::ModelSpec& model, const train::TrainSetup& setup,
                                  const std::string& model_module, const std::string& data_file,
                                  const std::string& weights_file) {
    if (!spec::is_python_identifier(model_module))
        throw Error("cannot import the model from '" + model_module +
                    "': a module name must be a Python identifier; name the model file like model.py");
    validate_setup(setup);
    const data::DataSource source = data::parse_data_source(setup.data);
    const bool synthetic = source.kind == data::DataSourceKind::Synthetic;
    if (synthetic && data_file.empty())
        throw Error("the training script for synthetic data ('" + setup.data +
                    "') needs the data file written by write_synthetic_data_file; pass its name");
    check_model_fits_data(model, source, setup);
    const std::string init_code = init_function(model, setup);  // before any output: it may throw
    const std::vector<data::LabelColumn> targets = data::parse_target_columns(setup.csv_target_columns);
    if (!targets.empty() && source.kind != data::DataSourceKind::Csv)
        throw Error("target columns apply to CSV data only, but the data is '" + setup.data + "'");
    if (!targets.empty()) loss::check_float_targets(setup.loss.name, output_width(model), static_cast<int64_t>(targets.size()));
    const bool one_hot = targets.empty() && !loss::takes_class_indices(setup.loss.name);
    const train::AccuracyKind accuracy = train::accuracy_kind(setup.loss.name, !targets.empty());

    std::ostringstream s;
    s << "#!/usr/bin/env python3\n"
      << "\"\"\"Train " << model.name << " on " << setup.data << ": generated by NN Studio from its model file and training setup.\n\n"
      << "Same data, normalisation, loss, optimizer, schedule, initializer, epochs, batch size and seed as in\n"
      << "NN Studio. The model class comes from " << model_module << ".py (nnstudio-cli export --to " << model_module << ".py).\n\n"
      << "    python3 train.py                               # one process (CUDA if available, else CPU)\n"
      << "    torchrun --nproc_per_node=N train.py           # N processes, DistributedDataParallel\n"
      << "    python3 train.py --epochs 1 --max-train-samples 2000   # a quick run\n\n"
      << "(torch 1.13 on Python 3.11, as in Debian 12: its torchrun launcher fails with \"'NoneType' object has\n"
      << "no attribute 'get'\" unless given --redirects 1 --tee 1.)\n\n"
      << "Rank 0 logs one line per epoch and saves the trained state_dict (--out, default weights.pth), which\n"
      << "loads back into NN Studio and into " << model.name << " with load_state_dict(strict=True).\n\"\"\"\n"
      << "import argparse\n";
    if (source.kind == data::DataSourceKind::Csv) s << "import csv\n";
    if (source.kind != data::DataSourceKind::Synthetic) s << "import gzip\n";
    if (source.kind == data::DataSourceKind::Csv) s << "import io\n";
    s << "import math\nimport os\n";
    if (source.kind == data::DataSourceKind::FashionMnist || source.kind == data::DataSourceKind::Idx)
        s << "import struct\n";
    if (source.kind == data::DataSourceKind::Csv) s << "import sys\n";
    s << "import time\n\n";
    if (source.kind == data::DataSourceKind::FashionMnist || source.kind == data::DataSourceKind::Idx)
        s << "import numpy as np\n";
    s << "import torch\nimport torch.distributed as dist\nimport torch.nn as nn\n";
    if (one_hot) s << "import torch.nn.functional as F\n";
    s << "from torch.nn.parallel import DistributedDataParallel\n"
      << "from torch.utils.data import DistributedSampler, TensorDataset\n\n"
      << "from " << model_module << " import " << model.name << "\n\n"
      << "# ---- NN Studio's training setup --------------------------------------------------------------\n"
      << "DATA = " << data_default(source, data_file) << "  # " << data_comment(source) << " (--data)\n"
      << "WEIGHTS = "
      << (weights_file.empty() ? std::string("None")
                               : "os.path.join(os.path.dirname(os.path.abspath(__file__)), " + py_string(weights_file) + ")")
      << "  # None: the initializer below; else the state_dict training starts from\n";
    if (source.kind == data::DataSourceKind::Csv || source.kind == data::DataSourceKind::Idx) {
        s << "TEST_FRACTION = " << py_number(setup.test_split) << "  # held out (seeded) as the test set: the data has none of its own\n";
    }
    if (source.kind == data::DataSourceKind::Csv) {
        const data::LabelColumn lc = data::LabelColumn::parse(setup.csv_label_column);
        s << "LABEL_COLUMN = "
          << (lc.name() ? py_string(*lc.name()) : lc.index() ? std::to_string(*lc.index()) : std::string("None"))
          << "  # None: the last column; an int: its index (negative from the end); a str: its header name\n";
        s << "TARGET_COLUMNS = ";
        if (targets.empty()) s << "None";
        for (size_t i = 0; i < targets.size(); ++i)
            s << (i ? ", " : "[") << (targets[i].name() ? py_string(*targets[i].name()) : std::to_string(*targets[i].index()))
              << (i + 1 == targets.size() ? "]" : "");
        s << "  # None: a label column; else float target columns (names or indices), compared with the output as they are\n";
        const std::string delimiter = setup.csv_delimiter.empty() ? "None"
                                      : setup.csv_delimiter == "tab" ? "\"\\t\""
                                                                     : py_string(setup.csv_delimiter);
        s << "CSV_DELIMITER = " << delimiter << "  # None: detected by csv.Sniffer among , ; tab |\n"
          << "CSV_HEADER = " << (setup.csv_header == "yes" ? "True" : setup.csv_header == "no" ? "False" : "None")
          << "  # None: csv.Sniffer().has_header decides whether the first row names the columns\n";
    }
    s << "NORMALIZATION = " << py_string(data::to_string(setup.normalization))
      << "  # \"none\" | \"per_feature\" | \"global\": mean/std of the training split only\n"
      << "VAL_SPLIT = " << py_number(setup.val_split) << "  # share of the training set held out (seeded) for validation\n"
      << "MAX_TRAIN_SAMPLES = " << setup.max_train_samples << "  # 0: all; else a seeded subset (--max-train-samples)\n"
      << "EPOCHS = " << setup.epochs << "  # --epochs\n"
      << "BATCH_SIZE = " << setup.batch_size << "  # global: N processes take BATCH_SIZE // N each per step\n"
      << "EVAL_BATCH_SIZE = 1024\n"
      << "SEED = " << setup.seed << "\n"
      << "INPUT_SHAPE = " << shape_tuple(model.input_shape) << "  # per sample\n"
      << "LOSS_REDUCTION = " << py_string(setup.loss.options.value("reduction", std::string("mean"))) << "\n"
      << "ACCURACY = "
      << (accuracy == train::AccuracyKind::Classes      ? "\"classes\"  # argmax == label"
          : accuracy == train::AccuracyKind::MultiLabel ? "\"multi_label\"  # share of labels where sigmoid(logit) > 0.5 matches the 0/1 target"
                                                        : "None  # regression targets: no accuracy, only the loss")
      << "\n\n\n";

    // The model and its setup-specific pieces.
    s << "def build_model():\n"
      << "    \"\"\"" << model.name << " from " << model_module << ".py" << (model.flags.empty() ? "" : " with the model file's flags")
      << ".\"\"\"\n    return " << model.name << "(";
    for (size_t i = 0; i < model.flags.size(); ++i)
        s << (i ? ", " : "") << model.flags[i].first << "=" << (model.flags[i].second ? "True" : "False");
    s << ")\n\n\n" << init_code << "\n\n";

    s << "def make_loss():\n    return nn." << setup.loss.name << "(" << py_kwargs(setup.loss.options, {}, {"weight", "pos_weight"})
      << ")\n\n\n";
    s << "def loss_target(out, y):\n";
    if (!targets.empty())
        s << "    \"\"\"" << setup.loss.name << " compares with the float target columns as they are.\"\"\"\n"
          << "    return y\n\n\n";
    else if (one_hot)
        s << "    \"\"\"" << setup.loss.name << " compares with one-hot float targets of the output's width.\"\"\"\n"
          << "    return F.one_hot(y, out.shape[1]).to(out.dtype)\n\n\n";
    else
        s << "    \"\"\"" << setup.loss.name << " takes the class indices.\"\"\"\n    return y\n\n\n";
    s << "def make_optimizer(params):\n    return torch.optim." << setup.optimizer.name << "(params"
      << (setup.optimizer.options.empty() ? "" : ", " + py_kwargs(setup.optimizer.options, {"lr"})) << ")\n\n\n";
    s << "def make_scheduler(optimizer):\n";
    if (setup.scheduler)
        s << "    \"\"\"Stepped once per epoch.\"\"\"\n    return torch.optim.lr_scheduler." << setup.scheduler->name
          << "(optimizer" << (setup.scheduler->options.empty() ? "" : ", " + py_kwargs(setup.scheduler->options)) << ")\n\n\n";
    else
        s << "    return None  # a constant learning rate\n\n\n";
    s << data_section(source, setup) << "\n\n" << kTrainingLoop;
    return s.str();
}

}  // namespace nnstudio::exporter
