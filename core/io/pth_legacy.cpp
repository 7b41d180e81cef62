// read_pth_legacy: magic number, protocol version, sys_info, the data pickle, the storage key list,
// then for each key an int64 element count and the elements (torch/serialization.py _legacy_load).
#include "io/pth_legacy.h"

#include "error.h"
#include "io/pickle_reader.h"
#include "io/pickled_tensors.h"

#include <cstring>
#include <map>

namespace nnstudio::io {
namespace {

// torch.serialization.MAGIC_NUMBER = 0x1950a86a20f9469cfc6c as pickled by LONG1 (little-endian).
constexpr uint8_t kMagic[] = {0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19};
constexpr int64_t kProtocolVersion = 1001;
constexpr const char* kResave =
    "re-save it in the current format: in PyTorch run torch.save(torch.load(f), f, "
    "_use_new_zipfile_serialization=True)";

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
    throw FileFormatError(name + ": legacy (pre-1.6) PyTorch file: " + problem + " (truncated or corrupt?): " +
                          kResave);
}

struct RawStorage {
    const uint8_t* data = nullptr;
    size_t size = 0;  // bytes
    DType dtype = DType::Float32;
};

}  // namespace

bool looks_like_legacy_pth(const std::vector<uint8_t>& bytes) {
    return bytes.size() >= 4 + sizeof kMagic && bytes[0] == 0x80 && bytes[1] == 2 && bytes[2] == 0x8a &&
           bytes[3] == sizeof kMagic && std::memcmp(bytes.data() + 4, kMagic, sizeof kMagic) == 0;
}

bool looks_like_tar(const std::vector<uint8_t>& bytes) {
    return bytes.size() >= 262 && std::memcmp(bytes.data() + 257, "ustar", 5) == 0;
}

TensorFile read_pth_legacy(const std::vector<uint8_t>& bytes, const std::string& name, const ReadLimits& limits) {
    size_t pos = 0;
    auto next = [&]() {
        try {
            Pickle p = unpickle(bytes.data() + pos, bytes.size() - pos, name);
            pos += p.consumed();
            return p;
        } catch (const UnsafeFileError&) {
            throw;
        } catch (const FileFormatError& e) {
            // The generic advice (re-save with torch.save) would write the same old format again.
            throw FileFormatError(std::string(e.what()) + " (a legacy pre-1.6 file: " + kResave + ")");
        }
    };
    const Pickle magic = next();
    if (magic.root().kind != PickleKind::BigInt || magic.root().text != std::string(kMagic, kMagic + sizeof kMagic))
        fail(name, "wrong magic number");
    const Pickle protocol = next();
    if (protocol.root().kind != PickleKind::Int || protocol.root().integer != kProtocolVersion)
        fail(name, "unknown protocol version");
    const Pickle sys_info = next();
    if (sys_info.root().kind != PickleKind::Dict) fail(name, "no system info");
    for (size_t i = 0; i + 1 < sys_info.root().items.size(); i += 2) {
        const Pickle::Value& key = sys_info.value(sys_info.root().items[i]);
        const Pickle::Value& value = sys_info.value(sys_info.root().items[i + 1]);
        if (key.kind == PickleKind::String && key.text == "little_endian" &&
            value.kind == PickleKind::Bool && value.integer == 0)
            throw FileFormatError(name + ": written on a big-endian machine; NN Studio reads little-endian files: " +
                                  kResave + " on a little-endian machine");
    }
    const Pickle data = next();
    const Pickle keys = next();
    if (keys.root().kind != PickleKind::List) fail(name, "no storage key list");

    // The dtype of each storage comes from how the data pickle names it.
    std::map<std::string, DType> dtype_of;
    for (const PickledStorage& s : data.storages()) {
        const auto [it, fresh] = dtype_of.emplace(s.key, s.dtype);
        if (!fresh && it->second != s.dtype)
            throw FileFormatError(name + ": storage '" + s.key + "' is used with two dtypes (" + dtype_name(it->second) +
                                  ", " + dtype_name(s.dtype) + "), which NN Studio does not read: " + kResave);
    }
    std::map<std::string, RawStorage> raw;
    for (uint32_t key_index : keys.root().items) {
        const Pickle::Value& key = keys.value(key_index);
        if (key.kind != PickleKind::String) fail(name, "a storage key that is not a string");
        const auto dtype = dtype_of.find(key.text);
        if (dtype == dtype_of.end()) fail(name, "storage '" + key.text + "' is stored but no tensor uses it");
        if (bytes.size() - pos < 8) fail(name, "storage '" + key.text + "' is cut off");
        int64_t count;
        std::memcpy(&count, bytes.data() + pos, 8);
        pos += 8;
        const uint64_t elem = dtype_size(dtype->second);
        if (count < 0 || static_cast<uint64_t>(count) > (bytes.size() - pos) / elem)
            fail(name, "storage '" + key.text + "' claims " + std::to_string(count) + " elements, more than the " +
                           std::to_string(bytes.size() - pos) + " bytes left");
        const size_t size = static_cast<size_t>(count) * elem;
        if (!raw.emplace(key.text, RawStorage{bytes.data() + pos, size, dtype->second}).second)
            fail(name, "storage '" + key.text + "' is stored twice");
        pos += size;
    }

    const auto resolve = [&](const PickledStorage& s) -> StorageSpan {
        const auto it = raw.find(s.key);
        if (it == raw.end()) fail(name, "the data names storage '" + s.key + "' but its bytes are not in the file");
        const RawStorage& r = it->second;
        if (!s.is_view) return {r.data, r.size};
        const uint64_t elem = dtype_size(r.dtype);
        const uint64_t numel = r.size / elem;
        if (static_cast<uint64_t>(s.view_offset) > numel || static_cast<uint64_t>(s.view_numel) > numel - s.view_offset)
            fail(name, "a view of storage '" + s.key + "' reaches past its end");
        return {r.data + s.view_offset * elem, static_cast<size_t>(s.view_numel * elem)};
    };
    return tensors_from_pickle(data, resolve, limits, name);
}

}  // namespace nnstudio::io
