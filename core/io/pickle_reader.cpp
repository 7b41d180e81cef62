// The restricted unpickler: an opcode loop over an index-based value arena. Values refer to each
// other by index, so self-referencing pickles cannot leak or recurse, and every length is checked
// against the bytes that remain before anything is allocated.
#include "io/pickle_reader.h"

#include "error.h"
#include "io/torch_dtypes.h"

#include <bit>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace nnstudio::io {

static_assert(std::endian::native == std::endian::little, "the file readers assume a little-endian host");

namespace {

// Which allowed global a PickleKind::Global value is (Value::integer).
enum GlobalId : int64_t {
    kOrderedDict = 1,
    kRebuildTensorV2,
    kRebuildTensor,
    kRebuildParameter,
    kRebuildParameterWithState,
    kRebuildTensorV3,
    kCodecsEncode,            // _codecs.encode(str, 'latin1'): how protocol 2 pickles bytes
    kTorchDevice,             // torch.device('cuda', 0): kept as the string "cuda:0"
    kTorchSize,               // torch.Size((2, 3)): a tuple
    kSet,                     // set([...]) / frozenset([...]) (protocol 2): a list
    kUntypedStorage,          // torch.UntypedStorage: bytes, typed by _rebuild_tensor_v3's dtype
    kStorageClassBase = 100,  // + static_cast<int>(DType)
    kDTypeBase = 200,         // torch.<dtype> + static_cast<int>(DType)
};

// Every object, stack slot and container item comes from a push, so capping pushes bounds all
// memory the opcode loop can take (~1 GB), whatever the pickle repeats (BINGET, DUP). A
// state_dict needs ~30 pushes per tensor.
constexpr size_t kMaxPushes = size_t{1} << 26;
constexpr size_t kMaxValues = size_t{1} << 24;
constexpr size_t kMaxGlobalNameLength = 1024;
constexpr size_t kMaxDims = 64;
constexpr const char* kStateDictAdvice =
    "NN Studio only loads state_dicts: in PyTorch run torch.save(model.state_dict(), path)";

const char* kind_name(PickleKind kind) {
    switch (kind) {
    case PickleKind::None: return "None";
    case PickleKind::Bool: return "a bool";
    case PickleKind::Int: return "an int";
    case PickleKind::BigInt: return "a big int";
    case PickleKind::Float: return "a float";
    case PickleKind::String: return "a string";
    case PickleKind::Tuple: return "a tuple";
    case PickleKind::List: return "a list";
    case PickleKind::Dict: return "a dict";
    case PickleKind::Global: return "a class or function";
    case PickleKind::Storage: return "a storage";
    case PickleKind::Tensor: return "a tensor";
    }
    return "an object";
}

}  // namespace

class Unpickler {
public:
    Unpickler(const uint8_t* data, size_t size, const std::string& name)
        : m_data(data), m_size(size), m_name(name) {}

    Pickle run() {
        while (true) {
            m_op_pos = m_pos;
            const uint8_t op = u8();
            if (op == '.') break;
            step(op);
        }
        if (m_stack.size() <= base()) fail("STOP with nothing on the stack");
        if (!m_marks.empty()) fail("STOP inside an unclosed MARK");
        m_out.m_root = m_stack.back();
        m_out.m_consumed = m_pos;
        return std::move(m_out);
    }

private:
    using Value = Pickle::Value;

    [[noreturn]] void fail(const std::string& what) const {
        throw FileFormatError(m_name + ": corrupt pickle (" + what + " at byte " + std::to_string(m_op_pos) +
                              "): the file is damaged or not written by torch.save; re-save it with torch.save");
    }

