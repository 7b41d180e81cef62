// Model summary table and its text rendering.
#include "spec/summary.h"

#include <iomanip>
#include <sstream>

namespace nnstudio::spec {
namespace {

std::string with_commas(int64_t n) {
    const std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

std::string batch_shape(const Shape& per_sample) {
    std::string s = "[-1";
    for (int64_t d : per_sample) s += ", " + std::to_string(d);
    return s + "]";
}

std::string megabytes(int64_t bytes) {
    std::ostringstream s;
    s << std::fixed << std::setprecision(2) << static_cast<double>(bytes) / (1024.0 * 1024.0) << " MB";
    return s.str();
}

}  // namespace

ModelSummary summarize(nn::Model& model) {
    ModelSummary s;
    s.model_name = model.name();
    s.input_shape = model.input_shape();
    for (const nn::LayerInfo& info : model.layers()) {
        SummaryRow row{info.path, info.type, info.depth, info.output_shape, 0, 0, true};
        for (nn::Parameter* p : info.module->own_parameters()) row.own_params += p->value.numel();
        row.total_params = info.module->parameter_count();
        s.rows.push_back(row);
        for (const nn::BufferRef& b : info.module->own_buffers())
            s.buffer_bytes += b.f32 ? b.f32->numel() * 4 : 8;
    }
    s.total_params = model.parameter_count();
    s.trainable_params = s.total_params;  // every parameter is trainable until freezing exists
    s.param_bytes = s.total_params * 4;
    return s;
}

std::string format_summary(const ModelSummary& s) {
    std::ostringstream o;
    const std::string rule(86, '='), thin(86, '-');
    o << rule << "\n"
      << std::left << std::setw(40) << "Layer (type)" << std::setw(20) << "Output Shape" << std::right
      << std::setw(14) << "Param #" << std::setw(12) << "Trainable" << "\n"
      << rule << "\n";
    for (const SummaryRow& r : s.rows) {
        std::string label = std::string(static_cast<size_t>(r.depth) * 2, ' ') +
                            (r.path.empty() ? s.model_name : r.path.substr(r.path.rfind('.') + 1)) + " (" + r.type + ")";
        if (label.size() > 39) label = label.substr(0, 36) + "...";
        o << std::left << std::setw(40) << label << std::setw(20) << batch_shape(r.output_shape) << std::right
          << std::setw(14) << (r.own_params || r.total_params == 0 ? with_commas(r.own_params) : "--")
          << std::setw(12) << (r.total_params ? (r.trainable ? "True" : "False") : "--") << "\n";
    }
    o << rule << "\n"
      << "Input shape: " << batch_shape(s.input_shape) << "\n"
      << "Total params: " << with_commas(s.total_params) << "\n"
      << "Trainable params: " << with_commas(s.trainable_params) << "\n"
      << "Non-trainable params: " << with_commas(s.non_trainable_params) << "\n"
      << thin << "\n"
      << "Params size: " << megabytes(s.param_bytes) << "\n"
      << "Buffers size: " << megabytes(s.buffer_bytes) << "\n"
      << rule << "\n";
    return o.str();
}

}  // namespace nnstudio::spec
