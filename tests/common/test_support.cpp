// Shared helpers of the Qt Test suites.
#include "test_support.h"

#include <QProcess>
#include <cmath>
#include <sstream>

namespace nnstudio::test {

QString source_dir() { return QStringLiteral(NNSTUDIO_SOURCE_DIR); }
QString fixtures_dir() { return QStringLiteral(NNSTUDIO_FIXTURES_DIR); }
QString cli_path() { return QStringLiteral(NNSTUDIO_CLI_PATH); }

CliResult run_cli(const QStringList& args, int timeout_ms) {
    QProcess p;
    p.start(cli_path(), args);
    p.waitForFinished(timeout_ms);
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
            QString::fromUtf8(p.readAllStandardError())};
}

bool torch_available() {
    static const bool available = [] {
        QProcess p;
        p.start(QStringLiteral(NNSTUDIO_PYTHON), {"-c", "import torch"});
        return p.waitForFinished(120000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }();
    return available;
}

bool run_python(const QString& script, const QStringList& args, QString* stdout_text, QString* error,
                int timeout_ms) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert("OMP_NUM_THREADS", "1");
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(NNSTUDIO_PYTHON), QStringList{script} + args);
    const bool finished = p.waitForFinished(timeout_ms);
    if (stdout_text) *stdout_text = QString::fromUtf8(p.readAllStandardOutput());
    const QString err = QString::fromUtf8(p.readAllStandardError());
    if (!finished || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0) {
        if (error) *error = (finished ? QString() : QString("timed out; ")) + err;
        return false;
    }
    return true;
}

bool run_torch_fixture(const QString& script, const QString& dir, nlohmann::json* result, QString* error) {
    QString out;
    if (!run_python(source_dir() + "/" + script, {dir}, &out, error)) return false;
    *result = nlohmann::json::parse(out.toStdString());
    return true;
}

double tolerance_violation(const Tensor& actual, const Tensor& expected, double atol, double rtol,
                           std::string* where) {
    if (actual.shape() != expected.shape()) {
        if (where) *where = "shape " + shape_to_string(actual.shape()) + " vs " + shape_to_string(expected.shape());
        return 1.0;
    }
    double worst = -1.0;
    for (int64_t i = 0; i < actual.numel(); ++i) {
        const double a = actual[i], e = expected[i];
        const double allowed = std::max(atol, rtol * std::fabs(e));
        const double excess = (std::isfinite(a) && std::isfinite(e)) ? std::fabs(a - e) - allowed
                                                                      : (a == e ? -1.0 : INFINITY);
        if (excess > worst) {
            if (excess > 0 && where && worst <= 0) {
                std::ostringstream s;
                s << "element " << i << ": got " << a << ", expected " << e;
                *where = s.str();
            }
            worst = excess;
        }
    }
    return worst;
}

Tensor random_normal(const Shape& shape, Rng& rng, float scale) {
    Tensor t(shape);
    for (int64_t i = 0; i < t.numel(); ++i) t[i] = rng.normal(0.0f, scale);
    return t;
}

Tensor random_classes(int64_t batch, int64_t classes, Rng& rng) {
    Tensor t({batch});
    for (int64_t i = 0; i < batch; ++i) t[i] = static_cast<float>(rng.below(static_cast<uint64_t>(classes)));
    return t;
}

Tensor log_softmax_rows(const Tensor& x) {
    Tensor out = x;
    const int64_t rows = x.size(0), cols = x.size(1);
    for (int64_t r = 0; r < rows; ++r) {
        double mx = -INFINITY, s = 0;
        for (int64_t c = 0; c < cols; ++c) mx = std::max(mx, double(x[r * cols + c]));
        for (int64_t c = 0; c < cols; ++c) s += std::exp(x[r * cols + c] - mx);
        for (int64_t c = 0; c < cols; ++c) out[r * cols + c] = float(x[r * cols + c] - mx - std::log(s));
    }
    return out;
}

}  // namespace nnstudio::test
