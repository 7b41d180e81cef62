// read_pth_zip / write_pth_zip: the zip layer of .pth files around the restricted unpickler and
// the protocol-2 pickle writer.
#include "io/pth_format.h"

#include "error.h"
#include "io/pickle_reader.h"
#include "io/pickle_writer.h"
#include "io/pickled_tensors.h"
#include "io/strided_copy.h"
#include "io/zip_archive.h"

#include <map>

namespace nnstudio::io {
namespace {

constexpr uint64_t kMaxSmallRecord = 64;  // version, byteorder

std::string trimmed(const std::vector<uint8_t>& bytes) {
    std::string s(bytes.begin(), bytes.end());
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

// The folder that holds data.pkl: torch.save names it after the file ("simple_net/data.pkl"),
// torch 2.x writing to a buffer uses "archive".
std::string find_folder(const ZipReader& zip, const std::string& name) {
    std::vector<std::string> folders;
    bool torchscript = false;
    for (const std::string& entry : zip.entry_names()) {
        const size_t slash = entry.find('/');
        if (slash == std::string::npos || slash == 0) continue;
        const std::string rest = entry.substr(slash + 1);
        if (rest == "data.pkl") folders.push_back(entry.substr(0, slash));
        if (rest == "constants.pkl" || rest.starts_with("code/")) torchscript = true;
    }
    if (torchscript)
        throw UnsafeFileError(name + ": this is a TorchScript archive (torch.jit.save), which holds code; NN Studio "
                              "only loads state_dicts: in PyTorch run torch.save(model.state_dict(), path)");
    if (folders.empty())
        throw FileFormatError(name + ": a zip archive without <folder>/data.pkl, so not a file written by "
                              "torch.save: save the weights with torch.save(model.state_dict(), path)");
    if (folders.size() > 1)
        throw FileFormatError(name + ": the zip archive holds " + std::to_string(folders.size()) +
                              " data.pkl files ('" + folders[0] + "', '" + folders[1] +
                              "'); a torch.save file has one: re-save it with torch.save");
    return folders.front();
}

}  // namespace

bool looks_like_zip(const std::vector<uint8_t>& bytes) {
    // Local file header, or the end-of-central-directory record of an empty archive.
    return bytes.size() >= 4 && bytes[0] == 'P' && bytes[1] == 'K' &&
           ((bytes[2] == 3 && bytes[3] == 4) || (bytes[2] == 5 && bytes[3] == 6));
}

TensorFile read_pth_zip(const std::vector<uint8_t>& bytes, const std::string& name, const ReadLimits& limits) {
    const ZipReader zip(bytes, name);
    const std::string folder = find_folder(zip, name);

    if (zip.contains(folder + "/byteorder")) {
        const std::string order = trimmed(zip.read(folder + "/byteorder", kMaxSmallRecord));
        if (order != "little")
            throw FileFormatError(name + ": stores its tensors in '" + order +
                                  "' byte order; NN Studio reads little-endian files: load and re-save it with "
                                  "torch.save on a little-endian (x86 or ARM) machine");
    }
    for (const std::string record : {"/version", "/.data/version"}) {
        if (!zip.contains(folder + record)) continue;
        const std::string version = trimmed(zip.read(folder + record, kMaxSmallRecord));
        if (version.empty() || version.size() > 4 || version.find_first_not_of("0123456789") != std::string::npos)
            throw FileFormatError(name + ": unreadable format version '" + version +
                                  "' (corrupt file?): re-save it with torch.save");
        break;
    }

    const std::vector<uint8_t> pkl = zip.read(folder + "/data.pkl", limits.max_pickle_bytes);
    const Pickle pickle = unpickle(pkl.data(), pkl.size(), name);

    // Each record is read once, however many tensors view it.
    std::map<std::string, std::vector<uint8_t>> records;
    const auto resolve = [&](const PickledStorage& s) -> StorageSpan {
        const std::string what = name + ": storage '" + s.key + "'";
        if (s.is_view) throw FileFormatError(what + " is a legacy storage view inside a zip file (corrupt file?)");
        auto it = records.find(s.key);
        if (it == records.end()) {
            const std::string record = folder + "/data/" + s.key;
            if (!zip.contains(record))
                throw FileFormatError(name + ": the pickle names storage '" + s.key + "' but there is no record " +
                                      record + " (truncated or corrupt?): re-save it with torch.save");
            it = records.emplace(s.key, zip.read(record, bytes.size() * 1100 + 4096)).first;
        }
        const uint64_t needed = contiguous_bytes({s.numel}, s.dtype, what);
        if (needed > it->second.size())
            throw FileFormatError(what + " should hold " + std::to_string(s.numel) + " " + dtype_name(s.dtype) +
                                  " elements (" + std::to_string(needed) + " bytes) but its record has " +
                                  std::to_string(it->second.size()) +
                                  " bytes (truncated or corrupt?): re-save it with torch.save");
        return {it->second.data(), static_cast<size_t>(needed)};
    };
    return tensors_from_pickle(pickle, resolve, limits, name);
}

std::vector<uint8_t> write_pth_zip(const TensorFile& file) {
    ZipWriter zip;
    zip.add("archive/data.pkl", pickle_state_dict(file.tensors, file.single_tensor));
    zip.add("archive/byteorder", std::string("little"));
    size_t index = 0;
    for (const auto& [key, tensor] : file.tensors) {
        zip.add("archive/data/" + std::to_string(index++), tensor.bytes);
        if (file.single_tensor) break;
    }
    zip.add("archive/version", std::string("3\n"));
    return zip.to_bytes();
}

}  // namespace nnstudio::io