    // ---- raw reads, each bounded by the bytes that remain
    void need_bytes(uint64_t n) const {
        if (n > m_size - m_pos) fail("truncated data: " + std::to_string(n) + " bytes needed, " +
                                     std::to_string(m_size - m_pos) + " left");
    }
    uint8_t u8() {
        need_bytes(1);
        return m_data[m_pos++];
    }
    template <typename T>
    T little() {
        need_bytes(sizeof(T));
        T v;
        std::memcpy(&v, m_data + m_pos, sizeof(T));
        m_pos += sizeof(T);
        return v;
    }
    std::string bytes(uint64_t n) {
        need_bytes(n);
        std::string s(reinterpret_cast<const char*>(m_data + m_pos), static_cast<size_t>(n));
        m_pos += static_cast<size_t>(n);
        return s;
    }
    std::string line() {
        const size_t limit = std::min(m_size - m_pos, kMaxGlobalNameLength + 1);
        const void* nl = std::memchr(m_data + m_pos, '\n', limit);
        if (!nl) fail("a GLOBAL name without its newline");
        const size_t n = static_cast<size_t>(static_cast<const uint8_t*>(nl) - (m_data + m_pos));
        std::string s = bytes(n);
        ++m_pos;
        return s;
    }

    // ---- values and the stack
    uint32_t make(Value v) {
        if (m_out.m_values.size() >= kMaxValues) fail("more than " + std::to_string(kMaxValues) + " objects");
        m_out.m_values.push_back(std::move(v));
        return static_cast<uint32_t>(m_out.m_values.size() - 1);
    }
    uint32_t make(PickleKind kind, int64_t integer = 0) {
        Value v;
        v.kind = kind;
        v.integer = integer;
        return make(std::move(v));
    }
    Value& at(uint32_t i) { return m_out.m_values[i]; }
    void push(uint32_t i) {
        if (++m_pushes > kMaxPushes) fail("more than " + std::to_string(kMaxPushes) + " objects pushed");
        m_stack.push_back(i);
    }
    size_t base() const { return m_marks.empty() ? 0 : m_marks.back(); }
    void need_stack(size_t n, const char* opname) const {
        if (m_stack.size() - base() < n) fail(std::string(opname) + " on a stack with too few items");
    }
    uint32_t pop(const char* opname) {
        need_stack(1, opname);
        const uint32_t v = m_stack.back();
        m_stack.pop_back();
        return v;
    }
    std::vector<uint32_t> pop_mark(const char* opname) {
        if (m_marks.empty()) fail(std::string(opname) + " without a MARK");
        const size_t from = m_marks.back();
        m_marks.pop_back();
        std::vector<uint32_t> items(m_stack.begin() + static_cast<std::ptrdiff_t>(from), m_stack.end());
        m_stack.resize(from);
        return items;
    }
    uint32_t top(const char* opname) {
        need_stack(1, opname);
        return m_stack.back();
    }

    void push_int(int64_t v) { push(make(PickleKind::Int, v)); }
    void push_string(std::string s) {
        Value v;
        v.kind = PickleKind::String;
        v.text = std::move(s);
        push(make(std::move(v)));
    }
    void push_long(const std::string& le) {
        // Python ints of any size: up to 8 bytes (or more with pure sign extension) fit int64.
        const size_t n = le.size();
        if (n == 0) return push_int(0);
        const bool negative = static_cast<uint8_t>(le[n - 1]) & 0x80;
        bool fits = true;
        for (size_t i = 8; i < n; ++i)
            if (static_cast<uint8_t>(le[i]) != (negative ? 0xff : 0x00)) fits = false;
        if (n > 8 && fits && ((static_cast<uint8_t>(le[7]) & 0x80) != 0) != negative) fits = false;
        if (!fits) {
            Value v;
            v.kind = PickleKind::BigInt;
            v.text = le;
            return push(make(std::move(v)));
        }
        uint64_t bits = negative ? ~uint64_t{0} : 0;
        for (size_t i = 0; i < std::min<size_t>(n, 8); ++i) {
            bits &= ~(uint64_t{0xff} << (8 * i));
            bits |= uint64_t{static_cast<uint8_t>(le[i])} << (8 * i);
        }
        push_int(static_cast<int64_t>(bits));
    }
    uint32_t make_sequence(PickleKind kind, std::vector<uint32_t> items) {
        Value v;
        v.kind = kind;
        v.items = std::move(items);
        return make(std::move(v));
    }

