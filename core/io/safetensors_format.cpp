// read_safetensors / write_safetensors over nlohmann::json, with every field of the header checked
// before any tensor bytes are touched.
#include "io/safetensors_format.h"

#include "error.h"
#include "io/strided_copy.h"
#include "io/torch_dtypes.h"

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_set>

namespace nnstudio::io {
namespace {

using nlohmann::json;

constexpr const char* kResave = "re-save it, e.g. with safetensors.torch.save_file(state_dict, path)";

[[noreturn]] void fail(const std::string& name, const std::string& problem) {
    throw FileFormatError(name + ": invalid safetensors file: " + problem + ": " + kResave);
}

uint64_t header_length(const std::vector<uint8_t>& bytes) {
    uint64_t n;
    std::memcpy(&n, bytes.data(), 8);
    return n;
}

uint64_t offset_value(const json& v, const std::string& name, const std::string& what) {
    if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
        fail(name, what + " is not a non-negative integer");
    return v.get<uint64_t>();
}

struct Entry {
    std::string key;
    DType dtype;
    Shape shape;
    uint64_t begin, end;
};

}  // namespace

bool looks_like_safetensors(const std::vector<uint8_t>& bytes) {
    // The length itself is not checked here, so a wrong one gets a safetensors-specific message.
    return bytes.size() >= 9 && bytes[8] == '{';
}

TensorFile read_safetensors(const std::vector<uint8_t>& bytes, const std::string& name, const ReadLimits& limits) {
    if (bytes.size() < 8) fail(name, "shorter than its 8-byte header length");
    const uint64_t n = header_length(bytes);
    if (n > limits.max_header_bytes)
        fail(name, "header length " + std::to_string(n) + " exceeds the " + std::to_string(limits.max_header_bytes) +
                       " bytes allowed");
    if (n > bytes.size() - 8)
        fail(name, "header length " + std::to_string(n) + " but only " + std::to_string(bytes.size() - 8) +
                       " bytes follow (truncated?)");
    const char* header_begin = reinterpret_cast<const char*>(bytes.data()) + 8;

    // Keep the header's key order (json's object is sorted); duplicates would hide a tensor.
    std::vector<std::string> order;
    bool duplicate = false;
    std::unordered_set<std::string> seen;
    json header;
    try {
        header = json::parse(header_begin, header_begin + n, [&](int depth, json::parse_event_t event, json& parsed) {
            if (depth == 1 && event == json::parse_event_t::key) {
                std::string key = parsed.get<std::string>();
                if (!seen.insert(key).second) duplicate = true;
                order.push_back(std::move(key));
            }
            return true;
        });
    } catch (const json::exception& e) {
        fail(name, std::string("the header is not valid JSON (") + e.what() + ")");
    }
    if (!header.is_object()) fail(name, "the header is not a JSON object");
    if (duplicate) fail(name, "the header names a tensor twice");

    std::vector<Entry> entries;
    for (const std::string& key : order) {
        const json& info = header.at(key);
        if (key == "__metadata__") {
            if (!info.is_object()) fail(name, "__metadata__ is not an object");
            for (const auto& item : info.items())
                if (!item.value().is_string()) fail(name, "__metadata__ value '" + item.key() + "' is not a string");
            continue;
        }
        const std::string what = "tensor '" + key + "'";
        if (!info.is_object() || info.size() != 3 || !info.contains("dtype") || !info.contains("shape") ||
            !info.contains("data_offsets"))
            fail(name, what + " must have exactly dtype, shape and data_offsets");
        const json& dtype = info["dtype"];
        if (!dtype.is_string()) fail(name, what + ": dtype is not a string");
        const auto dt = dtype_from_safetensors_code(dtype.get<std::string>());
        if (!dt)
            throw FileFormatError(name + ": " + what + " has dtype " + dtype.get<std::string>() +
                                  ", which NN Studio does not read (it reads BOOL, U8/16/32/64, I8/16/32/64, F8_E4M3, "
                                  "F8_E5M2, F8_E4M3FNUZ, F8_E5M2FNUZ, F8_E8M0, F16, BF16, F32, F64 and C64; not the packed 4- and "
                                  "6-bit "
                                  "floats): convert it, e.g. to float32, and save again");
        const json& shape = info["shape"];
        if (!shape.is_array() || shape.size() > 64) fail(name, what + ": shape is not a list of at most 64 sizes");
        Entry e{key, *dt, {}, 0, 0};
        for (const json& d : shape) {
            const uint64_t v = offset_value(d, name, what + ": a size in its shape");
            if (v > (uint64_t{1} << 56)) fail(name, what + ": impossibly large shape");
            e.shape.push_back(static_cast<int64_t>(v));
        }
        const json& offsets = info["data_offsets"];
        if (!offsets.is_array() || offsets.size() != 2) fail(name, what + ": data_offsets is not [begin, end]");
        e.begin = offset_value(offsets[0], name, what + ": data_offsets begin");
        e.end = offset_value(offsets[1], name, what + ": data_offsets end");
        if (e.end < e.begin) fail(name, what + ": data_offsets end before they begin");
        const uint64_t nbytes = contiguous_bytes(e.shape, e.dtype, name + ": " + what);
        if (e.end - e.begin != nbytes)
            fail(name, what + " is " + dtype.get<std::string>() + " " + shape_to_string(e.shape) + ", " +
                           std::to_string(nbytes) + " bytes, but its data_offsets span " +
                           std::to_string(e.end - e.begin));
        entries.push_back(std::move(e));
    }

    // The byte ranges must tile the buffer exactly: sorted, no gaps, no overlaps, nothing after.
    const uint64_t buffer = bytes.size() - 8 - n;
    std::vector<const Entry*> sorted;
    for (const Entry& e : entries) sorted.push_back(&e);
    std::stable_sort(sorted.begin(), sorted.end(), [](const Entry* a, const Entry* b) {
        return a->begin != b->begin ? a->begin < b->begin : a->end < b->end;
    });
    uint64_t expected = 0;
    for (const Entry* e : sorted) {
        if (e->begin != expected)
            fail(name, "tensor '" + e->key + "' starts at byte " + std::to_string(e->begin) + " of the data, expected " +
                           std::to_string(expected) + " (tensors overlap or leave a gap)");
        expected = e->end;
    }
    if (expected != buffer)
        fail(name, "the tensors cover " + std::to_string(expected) + " bytes but the data holds " +
                       std::to_string(buffer) + (expected > buffer ? " (truncated?)" : " (trailing bytes)"));

    TensorFile out;
    const uint8_t* data = bytes.data() + 8 + n;
    for (Entry& e : entries) {
        TypedTensor t;
        t.dtype = e.dtype;
        t.shape = std::move(e.shape);
        t.bytes.assign(data + e.begin, data + e.end);
        out.tensors.insert(e.key, std::move(t));
    }
    return out;
}

std::vector<uint8_t> write_safetensors(const TensorFile& file) {
    nlohmann::ordered_json header;
    header["__metadata__"] = {{"format", "pt"}};
    uint64_t offset = 0;
    for (const auto& [key, t] : file.tensors) {
        const std::string name = file.single_tensor ? "tensor" : key;
        header[name] = {{"dtype", safetensors_code(t.dtype)},
                        {"shape", t.shape},
                        {"data_offsets", {offset, offset + t.bytes.size()}}};
        offset += t.bytes.size();
        if (file.single_tensor) break;
    }
    std::string text;
    try {
        text = header.dump();
    } catch (const nlohmann::json::exception& e) {
        throw Error(std::string("cannot write a safetensors header: a tensor name is not valid UTF-8 (") + e.what() + ")");
    }
    // The reference writer pads the header with spaces so the data starts 8-byte aligned.
    text.append((8 - text.size() % 8) % 8, ' ');
    const uint64_t n = text.size();
    std::vector<uint8_t> out(8 + text.size() + offset);
    std::memcpy(out.data(), &n, 8);
    std::memcpy(out.data() + 8, text.data(), text.size());
    uint8_t* data = out.data() + 8 + text.size();
    for (const auto& [key, t] : file.tensors) {
        if (!t.bytes.empty()) std::memcpy(data, t.bytes.data(), t.bytes.size());
        data += t.bytes.size();
        if (file.single_tensor) break;
    }
    return out;
}

}  // namespace nnstudio::io
