// pickle_state_dict: a tiny protocol-2 pickler with a memo, enough for dicts of tensors. Memoizing
// the globals and repeated strings the way Python's pickler does keeps files byte-for-byte close
// to torch.save's.
#include "io/pickle_writer.h"

#include "error.h"
#include "io/torch_dtypes.h"

#include <cstring>
#include <map>
#include <optional>
#include <string>

namespace nnstudio::io {
namespace {

class PickleWriter {
public:
    std::vector<uint8_t> out;

    void op(uint8_t code) { out.push_back(code); }
    void raw(const void* p, size_t n) {
        const auto* b = static_cast<const uint8_t*>(p);
        out.insert(out.end(), b, b + n);
    }
    template <typename T>
    void little(T v) {
        raw(&v, sizeof v);  // the host is little-endian (checked in pickle_reader.cpp)
    }

    // Python's save_long for protocol 2: the shortest opcode that holds the value.
    void integer(int64_t v) {
        if (v >= 0 && v <= 0xff) {
            op('K');
            out.push_back(static_cast<uint8_t>(v));
        } else if (v >= 0 && v <= 0xffff) {
            op('M');
            little(static_cast<uint16_t>(v));
        } else if (v >= INT32_MIN && v <= INT32_MAX) {
            op('J');
            little(static_cast<int32_t>(v));
        } else {
            // LONG1: little-endian two's complement, trimmed to the fewest bytes that keep the sign.
            uint8_t bytes[8];
            std::memcpy(bytes, &v, 8);
            size_t n = 8;
            while (n > 1 && ((bytes[n - 1] == 0x00 && !(bytes[n - 2] & 0x80)) ||
                             (bytes[n - 1] == 0xff && (bytes[n - 2] & 0x80))))
                --n;
            op(0x8a);
            out.push_back(static_cast<uint8_t>(n));
            raw(bytes, n);
        }
    }

    void put() {
        const uint32_t index = m_next_memo++;
        if (index <= 0xff) {
            op('q');
            out.push_back(static_cast<uint8_t>(index));
        } else {
            op('r');
            little(index);
        }
    }
    void get(uint32_t index) {
        if (index <= 0xff) {
            op('h');
            out.push_back(static_cast<uint8_t>(index));
        } else {
            op('j');
            little(index);
        }
    }
    uint32_t last_memo() const { return m_next_memo - 1; }

    void string(const std::string& s) {
        op('X');
        little(static_cast<uint32_t>(s.size()));
        raw(s.data(), s.size());
        put();
    }
    // Strings and globals that repeat (e.g. 'storage', 'cpu', torch.FloatStorage) are memoized
    // once and fetched afterwards, as Python does for the same object.
    void shared_string(const std::string& s) {
        if (auto it = m_memo_of.find("s:" + s); it != m_memo_of.end()) return get(it->second);
        string(s);
        m_memo_of["s:" + s] = last_memo();
    }
    void global(const std::string& module, const std::string& name) {
        if (auto it = m_memo_of.find("g:" + module + "." + name); it != m_memo_of.end()) return get(it->second);
        op('c');
        raw(module.data(), module.size());
        op('\n');
        raw(name.data(), name.size());
        op('\n');
        put();
        m_memo_of["g:" + module + "." + name] = last_memo();
    }
    void int_tuple(const std::vector<int64_t>& values) {
        if (values.empty()) {
            op(')');
            return;
        }
        if (values.size() > 3) op('(');
        for (int64_t v : values) integer(v);
        op(values.size() == 1 ? 0x85 : values.size() == 2 ? 0x86 : values.size() == 3 ? 0x87 : 't');
        put();
    }
    void empty_ordered_dict() {
        global("collections", "OrderedDict");
        op(')');
        op('R');
        put();
    }

    // _rebuild_tensor_v2(persistent_load(('storage', torch.XStorage, key, 'cpu', numel)),
    //                    0, size, contiguous stride, False, OrderedDict())
    // or, for the dtypes without a storage class (float8, uint16/32/64), as torch 2.x does:
    // _rebuild_tensor_v3(persistent_load(('storage', torch.storage.UntypedStorage, key, 'cpu', nbytes)),
    //                    0, size, contiguous stride, False, OrderedDict(), torch.<dtype>)
    // (torch.load(weights_only=True) allows the class under its module's name only).
    void tensor(const TypedTensor& t, const std::string& storage_key) {
        const std::optional<std::string> storage_class = storage_class_name(t.dtype);
        global("torch._utils", storage_class ? "_rebuild_tensor_v2" : "_rebuild_tensor_v3");
        op('(');
        op('(');
        shared_string("storage");
        if (storage_class) global("torch", *storage_class);
        else global("torch.storage", "UntypedStorage");
        string(storage_key);
        shared_string("cpu");
        integer(storage_class ? t.numel() : static_cast<int64_t>(t.bytes.size()));
        op('t');
        put();
        op('Q');
        integer(0);
        int_tuple(t.shape);
        std::vector<int64_t> stride(t.shape.size());
        int64_t s = 1;
        for (size_t i = t.shape.size(); i-- > 0;) {
            stride[i] = s;
            s *= std::max<int64_t>(t.shape[i], 1);
        }
        int_tuple(stride);
        op(0x89);  // requires_grad=False
        empty_ordered_dict();
        if (!storage_class) global("torch", dtype_name(t.dtype));
        op('t');
        put();
        op('R');
        put();
    }

private:
    uint32_t m_next_memo = 0;
    std::map<std::string, uint32_t> m_memo_of;
};

}  // namespace

std::vector<uint8_t> pickle_state_dict(const StateDict& tensors, bool single_tensor) {
    PickleWriter w;
    w.op(0x80);  // PROTO 2, like torch.save's DEFAULT_PROTOCOL
    w.op(2);
    if (single_tensor) {
        if (tensors.size() != 1) throw Error("internal: a single-tensor file needs exactly one tensor");
        w.tensor(tensors.entries().front().second, "0");
    } else {
        w.empty_ordered_dict();
        // Python's pickler batches SETITEMS by 1000 items.
        size_t index = 0;
        const auto& entries = tensors.entries();
        for (size_t start = 0; start < entries.size(); start += 1000) {
            const size_t end = std::min(entries.size(), start + 1000);
            if (end - start > 1) w.op('(');
            for (size_t i = start; i < end; ++i, ++index) {
                w.string(entries[i].first);
                w.tensor(entries[i].second, std::to_string(index));
            }
            w.op(end - start > 1 ? 'u' : 's');
        }
    }
    w.op('.');
    return std::move(w.out);
}

}  // namespace nnstudio::io