    void memo_put(uint64_t index) {
        const uint32_t v = top("PUT");
        if (index > UINT32_MAX) fail("memo index out of range");
        if (m_memo.size() >= kMaxValues && !m_memo.count(static_cast<uint32_t>(index))) fail("more than " + std::to_string(kMaxValues) + " memo entries");
        m_memo[static_cast<uint32_t>(index)] = v;
    }
    void memo_get(uint64_t index) {
        const auto it = m_memo.find(static_cast<uint32_t>(index));
        if (index > UINT32_MAX || it == m_memo.end()) fail("GET of memo entry " + std::to_string(index) + " that was never PUT");
        push(it->second);
    }

    // ---- globals: the allow-list
    void push_global(const std::string& module, const std::string& name) {
        const std::string full = module + "." + name;
        int64_t id = 0;
        if (full == "collections.OrderedDict") id = kOrderedDict;
        else if (full == "torch._utils._rebuild_tensor_v2") id = kRebuildTensorV2;
        else if (full == "torch._utils._rebuild_tensor") id = kRebuildTensor;
        else if (full == "torch._utils._rebuild_parameter") id = kRebuildParameter;
        else if (full == "torch._utils._rebuild_parameter_with_state") id = kRebuildParameterWithState;
        else if (full == "torch._utils._rebuild_tensor_v3") id = kRebuildTensorV3;
        else if (full == "_codecs.encode") id = kCodecsEncode;
        else if (full == "torch.device") id = kTorchDevice;
        else if (full == "torch.Size") id = kTorchSize;
        else if (full == "builtins.set" || full == "__builtin__.set" || full == "builtins.frozenset" ||
                 full == "__builtin__.frozenset")
            id = kSet;
        // torch.save of torch 2.x names the class by its defining module (torch.storage); ours
        // and older writers use the torch.UntypedStorage alias.
        else if (full == "torch.UntypedStorage" || full == "torch.storage.UntypedStorage") id = kUntypedStorage;
        else if (module == "torch" && dtype_from_torch_name(name)) id = kDTypeBase + static_cast<int64_t>(*dtype_from_torch_name(name));
        else if (module == "torch" && name.size() > 7 && name.ends_with("Storage")) {
            const auto dtype = dtype_from_storage_class(name);
            if (!dtype)
                throw UnsafeFileError(m_name + ": holds tensors of type torch." + name +
                                      " (quantized?), which NN Studio does not read (it reads the float, float8, "
                                      "int, uint, bool and complex types): convert them in PyTorch, e.g. "
                                      "{k: v.dequantize().float() for k, v in sd.items()}, and save that");
            id = kStorageClassBase + static_cast<int64_t>(*dtype);
        } else if (module == "torch._utils" && name.starts_with("_rebuild_")) {
            throw UnsafeFileError(m_name + ": holds a special tensor (" + full +
                                  ": quantized, sparse, meta or a tensor subclass), which NN Studio does not "
                                  "read: save plain dense tensors, e.g. {k: v.to_dense() for k, v in sd.items()}");
        } else {
            const bool is_class = !name.empty() && name[0] >= 'A' && name[0] <= 'Z';
            throw UnsafeFileError(
                m_name + ": refused to load '" + full + "': " +
                (is_class ? "this file pickles a whole model object (or another Python class), not just tensors"
                          : "this file references a Python callable that loading it would run") +
                "; nothing was executed. " + kStateDictAdvice);
        }
        Value v;
        v.kind = PickleKind::Global;
        v.integer = id;
        v.text = full;
        push(make(std::move(v)));
    }

    // ---- what REDUCE / NEWOBJ / BINPERSID may build
    int64_t int_arg(uint32_t i, const char* what, int64_t min_value = 0) {
        const Value& v = at(i);
        if (v.kind != PickleKind::Int && v.kind != PickleKind::Bool)
            fail(std::string(what) + " is " + kind_name(v.kind) + ", not an int");
        if (v.integer < min_value) fail(std::string(what) + " is negative");
        return v.integer;
    }
    std::vector<int64_t> int_tuple(uint32_t i, const char* what) {
        const Value& v = at(i);
        if (v.kind != PickleKind::Tuple && v.kind != PickleKind::List)
            fail(std::string(what) + " is " + kind_name(v.kind) + ", not a tuple");
        if (v.items.size() > kMaxDims) fail(std::string(what) + " has more than 64 dimensions");
        std::vector<int64_t> out;
        for (uint32_t item : v.items) out.push_back(int_arg(item, what));
        return out;
    }

