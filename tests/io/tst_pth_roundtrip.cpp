// Round trips through our .pth and .safetensors writers and readers, then across to real PyTorch:
// PyTorch loads what we write (weights_only=True, load_state_dict strict) and we read what it writes.
#include "error.h"
#include "io/tensor_file.h"
#include "test_support.h"

#include <QTemporaryDir>
#include <QtTest>
#include <cstring>
#include <nlohmann/json.hpp>

using namespace nnstudio;
using nlohmann::json;

namespace {

template <typename T>
TypedTensor make(DType dtype, Shape shape, std::vector<T> values) {
    TypedTensor t;
    t.dtype = dtype;
    t.shape = std::move(shape);
    if (sizeof(T) != dtype_size(dtype)) qFatal("make(): element type does not fit the dtype");
    t.bytes.resize(values.size() * sizeof(T));
    if (!values.empty()) std::memcpy(t.bytes.data(), values.data(), t.bytes.size());
    return t;
}

// Every dtype, 0-d and empty tensors, odd values (-0, inf, nan, denormal, extremes) for bit-exactness.
StateDict assorted() {
    StateDict sd;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    sd.insert("layer.weight", make<float>(DType::Float32, {2, 3}, {1.5f, -0.0f, 1e-40f, 3.25f, -7.0f, 123456.75f}));
    sd.insert("layer.bias", make<float>(DType::Float32, {3}, {std::numeric_limits<float>::infinity(), nan, -2.5f}));
    sd.insert("scalar", make<float>(DType::Float32, {}, {0.125f}));
    sd.insert("empty", make<float>(DType::Float32, {0, 4}, {}));
    sd.insert("f64", make<double>(DType::Float64, {2, 2}, {1e300, -1e-300, 0.1, 2.0}));
    sd.insert("f16", make<uint16_t>(DType::Float16, {3}, {0x3c00, 0xc000, 0x7bff}));      // 1, -2, 65504
    sd.insert("bf16", make<uint16_t>(DType::BFloat16, {2}, {0x3f80, 0xc0a0}));             // 1, -5
    sd.insert("bn.num_batches_tracked", TypedTensor::scalar_int64(int64_t{1} << 40));
    sd.insert("i64", make<int64_t>(DType::Int64, {3}, {INT64_MIN, -1, INT64_MAX}));
    sd.insert("i32", make<int32_t>(DType::Int32, {2}, {INT32_MIN, 7}));
    sd.insert("i16", make<int16_t>(DType::Int16, {2}, {-300, 300}));
    sd.insert("i8", make<int8_t>(DType::Int8, {2}, {-128, 127}));
    sd.insert("u8", make<uint8_t>(DType::UInt8, {1, 1, 2}, {0, 255}));
    sd.insert("mask", make<uint8_t>(DType::Bool, {3}, {1, 0, 1}));
    std::vector<float> big(300 * 70);
    for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<float>(i) * 0.5f - 1000.0f;
    sd.insert("big", make<float>(DType::Float32, {300, 70}, big));  // > 255 memo entries / BININT sizes
    return sd;
}

QString hex(const std::vector<uint8_t>& bytes) {
    return QString::fromLatin1(QByteArray(reinterpret_cast<const char*>(bytes.data()), static_cast<qsizetype>(bytes.size())).toHex());
}

void compare_exact(const StateDict& actual, const StateDict& expected, bool same_order = true) {
    QCOMPARE(actual.size(), expected.size());
    size_t i = 0;
    for (const auto& [key, e] : expected) {
        if (same_order) QCOMPARE(QString::fromStdString(actual.entries()[i++].first), QString::fromStdString(key));
        const TypedTensor* a = actual.find(key);
        QVERIFY2(a, key.c_str());
        QCOMPARE(dtype_name(a->dtype), dtype_name(e.dtype));
        QCOMPARE(a->shape, e.shape);
        QVERIFY2(a->bytes == e.bytes, key.c_str());
    }
}

std::string torch_dtype(DType d) { return "torch." + dtype_name(d); }

// Python helper shared by the scripts: a tensor's exact bytes as hex (bf16/bool too).
const char* kPyHex = R"(
import torch, json, sys, struct
def tensor_hex(t):
    t = t.detach().contiguous().reshape(-1)
    if t.numel() == 0: return ''
    return t.view(torch.uint8).numpy().tobytes().hex()
)";

}  // namespace

