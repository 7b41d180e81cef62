// Hand-made hostile and broken files: each must be refused with the right error type and a
// message that says what is wrong, never crash, hang or allocate what the file merely claims.
#include "error.h"
#include "io/tensor_file.h"
#include "io/zip_archive.h"
#include "test_support.h"

#include <QFile>
#include <QtTest>
#include <cstring>
#include <map>

using namespace nnstudio;
using namespace std::string_literals;  // "\x00" inside pickles must not end the string

namespace {

// ---- a tiny pickle builder: each function returns the opcodes for one value
std::string u32(uint32_t v) { return std::string(reinterpret_cast<const char*>(&v), 4); }
std::string u64(uint64_t v) { return std::string(reinterpret_cast<const char*>(&v), 8); }
std::string str(const std::string& s) {
    std::string out = "X";
    out.append(u32(static_cast<uint32_t>(s.size())));
    return out.append(s);
}
std::string integer(int32_t v) {
    std::string out = "J";
    return out.append(reinterpret_cast<const char*>(&v), 4);
}
std::string global(const std::string& module, const std::string& name) { return "c" + module + "\n" + name + "\n"; }
std::string ints(const std::vector<int64_t>& values) {
    std::string s = "(";
    for (int64_t v : values) {
        if (v > INT32_MAX) {  // LONG1 with 8 bytes
            s += "\x8a\x08" + std::string(reinterpret_cast<const char*>(&v), 8);
        } else {
            s += integer(static_cast<int32_t>(v));
        }
    }
    return s + "t";
}
std::string storage_id(const std::string& key, int64_t numel, const std::string& cls = "FloatStorage") {
    return "((" + str("storage") + global("torch", cls) + str(key) + str("cpu") + ints({numel}).substr(1, ints({numel}).size() - 2) + "tQ";
}
std::string tensor(const std::string& key, int64_t numel, int64_t offset, const std::vector<int64_t>& size,
                   const std::vector<int64_t>& stride) {
    return global("torch._utils", "_rebuild_tensor_v2") + "(" + storage_id(key, numel).substr(1) + ints({offset}).substr(1, ints({offset}).size() - 2) +
           ints(size) + ints(stride) + "\x89" + global("collections", "OrderedDict") + ")Rt" + "R";
}
std::string dict(const std::vector<std::pair<std::string, std::string>>& items) {
    std::string s = "}(";
    for (const auto& [k, v] : items) s += k + v;
    return s + "u";
}
std::string pickle(const std::string& body) { return std::string("\x80\x02", 2) + body + "."; }

std::vector<uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

// A .pth zip around `pkl`; record "0" holds 16 floats 0..15 unless `records` says otherwise.
std::vector<uint8_t> pth(const std::string& pkl, std::map<std::string, std::string> records = {},
                         const std::string& folder = "archive") {
    if (records.empty()) {
        std::string floats(64, '\0');
        for (int i = 0; i < 16; ++i) {
            const float f = static_cast<float>(i);
            std::memcpy(floats.data() + 4 * i, &f, 4);
        }
        records["data/0"] = floats;
        records["version"] = "3\n";
    }
    io::ZipWriter zip;
    zip.add(folder + "/data.pkl", pkl);
    for (const auto& [name, content] : records) zip.add(folder + "/" + name, content);
    return zip.to_bytes();
}

std::vector<uint8_t> safetensors(const std::string& header, size_t data_bytes, size_t pad_to = 0) {
    std::string h = header;
    if (pad_to) h.append(pad_to - h.size(), ' ');
    std::string out = u64(h.size()) + h + std::string(data_bytes, '\x01');
    return bytes_of(out);
}

}  // namespace

Q_DECLARE_METATYPE(std::vector<uint8_t>)

class TestHostileInputs : public QObject {
    Q_OBJECT

