// Shared helpers of the Qt Test suites: paths, running real PyTorch, comparing tensors.
#pragma once
#include "tensor/tensor.h"
#include "util/random.h"

#include <QString>
#include <QStringList>
#include <nlohmann/json.hpp>
#include <string>

namespace nnstudio::test {

QString source_dir();    // the repository root
QString fixtures_dir();  // ../shared/fixtures/pytorch
QString cli_path();      // the built nnstudio-cli

// The built nnstudio-cli run with `args`: its exit code (-1 when it crashed or ran past
// `timeout_ms`), stdout and stderr.
struct CliResult {
    int code = -1;
    QString out, err;
};
CliResult run_cli(const QStringList& args, int timeout_ms = 120000);

// True when the test Python can `import torch`; parity tests QSKIP otherwise.
bool torch_available();

// Runs Python (the one with python3-torch) on `script` with `args`; returns stdout.
// Fails (returns false, fills `error` with stderr) on a non-zero exit.
bool run_python(const QString& script, const QStringList& args, QString* stdout_text, QString* error,
                int timeout_ms = 300000);

// Runs a fixture script (`script` relative to the repository root) that writes its files into
// `dir` and prints, as JSON, what PyTorch did with them. False (and `error`) when it fails.
bool run_torch_fixture(const QString& script, const QString& dir, nlohmann::json* result, QString* error);

// Largest violation of |a-b| <= max(atol, rtol*|b|); <= 0 means within tolerance.
// Shapes must match; `where` receives the first offending index as text.
double tolerance_violation(const Tensor& actual, const Tensor& expected, double atol, double rtol,
                           std::string* where = nullptr);

// Test data: N(0, scale^2) values; class indices in [0, classes) stored as floats (as losses take them).
Tensor random_normal(const Shape& shape, Rng& rng, float scale = 1.0f);
Tensor random_classes(int64_t batch, int64_t classes, Rng& rng);
// Row-wise log-softmax of (B, C) in double precision: log-probability inputs for NLLLoss.
Tensor log_softmax_rows(const Tensor& x);

// The message of the exception of type E that f() throws; "WRONG TYPE: ..." or "NO ERROR" otherwise.
template <typename E, typename F>
QString error_of(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        return "WRONG TYPE: " + QString::fromStdString(e.what());
    }
    return "NO ERROR";
}

}  // namespace nnstudio::test

// QVERIFY-style check that two tensors agree within 1e-5 absolute or relative (the looser).
#define NN_COMPARE_TENSORS(actual, expected, label)                                              \
    do {                                                                                         \
        const auto& nn_a_ = (actual);                                                            \
        const auto& nn_e_ = (expected);                                                          \
        QVERIFY2(nn_a_.shape() == nn_e_.shape(),                                                 \
                 qPrintable(QString("%1: shape %2 vs expected %3")                               \
                                .arg(QString::fromStdString(label),                              \
                                     QString::fromStdString(nnstudio::shape_to_string(nn_a_.shape())), \
                                     QString::fromStdString(nnstudio::shape_to_string(nn_e_.shape()))))); \
        std::string nn_where_;                                                                   \
        const double nn_v_ = nnstudio::test::tolerance_violation(nn_a_, nn_e_, 1e-5, 1e-5, &nn_where_); \
        QVERIFY2(nn_v_ <= 0, qPrintable(QString::fromStdString(std::string(label) + ": " + nn_where_))); \
    } while (0)

// Expects `call` to throw ErrorType with a message containing every fragment (QStrings).
#define NN_EXPECT_ERROR(ErrorType, call, ...)                                                      \
    do {                                                                                           \
        const QString msg_ = nnstudio::test::error_of<ErrorType>([&] { (void)(call); });           \
        QVERIFY2(msg_ != "NO ERROR" && !msg_.startsWith("WRONG TYPE: "),                           \
                 qPrintable("expected a " #ErrorType " from " #call ", got: " + msg_));            \
        for (const QString& part_ : QStringList{__VA_ARGS__})                                      \
            QVERIFY2(msg_.contains(part_), qPrintable("'" + part_ + "' missing in: " + msg_));     \
    } while (0)