class TestPthRoundtrip : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string path(const char* name) { return (m_dir.path() + "/" + name).toStdString(); }

    bool python(const QString& code, const QStringList& args, QString* out) {
        QString error;
        const bool ok = nnstudio::test::run_python("-c", QStringList{QString(kPyHex) + code} + args, out, &error);
        if (!ok) qWarning().noquote() << error;
        return ok;
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void stateDictRoundTripsBitExact_data() {
        QTest::addColumn<QString>("file");
        QTest::newRow("pth") << "sd.pth";
        QTest::newRow("pt") << "sd.pt";
        QTest::newRow("safetensors") << "sd.safetensors";
    }
    void stateDictRoundTripsBitExact() {
        QFETCH(QString, file);
        io::TensorFile f;
        f.tensors = assorted();
        const std::string p = path(file.toUtf8().constData());
        io::write_tensor_file(p, f);
        const io::TensorFile back = io::read_tensor_file(p);
        QCOMPARE(back.single_tensor, false);
        compare_exact(back.tensors, f.tensors);
        // The same bytes again: writing is deterministic.
        io::write_tensor_file(p + ".again" + p.substr(p.rfind('.')), back);
        QFile a(QString::fromStdString(p)), b(QString::fromStdString(p + ".again" + p.substr(p.rfind('.'))));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QVERIFY(a.readAll() == b.readAll());
    }

    void singleTensorRoundTrips() {
        io::TensorFile f;
        f.single_tensor = true;
        f.tensors.insert("x", make<float>(DType::Float32, {2, 2}, {1, 2, 3, 4}));
        io::write_tensor_file(path("one.pth"), f);
        const io::TensorFile pth = io::read_tensor_file(path("one.pth"));
        QVERIFY(pth.single_tensor);
        QCOMPARE(pth.tensors.entries().front().first, std::string("tensor"));
        QVERIFY(pth.tensors.at("tensor").bytes == f.tensors.at("x").bytes);

        io::write_tensor_file(path("one.safetensors"), f);
        const io::TensorFile st = io::read_tensor_file(path("one.safetensors"));
        QVERIFY(!st.single_tensor);  // safetensors has no notion of a bare tensor
        QVERIFY(st.tensors.at("tensor").bytes == f.tensors.at("x").bytes);
    }

    void formatFromPath() {
        QCOMPARE(io::format_from_path("a/b.pth"), io::TensorFileFormat::Pth);
        QCOMPARE(io::format_from_path("b.PT"), io::TensorFileFormat::Pth);
        QCOMPARE(io::format_from_path("pytorch_model.bin"), io::TensorFileFormat::Pth);
        QCOMPARE(io::format_from_path("m.safetensors"), io::TensorFileFormat::Safetensors);
        for (const char* bad : {"model.onnx", "model", "dir.pth/model", "model.pth.tmp"}) {
            try {
                io::format_from_path(bad);
                QFAIL(bad);
            } catch (const FileFormatError& e) {
                QVERIFY2(QString(e.what()).contains(".safetensors") && QString(e.what()).contains(".pth"), e.what());
            }
        }
        // Content decides when reading: a safetensors file named .pth still reads.
        io::TensorFile f;
        f.tensors.insert("w", make<float>(DType::Float32, {1}, {2}));
        QFile::remove(QString::fromStdString(path("misnamed.pth")));
        QVERIFY(QFile::copy(QString::fromStdString(path("sd.safetensors")), QString::fromStdString(path("misnamed.pth"))));
        compare_exact(io::read_tensor_file(path("misnamed.pth")).tensors, assorted());
    }

    void writerRejectsInconsistentTensors() {
        io::TensorFile f;
        TypedTensor t = make<float>(DType::Float32, {2, 2}, {1, 2, 3});
        f.tensors.insert("w", t);
        QVERIFY_THROWS_EXCEPTION(Error, io::write_tensor_file(path("bad.pth"), f));
        QVERIFY(!QFile::exists(QString::fromStdString(path("bad.pth"))));
    }

    // PyTorch loads our .pth with the safe loader and finds exactly our bytes.
    void pytorchLoadsOurPth() {
        if (!nnstudio::test::torch_available()) QSKIP("PyTorch (python3-torch) not installed");
        io::TensorFile f;
        f.tensors = assorted();
        io::write_tensor_file(path("for_torch.pth"), f);
        io::TensorFile one;
        one.single_tensor = true;
        one.tensors.insert("t", make<double>(DType::Float64, {3}, {1, 2, 3}));
        io::write_tensor_file(path("for_torch_single.pth"), one);

        QString out;
        QVERIFY(python(R"(
sd = torch.load(sys.argv[1], weights_only=True)
full = torch.load(sys.argv[1])
assert type(sd).__name__ == 'OrderedDict', type(sd)
one = torch.load(sys.argv[2], weights_only=True)
assert isinstance(one, torch.Tensor)
print(json.dumps({'keys': list(sd.keys()), 'same_full': all(torch.equal(full[k], v) or k in ('layer.bias',) for k, v in sd.items()),
  'tensors': {k: {'shape': list(v.shape), 'dtype': str(v.dtype), 'hex': tensor_hex(v)} for k, v in sd.items()},
  'single': {'shape': list(one.shape), 'dtype': str(one.dtype), 'values': one.tolist()}}))
)", {QString::fromStdString(path("for_torch.pth")), QString::fromStdString(path("for_torch_single.pth"))}, &out));
        const json j = json::parse(out.toStdString());
        std::vector<std::string> keys;
        for (const auto& [k, t] : f.tensors) keys.push_back(k);
        QCOMPARE(j["keys"].get<std::vector<std::string>>(), keys);
        QVERIFY(j["same_full"].get<bool>());
        for (const auto& [k, t] : f.tensors) {
            const json& e = j["tensors"][k];
            QCOMPARE(e["shape"].get<Shape>(), t.shape);
            QCOMPARE(e["dtype"].get<std::string>(), torch_dtype(t.dtype));
            QCOMPARE(QString::fromStdString(e["hex"].get<std::string>()), hex(t.bytes));
        }
        QCOMPARE(j["single"]["shape"].get<Shape>(), Shape{3});
        QCOMPARE(j["single"]["dtype"].get<std::string>(), std::string("torch.float64"));
        QCOMPARE(j["single"]["values"].get<std::vector<double>>(), (std::vector<double>{1, 2, 3}));
    }

    // A real module accepts our state_dict with strict=True and computes with it.
    void pytorchLoadStateDictStrict() {
        if (!nnstudio::test::torch_available()) QSKIP("PyTorch (python3-torch) not installed");
        io::TensorFile f;
        std::vector<float> w(4 * 3);
        for (size_t i = 0; i < w.size(); ++i) w[i] = 0.1f * static_cast<float>(i) - 0.5f;
        f.tensors.insert("0.weight", make<float>(DType::Float32, {3, 4}, w));
        f.tensors.insert("0.bias", make<float>(DType::Float32, {3}, {0.5f, -0.25f, 1.0f}));
        f.tensors.insert("1.weight", make<float>(DType::Float32, {3}, {1, 2, 3}));
        f.tensors.insert("1.bias", make<float>(DType::Float32, {3}, {0, 0, 1}));
        f.tensors.insert("1.running_mean", make<float>(DType::Float32, {3}, {0.5f, 0, -0.5f}));
        f.tensors.insert("1.running_var", make<float>(DType::Float32, {3}, {1, 4, 0.25f}));
        f.tensors.insert("1.num_batches_tracked", TypedTensor::scalar_int64(12));
        io::write_tensor_file(path("model.pth"), f);
        QString out;
        QVERIFY(python(R"(
m = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3))
m.load_state_dict(torch.load(sys.argv[1], weights_only=True), strict=True)
m.eval()
y = m(torch.ones(1, 4))
print(json.dumps({'y': y[0].tolist(), 'nbt': int(m[1].num_batches_tracked)}))
)", {QString::fromStdString(path("model.pth"))}, &out));
        const json j = json::parse(out.toStdString());
        QCOMPARE(j["nbt"].get<int>(), 12);
        // Linear(ones) = row sums + bias, then BatchNorm in eval mode (eps 1e-5).
        const auto y = j["y"].get<std::vector<double>>();
        const float mean[] = {0.5f, 0, -0.5f}, var[] = {1, 4, 0.25f}, g[] = {1, 2, 3}, b[] = {0, 0, 1}, bias[] = {0.5f, -0.25f, 1.0f};
        for (int o = 0; o < 3; ++o) {
            double lin = bias[o];
            for (int i = 0; i < 4; ++i) lin += w[static_cast<size_t>(o * 4 + i)];
            const double expected = (lin - mean[o]) / std::sqrt(var[o] + 1e-5) * g[o] + b[o];
            QVERIFY2(std::fabs(y[static_cast<size_t>(o)] - expected) < 1e-5, qPrintable(QString::number(y[static_cast<size_t>(o)])));
        }
    }

    // PyTorch writes tricky files (views, shared storages, every dtype, legacy format, single
    // tensors); we must read exactly the values torch reports.
    void weReadWhatPytorchWrites() {
        if (!nnstudio::test::torch_available()) QSKIP("PyTorch (python3-torch) not installed");
        QString out;
        QVERIFY(python(R"(
from collections import OrderedDict
g = torch.Generator().manual_seed(3)
base = torch.randn(6, 8, generator=g)
sd = OrderedDict()
sd['t'] = base.t()                      # transposed view
sd['rows'] = base[2:4]                  # offset view on the same storage
sd['cols'] = base[:, 1::3]              # strided slice
sd['whole'] = base
sd['expanded'] = torch.tensor([1.5, -2.0]).unsqueeze(1).expand(2, 5)  # stride 0
sd['scalar'] = torch.tensor(7.25)
sd['empty'] = torch.zeros(0, 3)
sd['nbt'] = torch.tensor(5)
for dt in [torch.float64, torch.float16, torch.bfloat16, torch.int64, torch.int32, torch.int16, torch.int8, torch.uint8, torch.bool]:
    sd['dt_' + str(dt)[6:]] = (torch.arange(6) - 2).to(dt).reshape(2, 3).t()
torch.save(sd, sys.argv[1])
torch.save(sd, sys.argv[2], _use_new_zipfile_serialization=False)
torch.save(base[1], sys.argv[3])
sd_param = OrderedDict(w=torch.nn.Parameter(torch.ones(2, 2)))
torch.save(sd_param, sys.argv[4])
print(json.dumps({'keys': list(sd.keys()),
  'tensors': {k: {'shape': list(v.shape), 'dtype': str(v.dtype), 'hex': tensor_hex(v)} for k, v in sd.items()},
  'single': tensor_hex(base[1])}))
)", {QString::fromStdString(path("torch.pth")), QString::fromStdString(path("torch_legacy.pth")),
     QString::fromStdString(path("torch_single.pt")), QString::fromStdString(path("torch_param.pth"))}, &out));
        const json j = json::parse(out.toStdString());
        for (const char* file : {"torch.pth", "torch_legacy.pth"}) {
            io::TensorFile f;
            try {
                f = io::read_tensor_file(path(file));
            } catch (const Error& e) {
                QFAIL(e.what());
            }
            QVERIFY(!f.single_tensor);
            std::vector<std::string> keys;
            for (const auto& [k, t] : f.tensors) keys.push_back(k);
            QCOMPARE(keys, j["keys"].get<std::vector<std::string>>());
            for (const auto& [k, t] : f.tensors) {
                const json& e = j["tensors"][k];
                QCOMPARE(t.shape, e["shape"].get<Shape>());
                QCOMPARE(torch_dtype(t.dtype), e["dtype"].get<std::string>());
                QVERIFY2(hex(t.bytes) == QString::fromStdString(e["hex"].get<std::string>()), qPrintable(QString(file) + " " + QString::fromStdString(k)));
            }
        }
        const io::TensorFile single = io::read_tensor_file(path("torch_single.pt"));
        QVERIFY(single.single_tensor);
        QCOMPARE(single.tensors.at("tensor").shape, Shape{8});
        QCOMPARE(hex(single.tensors.at("tensor").bytes), QString::fromStdString(j["single"].get<std::string>()));
        const io::TensorFile param = io::read_tensor_file(path("torch_param.pth"));
        QCOMPARE(param.tensors.at("w").sum(), 4.0);
    }

    // No safetensors package in Debian's Python: parse our header by hand with json + struct and
    // compare every tensor with what torch.load finds in our .pth of the same state_dict.
    void pythonParsesOurSafetensors() {
        if (!nnstudio::test::torch_available()) QSKIP("PyTorch (python3-torch) not installed");
        io::TensorFile f;
        f.tensors = assorted();
        io::write_tensor_file(path("py.safetensors"), f);
        io::write_tensor_file(path("py.pth"), f);
        QString out;
        QVERIFY(python(R"(
data = open(sys.argv[1], 'rb').read()
n, = struct.unpack('<Q', data[:8])
assert n % 8 == 0, n
header = json.loads(data[8:8 + n])
buf = data[8 + n:]
codes = {'F32': torch.float32, 'F64': torch.float64, 'F16': torch.float16, 'BF16': torch.bfloat16, 'I64': torch.int64,
         'I32': torch.int32, 'I16': torch.int16, 'I8': torch.int8, 'U8': torch.uint8, 'BOOL': torch.bool}
meta = header.pop('__metadata__')
ref = torch.load(sys.argv[2], weights_only=True)
end = 0
for k, info in header.items():
    b, e = info['data_offsets']
    assert b == end, (k, b, end)
    end = e
    dt = codes[info['dtype']]
    t = torch.frombuffer(bytearray(buf[b:e]), dtype=torch.uint8).view(dt).reshape(info['shape']) if e > b else torch.zeros(info['shape'], dtype=dt)
    r = ref[k]
    assert t.dtype == r.dtype and t.shape == r.shape, k
    assert tensor_hex(t) == tensor_hex(r), k
assert end == len(buf)
print(json.dumps({'keys': list(header.keys()), 'meta': meta}))
)", {QString::fromStdString(path("py.safetensors")), QString::fromStdString(path("py.pth"))}, &out));
        const json j = json::parse(out.toStdString());
        std::vector<std::string> keys;
        for (const auto& [k, t] : f.tensors) keys.push_back(k);
        QCOMPARE(j["keys"].get<std::vector<std::string>>(), keys);
        QCOMPARE(j["meta"]["format"].get<std::string>(), std::string("pt"));
    }

    // Re-writing the torch-2.11 safetensors fixtures gives the same tensors, and Python's by-hand
    // parse of our copy agrees with torch.load of the fixture's .pth twin.
    void rewritesTorch211Safetensors() {
        const QString dir = nnstudio::test::fixtures_dir() + "/torch-2.11/";
        for (const char* stem : {"dtypes", "shared_storage_views", "simple_net"}) {
            const std::string src = (dir + stem + ".safetensors").toStdString();
            const io::TensorFile original = io::read_tensor_file(src);
            const std::string copy = path((std::string(stem) + "_copy.safetensors").c_str());
            io::write_tensor_file(copy, original);
            compare_exact(io::read_tensor_file(copy).tensors, original.tensors);
            compare_exact(io::read_tensor_file((dir + stem + ".pth").toStdString()).tensors, original.tensors, false);
            if (!nnstudio::test::torch_available()) continue;
            QString out;
            QVERIFY(python(R"(
data = open(sys.argv[1], 'rb').read()
n, = struct.unpack('<Q', data[:8])
header = json.loads(data[8:8 + n]); header.pop('__metadata__', None)
ref = torch.load(sys.argv[2])
assert set(header) == set(ref), (set(header), set(ref))
for k, info in header.items():
    b, e = info['data_offsets']
    assert bytes(data[8 + n + b: 8 + n + e]).hex() == tensor_hex(ref[k]), k
    assert list(ref[k].shape) == info['shape'], k
print('ok')
)", {QString::fromStdString(copy), dir + stem + ".pth"}, &out));
            QCOMPARE(out.trimmed(), QString("ok"));
        }
    }
};

QTEST_APPLESS_MAIN(TestPthRoundtrip)
#include "tst_pth_roundtrip.moc"