    void rows_pickle() {
        const std::string t16 = tensor("0", 16, 0, {4, 4}, {4, 1});
        auto row = [](const char* name, const std::vector<uint8_t>& bytes, bool unsafe, const char* words) {
            QTest::newRow(name) << bytes << unsafe << QString(words);
        };
        // Sanity: the builder makes a valid file (so the rows below fail for the reason named).
        row("valid", pth(pickle(dict({{str("w"), t16}}))), false, "");
        row("stack_global_eval",
            pth(pickle("\x8c\x08" "builtins" "\x8c\x04" "eval\x93" + str("print(1)") + "\x85R")), true,
            "builtins.eval|Python callable|nothing was executed|torch.save(model.state_dict(), path)");
        row("global_os_system", pth(pickle(global("os", "system") + str("true") + "\x85R")), true, "os.system|callable");
        row("model_class", pth(pickle(global("torch.nn.modules.linear", "Linear") + ")\x81")), true,
            "torch.nn.modules.linear.Linear|whole model object");
        row("inst_opcode", pth(pickle("(ios\nsystem\n")), true, "builds Python objects");
        row("ext1_opcode", pth(pickle("\x82\x01")), true, "builds Python objects");
        row("quantized", pth(pickle(global("torch._utils", "_rebuild_qtensor"))), true, "special tensor");
        row("quantized_storage", pth(pickle(storage_id("0", 4, "QInt8Storage"))), true, "QInt8Storage|quantized");
        row("module_persistent_id", pth(pickle("(" + str("module") + str("x") + "tQ")), true, "persistent object");
        row("beyond_storage", pth(pickle(dict({{str("w"), tensor("0", 16, 1, {4, 4}, {4, 1})}}))), false,
            "tensor 'w'|reaches element 16|only 16 elements");
        row("transposed_beyond_storage", pth(pickle(dict({{str("w"), tensor("0", 16, 0, {4, 5}, {1, 4})}}))), false,
            "reaches element");
        row("impossible_shape", pth(pickle(dict({{str("w"), tensor("0", 16, 0, {int64_t{1} << 40, int64_t{1} << 40}, {0, 0})}}))),
            false, "impossibly large");
        row("stride0_expansion", pth(pickle(dict({{str("w"), tensor("0", 16, 0, {int64_t{1} << 20, int64_t{1} << 12}, {0, 0})}}))),
            false, "views that repeat data");
        row("negative_stride", pth(pickle(dict({{str("w"), tensor("0", 16, 0, {4}, {-1})}}))), false, "negative");
        row("numel_beyond_record", pth(pickle(dict({{str("w"), tensor("0", 1000, 0, {4}, {1})}}))), false,
            "should hold 1000 float32 elements|64 bytes");
        row("missing_record", pth(pickle(dict({{str("w"), tensor("7", 4, 0, {4}, {1})}}))), false, "archive/data/7");
        row("memo_get_unset", pth(pickle("h\x05")), false, "never PUT");
        row("huge_string_length", pth(pickle("X\xff\xff\xff\x7f" "abc")), false, "truncated data");
        row("self_referencing_list", pth(pickle("]q\x00h\x00"s + "a")), false, "a list, not a state_dict");
        row("checkpoint_without_tensors", pth(pickle(dict({{str("epoch"), integer(3)}}))), false,
            "without a state_dict in it|'epoch': the int 3");
        row("non_string_key", pth(pickle(dict({{integer(1), t16}}))), false, "without a state_dict|'1': a tensor");
        row("ordereddict_with_args", pth(pickle(global("collections", "OrderedDict") + integer(1) + "\x85R")), false,
            "OrderedDict called with arguments");
        row("unclosed_mark", pth(pickle("((((" + str("x"))), false, "unclosed MARK");
        row("deep_marks", pth(pickle(std::string(200000, '(') + "]")), false, "unclosed MARK");
        row("protocol_6", pth(std::string("\x80\x06]." , 4)), false, "pickle protocol 6");
        row("no_stop", pth(std::string("\x80\x02]", 3)), false, "truncated data");
        row("empty_pickle", pth(""), false, "truncated data");
        row("text_opcode", pth(pickle("I12\n")), false, "unsupported pickle opcode 0x49");
        row("build_on_tensor", pth(pickle(t16 + "}b")), false, "BUILD on a tensor");
        row("reduce_non_tuple", pth(pickle(global("collections", "OrderedDict") + "]R")), false, "not a tuple");
    }

    void rows_containers() {
        auto row = [](const char* name, const std::vector<uint8_t>& bytes, bool unsafe, const char* words) {
            QTest::newRow(name) << bytes << unsafe << QString(words);
        };
        const std::string ok = pickle(dict({{str("w"), tensor("0", 16, 0, {16}, {1})}}));
        row("big_endian", pth(ok, {{"byteorder", "big"}, {"data/0", std::string(64, 'a')}}), false, "'big' byte order");
        row("torchscript", pth(ok, {{"constants.pkl", "x"}, {"code/m.py", "x"}, {"data/0", std::string(64, 'a')}}), true,
            "TorchScript");
        {
            io::ZipWriter zip;
            zip.add("archive/weights.bin", std::string("x"));
            row("zip_without_pickle", zip.to_bytes(), false, "without <folder>/data.pkl");
        }
        {
            io::ZipWriter zip;
            zip.add("a/data.pkl", ok);
            zip.add("b/data.pkl", ok);
            row("two_pickles", zip.to_bytes(), false, "2 data.pkl files");
        }
        row("bad_version", pth(ok, {{"version", "three"}, {"data/0", std::string(64, 'a')}}), false, "format version");
        std::vector<uint8_t> crc = pth(ok);
        // Flip a byte of the stored float data: the CRC no longer matches.
        for (size_t i = 0; i + 8 < crc.size(); ++i)
            if (std::memcmp(crc.data() + i, "\x00\x00\x80\x3f\x00\x00\x00\x40", 8) == 0) {  // 1.0f, 2.0f
                crc[i + 1] ^= 0x10;
                break;
            }
        row("crc_mismatch", crc, false, "damaged|CRC");
        std::vector<uint8_t> cut = pth(ok);
        cut.resize(cut.size() / 2);
        row("truncated_zip", cut, false, "not a complete zip archive|truncated");
        row("empty_file", {}, false, "empty");
        row("random_bytes", bytes_of("hello, this is not a model"), false, "neither a PyTorch .pth file nor a safetensors file");
        row("bare_pickle", bytes_of(pickle("]")), false, "bare pickle");
        std::vector<uint8_t> tar(600, 0);
        std::memcpy(tar.data() + 257, "ustar", 5);
        row("tar_format", tar, false, "before version 0.4");
    }