    // version 1: (storage, offset, size, stride); 2: + requires_grad, hooks[, metadata];
    // 3: + requires_grad, hooks, dtype[, metadata].
    uint32_t rebuild_tensor(const std::vector<uint32_t>& args, int version) {
        const bool ok = version == 1   ? args.size() == 4
                        : version == 2 ? args.size() == 6 || args.size() == 7
                                       : args.size() == 7 || args.size() == 8;
        if (!ok) fail("_rebuild_tensor_v" + std::to_string(version) + " with " + std::to_string(args.size()) + " arguments");
        const Value& storage = at(args[0]);
        if (storage.kind != PickleKind::Storage) fail("a tensor whose storage is " + std::string(kind_name(storage.kind)));
        PickledTensor t;
        t.storage = static_cast<uint32_t>(storage.integer);
        t.offset = int_arg(args[1], "storage offset");
        t.size = int_tuple(args[2], "tensor size");
        t.stride = int_tuple(args[3], "tensor stride");
        if (t.size.size() != t.stride.size()) fail("a tensor with different numbers of sizes and strides");
        if (version >= 2) {
            const PickleKind grad = at(args[4]).kind;
            if (grad != PickleKind::Bool && grad != PickleKind::Int) fail("requires_grad that is not a bool");
        }
        const bool untyped = m_untyped_storages.count(t.storage) > 0;
        if (version == 3) {
            const Value& dtype = at(args[6]);
            if (dtype.kind != PickleKind::Global || dtype.integer < kDTypeBase) fail("_rebuild_tensor_v3 without a dtype");
            if (!untyped) fail("_rebuild_tensor_v3 over a typed storage");
            t.dtype = static_cast<DType>(dtype.integer - kDTypeBase);
        } else if (untyped) {
            fail("an UntypedStorage outside _rebuild_tensor_v3");
        }
        m_out.m_tensors.push_back(std::move(t));
        return make(PickleKind::Tensor, static_cast<int64_t>(m_out.m_tensors.size() - 1));
    }

