// Weight initializers with torch.nn.init's exact semantics (gain table, fan modes, xavier_*,
// kaiming_*, orthogonal_, trunc_normal_) and nn.Linear's default reset_parameters().
#pragma once
#include "tensor/tensor.h"
#include "util/random.h"

#include <optional>
#include <string>
#include <vector>

namespace nnstudio::init {

// torch.nn.init.calculate_gain. `param` is leaky_relu's negative slope (default 0.01 when
// absent, exactly like PyTorch; note kaiming_* always pass their `a`, so there a=0 means slope 0).
// Throws Error for an unknown nonlinearity, listing the valid ones.
double calculate_gain(const std::string& nonlinearity, std::optional<double> param = std::nullopt);
std::vector<std::string> nonlinearity_names();  // what calculate_gain accepts

// torch.nn.init._calculate_fan_in_and_fan_out: t is (out, in, *receptive field).
struct Fans {
    int64_t fan_in = 0;
    int64_t fan_out = 0;
};
Fans fan_in_and_fan_out(const Tensor& t);               // ShapeError for dim < 2
int64_t correct_fan(const Tensor& t, const std::string& mode);  // mode: "fan_in" | "fan_out"

// Fill functions. All random ones draw from `rng` in element order; any shape is allowed
// unless the function needs fans (then dim >= 2). Zero-element tensors are left alone.
void uniform_(Tensor& t, Rng& rng, double a = 0.0, double b = 1.0);    // U(a, b)
void normal_(Tensor& t, Rng& rng, double mean = 0.0, double std = 1.0);
void trunc_normal_(Tensor& t, Rng& rng, double mean = 0.0, double std = 1.0, double a = -2.0,
                   double b = 2.0);  // N(mean, std) conditioned on [a, b] (inverse-CDF method)
void constant_(Tensor& t, double value);
void zeros_(Tensor& t);
void ones_(Tensor& t);

// U(-bound, bound), bound = gain * sqrt(6 / (fan_in + fan_out)).
void xavier_uniform_(Tensor& t, Rng& rng, double gain = 1.0);
// N(0, std), std = gain * sqrt(2 / (fan_in + fan_out)).
void xavier_normal_(Tensor& t, Rng& rng, double gain = 1.0);
// U(-bound, bound), bound = sqrt(3) * calculate_gain(nonlinearity, a) / sqrt(fan(mode)).
void kaiming_uniform_(Tensor& t, Rng& rng, double a = 0.0, const std::string& mode = "fan_in",
                      const std::string& nonlinearity = "leaky_relu");
// N(0, std), std = calculate_gain(nonlinearity, a) / sqrt(fan(mode)).
void kaiming_normal_(Tensor& t, Rng& rng, double a = 0.0, const std::string& mode = "fan_in",
                     const std::string& nonlinearity = "leaky_relu");
// (Semi-)orthogonal matrix times gain: QR of a (rows, cols) standard-normal matrix (transposed
// when rows < cols), Q's columns multiplied by sign(diag(R)), as torch.nn.init.orthogonal_.
void orthogonal_(Tensor& t, Rng& rng, double gain = 1.0);

// nn.Linear.reset_parameters(): weight (out, in) <- kaiming_uniform_(a = sqrt(5)), i.e.
// U(-1/sqrt(in), 1/sqrt(in)); bias (out) <- U(-1/sqrt(in), 1/sqrt(in)) (0 bound when in == 0).
void linear_default_(Tensor& weight, Tensor* bias, Rng& rng);
// The bias half alone, for schemes whose bias follows PyTorch's default.
void linear_default_bias_(Tensor& bias, int64_t fan_in, Rng& rng);

}  // namespace nnstudio::init