    void rows_legacy() {
        auto row = [](const char* name, const std::vector<uint8_t>& bytes, bool unsafe, const char* words) {
            QTest::newRow(name) << bytes << unsafe << QString(words);
        };
        QFile f(nnstudio::test::fixtures_dir() + "/torch-2.11/legacy_format.pth");
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray legacy = f.readAll();
        for (int cut : {30, 300, 700, 730, 400000}) {
            const std::vector<uint8_t> bytes(legacy.begin(), legacy.begin() + cut);
            const std::string name = "legacy_cut_" + std::to_string(cut);
            QTest::newRow(name.c_str()) << bytes << false << QString("_use_new_zipfile_serialization=True");
        }
        // The first storage claims 2^60 elements.
        std::vector<uint8_t> huge(legacy.begin(), legacy.end());
        const uint64_t count = uint64_t{1} << 60;
        std::memcpy(huge.data() + 720, &count, 8);
        row("legacy_huge_count", huge, false, "claims 1152921504606846976 elements");
    }

    void rows_safetensors() {
        auto row = [](const char* name, const std::vector<uint8_t>& bytes, bool unsafe, const char* words) {
            QTest::newRow(name) << bytes << unsafe << QString(words);
        };
        const auto t = [](const std::string& key, const std::string& dtype, const std::string& shape, uint64_t b, uint64_t e) {
            return "\"" + key + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" +
                   std::to_string(b) + "," + std::to_string(e) + "]}";
        };
        row("st_valid", safetensors("{" + t("a", "F32", "[2]", 0, 8) + "}", 8), false, "");
        row("st_header_beyond_file", bytes_of(u64(1000) + "{\"a\":1}"), false, "header length 1000 but only 7 bytes follow");
        row("st_header_too_big", bytes_of(u64(200'000'000) + std::string(16, '{')), false, "exceeds");
        row("st_overlap", safetensors("{" + t("a", "F32", "[2]", 0, 8) + "," + t("b", "F32", "[2]", 4, 12) + "}", 12),
            false, "overlap or leave a gap");
        row("st_gap", safetensors("{" + t("a", "F32", "[2]", 4, 12) + "}", 12), false, "overlap or leave a gap");
        row("st_trailing", safetensors("{" + t("a", "F32", "[2]", 0, 8) + "}", 9), false, "trailing bytes");
        row("st_truncated", safetensors("{" + t("a", "F32", "[2]", 0, 8) + "}", 7), false, "truncated");
        row("st_size_mismatch", safetensors("{" + t("a", "F32", "[3]", 0, 8) + "}", 8), false, "data_offsets span 8");
        row("st_unknown_dtype", safetensors("{" + t("a", "F4", "[8]", 0, 8) + "}", 8), false, "F4|does not read|packed 4- and 6-bit");
        row("st_duplicate", safetensors("{" + t("a", "F32", "[1]", 0, 4) + "," + t("a", "F32", "[1]", 4, 8) + "}", 8), false,
            "twice");
        row("st_bad_json", safetensors("{\"a\":", 0), false, "not valid JSON");
        row("st_negative_shape", safetensors("{" + t("a", "F32", "[-1]", 0, 0) + "}", 0), false, "non-negative integer");
        row("st_float_offset", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0.0,4]}}", 4), false,
            "non-negative integer");
        row("st_extra_field", safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4), false,
            "exactly dtype, shape and data_offsets");
        row("st_metadata_not_string", safetensors("{\"__metadata__\":{\"k\":1}," + t("a", "F32", "[1]", 0, 4) + "}", 4), false,
            "__metadata__ value 'k'");
        row("st_impossible_shape", safetensors("{" + t("a", "F32", "[1099511627776,1099511627776]", 0, 0) + "}", 0), false,
            "impossibly large");
        row("st_not_object", safetensors("[1,2]", 0), false, "neither");  // not detected as safetensors at all
    }