    uint32_t call(uint32_t func, const std::vector<uint32_t>& args) {
        const Value& f = at(func);
        if (f.kind != PickleKind::Global) fail("a call of " + std::string(kind_name(f.kind)));
        switch (f.integer) {
        case kOrderedDict:
            if (!args.empty()) fail("OrderedDict called with arguments");
            return make(PickleKind::Dict);
        case kRebuildTensorV2: return rebuild_tensor(args, 2);
        case kRebuildTensorV3: return rebuild_tensor(args, 3);
        case kRebuildTensor: return rebuild_tensor(args, 1);
        case kTorchDevice: {
            if (args.empty() || args.size() > 2 || at(args[0]).kind != PickleKind::String) fail("torch.device without a type");
            Value device;
            device.kind = PickleKind::String;
            device.text = at(args[0]).text;
            if (args.size() == 2 && at(args[1]).kind == PickleKind::Int) device.text += ":" + std::to_string(at(args[1]).integer);
            return make(std::move(device));
        }
        case kTorchSize:
        case kSet: {
            if (args.size() != 1 || (at(args[0]).kind != PickleKind::Tuple && at(args[0]).kind != PickleKind::List))
                fail(f.text + " of something other than a sequence");
            return make_sequence(f.integer == kTorchSize ? PickleKind::Tuple : PickleKind::List, at(args[0]).items);
        }
        case kCodecsEncode: {  // bytes under protocol 2: the latin-1 code points are the bytes
            if (args.size() != 2 || at(args[0]).kind != PickleKind::String || at(args[1]).kind != PickleKind::String ||
                at(args[1]).text != "latin1")
                fail("_codecs.encode other than (str, 'latin1')");
            Value bytes;
            bytes.kind = PickleKind::String;
            for (size_t i = 0; i < at(args[0]).text.size(); ++i) {  // UTF-8 of code points < 256
                const auto c = static_cast<unsigned char>(at(args[0]).text[i]);
                if (c < 0x80) bytes.text += static_cast<char>(c);
                else if ((c == 0xc2 || c == 0xc3) && i + 1 < at(args[0]).text.size())
                    bytes.text += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(at(args[0]).text[++i]) & 0x3f));
                else fail("_codecs.encode of a character above U+00FF to latin1");
            }
            return make(std::move(bytes));
        }
        case kRebuildParameter:
        case kRebuildParameterWithState: {
            const size_t expected = f.integer == kRebuildParameter ? 3 : 4;
            if (args.size() != expected || at(args[0]).kind != PickleKind::Tensor)
                fail("_rebuild_parameter without a tensor");
            return args[0];  // a Parameter is its tensor; requires_grad and hooks do not matter here
        }
        default: fail("a call of " + f.text);
        }
    }

    uint32_t persistent_load(uint32_t pid_index) {
        const Value& pid = at(pid_index);
        if (pid.kind != PickleKind::Tuple || pid.items.empty() || at(pid.items[0]).kind != PickleKind::String ||
            at(pid.items[0]).text != "storage")
            throw UnsafeFileError(m_name + ": the pickle asks for a persistent object that is not a tensor storage; "
                                  "this is not a plain torch.save file. " + kStateDictAdvice);
        const auto& items = pid.items;
        if (items.size() != 5 && items.size() != 6) fail("a storage id with " + std::to_string(items.size()) + " fields");
        const Value& cls = at(items[1]);
        const bool untyped = cls.kind == PickleKind::Global && cls.integer == kUntypedStorage;
        if (cls.kind != PickleKind::Global || ((cls.integer < kStorageClassBase || cls.integer >= kDTypeBase) && !untyped))
            fail("a storage id without a storage class");
        const Value& key = at(items[2]);
        if (key.kind != PickleKind::String && key.kind != PickleKind::Int) fail("a storage key that is not a string");
        if (at(items[3]).kind != PickleKind::String) fail("a storage location that is not a string");
        PickledStorage s;
        s.dtype = untyped ? DType::UInt8 : static_cast<DType>(cls.integer - kStorageClassBase);
        s.key = key.kind == PickleKind::String ? key.text : std::to_string(key.integer);
        s.numel = int_arg(items[4], "storage size");
        if (items.size() == 6 && at(items[5]).kind != PickleKind::None) {
            // Legacy format: (view_key, offset, size) of a slice of the root storage.
            const Value& view = at(items[5]);
            if (view.kind != PickleKind::Tuple || view.items.size() != 3) fail("a storage view that is not (key, offset, size)");
            s.is_view = true;
            s.view_offset = int_arg(view.items[1], "storage view offset");
            s.view_numel = int_arg(view.items[2], "storage view size");
        }
        if (untyped) {
            if (s.is_view) fail("an UntypedStorage view");
            m_untyped_storages.insert(static_cast<uint32_t>(m_out.m_storages.size()));
        }
        m_out.m_storages.push_back(std::move(s));
        return make(PickleKind::Storage, static_cast<int64_t>(m_out.m_storages.size() - 1));
    }

    void step(uint8_t op) {
        switch (op) {
        case 0x80: {  // PROTO
            const uint8_t proto = u8();
            if (proto < 2 || proto > 5) fail("pickle protocol " + std::to_string(proto) + " (only 2 to 5 are read)");
            break;
        }
        case 0x95: need_bytes(little<uint64_t>()); break;  // FRAME: only a hint for buffering
        case '(':  // MARK
            if (m_marks.size() >= kMaxValues) fail("more than " + std::to_string(kMaxValues) + " nested MARKs");
            m_marks.push_back(m_stack.size());
            break;
        case '0':                                            // POP
            if (m_stack.size() > base()) m_stack.pop_back();
            else pop_mark("POP");
            break;
        case '1': pop_mark("POP_MARK"); break;
        case '2': push(top("DUP")); break;
        case 'N': push(make(PickleKind::None)); break;
        case 0x88: push(make(PickleKind::Bool, 1)); break;  // NEWTRUE
        case 0x89: push(make(PickleKind::Bool, 0)); break;  // NEWFALSE
        case 'J': push_int(little<int32_t>()); break;       // BININT
        case 'K': push_int(u8()); break;                    // BININT1
        case 'M': push_int(little<uint16_t>()); break;      // BININT2
        case 0x8a: push_long(bytes(u8())); break;           // LONG1
        case 0x8b: {                                        // LONG4
            const int32_t n = little<int32_t>();
            if (n < 0) fail("LONG4 with a negative length");
            push_long(bytes(static_cast<uint64_t>(n)));
            break;
        }
        case 'G': {  // BINFLOAT: big-endian IEEE double
            uint64_t bits = 0;
            for (int i = 0; i < 8; ++i) bits = (bits << 8) | u8();
            Value v;
            v.kind = PickleKind::Float;
            std::memcpy(&v.real, &bits, sizeof bits);
            push(make(std::move(v)));
            break;
        }
        case 'X': push_string(bytes(little<uint32_t>())); break;  // BINUNICODE
        case 0x8c: push_string(bytes(u8())); break;               // SHORT_BINUNICODE
        case 0x8d: push_string(bytes(little<uint64_t>())); break;  // BINUNICODE8
        // Byte strings (Python 2 str, Python 3 bytes) read as strings, as torch decodes them.
        case 'T': {  // BINSTRING
            const int32_t n = little<int32_t>();
            if (n < 0) fail("BINSTRING with a negative length");
            push_string(bytes(static_cast<uint64_t>(n)));
            break;
        }
        case 'U': push_string(bytes(u8())); break;                 // SHORT_BINSTRING
        case 'B': push_string(bytes(little<uint32_t>())); break;  // BINBYTES
        case 'C': push_string(bytes(u8())); break;                 // SHORT_BINBYTES
        case 0x8e: push_string(bytes(little<uint64_t>())); break;  // BINBYTES8
        case ')': push(make(PickleKind::Tuple)); break;            // EMPTY_TUPLE
        case ']': push(make(PickleKind::List)); break;             // EMPTY_LIST
        case '}': push(make(PickleKind::Dict)); break;             // EMPTY_DICT
        case 't': push(make_sequence(PickleKind::Tuple, pop_mark("TUPLE"))); break;
        case 'l': push(make_sequence(PickleKind::List, pop_mark("LIST"))); break;
        case 'd': {  // DICT
            std::vector<uint32_t> items = pop_mark("DICT");
            if (items.size() % 2) fail("DICT with an odd number of items");
            push(make_sequence(PickleKind::Dict, std::move(items)));
            break;
        }
        case 0x85:
        case 0x86:
        case 0x87: {  // TUPLE1..3
            const size_t n = op - 0x84u;
            need_stack(n, "TUPLE1/2/3");
            std::vector<uint32_t> items(m_stack.end() - static_cast<std::ptrdiff_t>(n), m_stack.end());
            m_stack.resize(m_stack.size() - n);
            push(make_sequence(PickleKind::Tuple, std::move(items)));
            break;
        }
        case 'a': {  // APPEND
            const uint32_t item = pop("APPEND");
            const uint32_t list = top("APPEND");
            if (at(list).kind != PickleKind::List) fail("APPEND to " + std::string(kind_name(at(list).kind)));
            at(list).items.push_back(item);
            break;
        }
        case 'e': {  // APPENDS
            const std::vector<uint32_t> items = pop_mark("APPENDS");
            const uint32_t list = top("APPENDS");
            if (at(list).kind != PickleKind::List) fail("APPENDS to " + std::string(kind_name(at(list).kind)));
            at(list).items.insert(at(list).items.end(), items.begin(), items.end());
            break;
        }
        case 's': {  // SETITEM
            const uint32_t value = pop("SETITEM");
            const uint32_t key = pop("SETITEM");
            const uint32_t dict = top("SETITEM");
            if (at(dict).kind != PickleKind::Dict) fail("SETITEM on " + std::string(kind_name(at(dict).kind)));
            at(dict).items.push_back(key);
            at(dict).items.push_back(value);
            break;
        }
        case 'u': {  // SETITEMS
            const std::vector<uint32_t> items = pop_mark("SETITEMS");
            if (items.size() % 2) fail("SETITEMS with an odd number of items");
            const uint32_t dict = top("SETITEMS");
            if (at(dict).kind != PickleKind::Dict) fail("SETITEMS on " + std::string(kind_name(at(dict).kind)));
            at(dict).items.insert(at(dict).items.end(), items.begin(), items.end());
            break;
        }
        case 'q': memo_put(u8()); break;                    // BINPUT
        case 'r': memo_put(little<uint32_t>()); break;      // LONG_BINPUT
        case 0x94: memo_put(m_memo.size()); break;          // MEMOIZE
        case 'h': memo_get(u8()); break;                    // BINGET
        case 'j': memo_get(little<uint32_t>()); break;      // LONG_BINGET
        case 'c': {                                         // GLOBAL
            std::string module = line();
            std::string name = line();
            push_global(module, name);
            break;
        }
        case 0x93: {  // STACK_GLOBAL
            const uint32_t name = pop("STACK_GLOBAL");
            const uint32_t module = pop("STACK_GLOBAL");
            if (at(module).kind != PickleKind::String || at(name).kind != PickleKind::String)
                fail("STACK_GLOBAL without two strings");
            push_global(at(module).text, at(name).text);
            break;
        }
        case 'R': {  // REDUCE: only the allowed globals above can be "called", and only as data
            const uint32_t args = pop("REDUCE");
            const uint32_t func = pop("REDUCE");
            if (at(args).kind != PickleKind::Tuple) fail("REDUCE whose arguments are not a tuple");
            push(call(func, at(args).items));
            break;
        }
        case 0x81: {  // NEWOBJ: cls.__new__(cls, *args); only OrderedDict qualifies
            const uint32_t args = pop("NEWOBJ");
            const uint32_t cls = pop("NEWOBJ");
            if (at(cls).kind != PickleKind::Global || at(cls).integer != kOrderedDict || at(args).kind != PickleKind::Tuple)
                fail("NEWOBJ of something other than an OrderedDict");
            push(make(PickleKind::Dict));
            break;
        }
        case 'b': {  // BUILD: state_dict OrderedDicts carry _metadata as attributes; kept as data
            const uint32_t state = pop("BUILD");
            const uint32_t inst = top("BUILD");
            if (at(inst).kind != PickleKind::Dict) fail("BUILD on " + std::string(kind_name(at(inst).kind)));
            m_out.m_values[inst].attributes = state;
            break;
        }
        case 'Q': push(persistent_load(pop("BINPERSID"))); break;
        case 'i':
        case 'o':
        case 0x82:
        case 0x83:
        case 0x84:
        case 0x92:
            throw UnsafeFileError(m_name + ": refused to load: the pickle builds Python objects (opcode 0x" +
                                  hex(op) + "), which loading would run; nothing was executed. " + kStateDictAdvice);
        default:
            fail("unsupported pickle opcode 0x" + hex(op));
        }
    }

    static std::string hex(uint8_t op) {
        const char* digits = "0123456789abcdef";
        return {digits[op >> 4], digits[op & 15]};
    }

    const uint8_t* m_data;
    size_t m_size;
    size_t m_pos = 0;
    size_t m_op_pos = 0;
    const std::string& m_name;
    Pickle m_out;
    std::vector<uint32_t> m_stack;
    std::vector<size_t> m_marks;
    std::unordered_map<uint32_t, uint32_t> m_memo;
    std::unordered_set<uint32_t> m_untyped_storages;  // indices into m_out.m_storages
    size_t m_pushes = 0;
};

Pickle unpickle(const uint8_t* data, size_t size, const std::string& name_for_messages) {
    return Unpickler(data, size, name_for_messages).run();
}

std::string describe(const Pickle& pickle, const Pickle::Value& value) {
    switch (value.kind) {
    case PickleKind::Int: return "the int " + std::to_string(value.integer);
    case PickleKind::Bool: return value.integer ? "True" : "False";
    case PickleKind::String: return "a string";
    case PickleKind::Global: return "the global " + value.text;
    case PickleKind::Tensor: {
        const PickledTensor& t = pickle.tensors()[static_cast<size_t>(value.integer)];
        return "a tensor of shape " + shape_to_string(t.size);
    }
    default: return kind_name(value.kind);
    }
}

}  // namespace nnstudio::io