private slots:
    void refusedWithClearMessage_data() {
        QTest::addColumn<std::vector<uint8_t>>("bytes");
        QTest::addColumn<bool>("unsafe");
        QTest::addColumn<QString>("words");  // '|'-separated; empty: the file must read
        rows_pickle();
        rows_containers();
        rows_legacy();
        rows_safetensors();
    }
    void refusedWithClearMessage() {
        QFETCH(std::vector<uint8_t>, bytes);
        QFETCH(bool, unsafe);
        QFETCH(QString, words);
        io::ReadLimits limits;
        limits.max_expanded_bytes = 64 << 20;
        try {
            const io::TensorFile f = io::read_tensor_file_from_bytes(bytes, "hostile.pth", limits);
            QVERIFY2(words.isEmpty(), "the file was accepted");
            QCOMPARE(f.tensors.size(), size_t{1});
        } catch (const FileFormatError& e) {
            const QString message = e.what();
            QVERIFY2(!words.isEmpty(), e.what());
            QVERIFY2(message.startsWith("hostile.pth: "), e.what());
            QVERIFY2(unsafe == (dynamic_cast<const UnsafeFileError*>(&e) != nullptr), e.what());
            for (const QString& w : words.split('|'))
                QVERIFY2(message.contains(w), qPrintable("'" + w + "' missing from: " + message));
        }
    }

    // Python dict semantics: a repeated key keeps its first position and takes the last value.
    void repeatedKeyTakesLastValue() {
        const std::string pkl = pickle(dict({{str("a"), tensor("0", 16, 0, {2}, {1})},
                                             {str("b"), tensor("0", 16, 4, {2}, {1})},
                                             {str("a"), tensor("0", 16, 8, {2}, {1})}}));
        const io::TensorFile f = io::read_tensor_file_from_bytes(pth(pkl), "dup.pth");
        QCOMPARE(f.tensors.size(), size_t{2});
        QCOMPARE(f.tensors.entries()[0].first, std::string("a"));
        QCOMPARE(f.tensors.at("a").element(0), 8.0);
        QCOMPARE(f.tensors.at("b").element(1), 5.0);
    }

    // torch 2.x saves float8/uint16/... over 'torch.storage UntypedStorage' (as ours now do; found
    // by pypi_reference); files with the torch.UntypedStorage alias read the same.
    void untypedStorageUnderEitherName() {
        for (const char* module : {"torch", "torch.storage"}) {
            const std::string storage = "((" + str("storage") + global(module, "UntypedStorage") + str("0") + str("cpu") +
                                        integer(8) + "tQ";
            const std::string v3 = global("torch._utils", "_rebuild_tensor_v3") + "(" + storage.substr(1) + integer(0) +
                                   ints({2, 2}) + ints({2, 1}) + "\x89" + global("collections", "OrderedDict") + ")R" +
                                   global("torch", "uint16") + "tR";
            const io::TensorFile f = io::read_tensor_file_from_bytes(pth(pickle(dict({{str("w"), v3}}))), "v3.pth");
            const TypedTensor& w = f.tensors.at("w");
            QCOMPARE(w.dtype, DType::UInt16);
            QCOMPARE(w.shape, (Shape{2, 2}));
            QCOMPARE(w.element(3), 16256.0);  // bytes 6..7 of record 0: the high half of 1.0f (0x3f80)
        }
    }

    // Any folder name works, as torch names it after the file.
    void anyTopFolder() {
        const std::string pkl = pickle(dict({{str("w"), tensor("0", 16, 0, {16}, {1})}}));
        std::string floats(64, '\0');
        const io::TensorFile f =
            io::read_tensor_file_from_bytes(pth(pkl, {{"data/0", floats}}, "my model v2"), "folder.pth");
        QCOMPARE(f.tensors.at("w").shape, Shape{16});
    }

    void limitsAreEnforced() {
        io::ReadLimits limits;
        limits.max_pickle_bytes = 100;
        try {
            io::read_tensor_file((nnstudio::test::fixtures_dir() + "/torch-2.11/deep_mlp.pth").toStdString(), limits);
            QFAIL("accepted");
        } catch (const FileFormatError& e) {
            QVERIFY2(QString(e.what()).contains("more than the 100 allowed"), e.what());
        }
        limits = {};
        limits.max_header_bytes = 64;
        QVERIFY_THROWS_EXCEPTION(FileFormatError,
            io::read_tensor_file((nnstudio::test::fixtures_dir() + "/torch-2.11/simple_net.safetensors").toStdString(), limits));
    }
};

QTEST_APPLESS_MAIN(TestHostileInputs)
#include "tst_hostile_inputs.moc"
