// ZipReader/ZipWriter: libzip over memory buffers, with every size checked before allocating.
#include "io/zip_archive.h"

#include "error.h"
#include "util/atomic_file.h"

#include <ctime>
#include <zip.h>

namespace nnstudio::io {
namespace {

// Deflate cannot expand data more than ~1032:1, so a compressed entry that claims more is lying
// and would only make us allocate memory for nothing.
constexpr uint64_t kMaxDeflateRatio = 1100;

std::string libzip_reason(zip_error_t* error) {
    const char* text = zip_error_strerror(error);
    return text ? text : "unknown libzip error";
}

// DOS timestamps start in 1980; a fixed time makes saving the same tensors give the same bytes.
time_t fixed_entry_time() {
    std::tm tm{};
    tm.tm_year = 80;
    tm.tm_mon = 0;
    tm.tm_mday = 1;
    tm.tm_hour = 12;
    tm.tm_isdst = -1;
    return std::mktime(&tm);
}

}  // namespace

struct ZipReader::Impl {
    zip_t* archive = nullptr;
    ~Impl() {
        if (archive) zip_discard(archive);
    }
};

ZipReader::ZipReader(const std::vector<uint8_t>& bytes, std::string name_for_messages)
    : m_impl(std::make_unique<Impl>()), m_name(std::move(name_for_messages)), m_archive_size(bytes.size()) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes.empty() ? nullptr : bytes.data(), bytes.size(), 0, &error);
    if (!source) {
        const std::string reason = libzip_reason(&error);
        zip_error_fini(&error);
        throw FileFormatError(m_name + ": cannot read the zip archive: " + reason);
    }
    // ZIP_CHECKCONS compares local and central headers, which catches most cut or spliced files.
    m_impl->archive = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (!m_impl->archive) {
        zip_source_free(source);
        const std::string reason = libzip_reason(&error);
        zip_error_fini(&error);
        throw FileFormatError(m_name + ": not a complete zip archive (truncated or corrupt? libzip: " + reason +
                              "): re-save it with torch.save");
    }
    zip_error_fini(&error);
    const zip_int64_t count = zip_get_num_entries(m_impl->archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        const char* name = zip_get_name(m_impl->archive, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
        if (!name)
            throw FileFormatError(m_name + ": zip entry " + std::to_string(i) +
                                  " has an unreadable name (corrupt archive?): re-save it with torch.save");
        m_names.emplace_back(name);
    }
}

ZipReader::~ZipReader() = default;

bool ZipReader::contains(const std::string& entry) const {
    return zip_name_locate(m_impl->archive, entry.c_str(), ZIP_FL_ENC_RAW) >= 0;
}

std::vector<uint8_t> ZipReader::read(const std::string& entry, uint64_t max_size) const {
    zip_t* za = m_impl->archive;
    const zip_int64_t index = zip_name_locate(za, entry.c_str(), ZIP_FL_ENC_RAW);
    if (index < 0) throw FileFormatError(m_name + ": the zip archive has no entry '" + entry + "'");
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(za, static_cast<zip_uint64_t>(index), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) ||
        !(st.valid & ZIP_STAT_COMP_SIZE) || !(st.valid & ZIP_STAT_COMP_METHOD))
        throw FileFormatError(m_name + ": cannot read the header of zip entry '" + entry + "' (corrupt archive?)");
    const std::string where = m_name + ": zip entry '" + entry + "'";
    if (st.size > max_size)
        throw FileFormatError(where + " is " + std::to_string(st.size) + " bytes, more than the " +
                              std::to_string(max_size) + " allowed for it (corrupt or not a PyTorch file?)");
    if (st.comp_size > m_archive_size ||
        (st.comp_method == ZIP_CM_STORE ? st.size != st.comp_size
                                        : st.size > st.comp_size * kMaxDeflateRatio + 4096))
        throw FileFormatError(where + " claims " + std::to_string(st.size) + " bytes from " +
                              std::to_string(st.comp_size) +
                              " stored ones, which cannot be (truncated or corrupt archive?): re-save it with torch.save");

    zip_file_t* file = zip_fopen_index(za, static_cast<zip_uint64_t>(index), 0);
    if (!file)
        throw FileFormatError(where + " cannot be opened: " + zip_strerror(za) +
                              " (encrypted or unsupported compression?): re-save it with torch.save");
    std::vector<uint8_t> data(static_cast<size_t>(st.size));
    uint64_t filled = 0;
    std::string problem;
    while (problem.empty()) {
        // Read one byte past the declared size to notice data that is longer than its header says.
        uint8_t extra;
        const bool at_end = filled == data.size();
        const zip_int64_t n =
            at_end ? zip_fread(file, &extra, 1) : zip_fread(file, data.data() + filled, data.size() - filled);
        if (n < 0) problem = zip_file_strerror(file);
        else if (n == 0) break;
        else if (at_end) problem = "more data than its header declares";
        else filled += static_cast<uint64_t>(n);
    }
    zip_fclose(file);
    if (problem.empty() && filled != data.size()) problem = "less data than its header declares";
    if (!problem.empty())
        throw FileFormatError(where + " is damaged (" + problem + "): re-save it with torch.save");
    return data;
}

void ZipWriter::add(std::string entry, std::vector<uint8_t> bytes) {
    m_entries.emplace_back(std::move(entry), std::move(bytes));
}

void ZipWriter::add(std::string entry, const std::string& text) {
    add(std::move(entry), std::vector<uint8_t>(text.begin(), text.end()));
}

std::vector<uint8_t> ZipWriter::to_bytes() const {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* out = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (!out) {
        const std::string reason = libzip_reason(&error);
        zip_error_fini(&error);
        throw Error("cannot create a zip archive in memory: " + reason);
    }
    zip_t* za = zip_open_from_source(out, ZIP_TRUNCATE, &error);
    if (!za) {
        zip_source_free(out);
        const std::string reason = libzip_reason(&error);
        zip_error_fini(&error);
        throw Error("cannot create a zip archive in memory: " + reason);
    }
    zip_error_fini(&error);
    zip_source_keep(out);  // zip_close would free it; we still need to read the archive from it

    auto give_up = [&](const std::string& what) {
        const std::string reason = zip_strerror(za);
        zip_discard(za);
        zip_source_free(out);
        throw Error("cannot create a zip archive in memory: " + what + ": " + reason);
    };
    const time_t mtime = fixed_entry_time();
    for (const auto& [name, bytes] : m_entries) {
        zip_source_t* src = zip_source_buffer(za, bytes.empty() ? nullptr : bytes.data(), bytes.size(), 0);
        if (!src) give_up("entry '" + name + "'");
        const zip_int64_t index = zip_file_add(za, name.c_str(), src, ZIP_FL_ENC_UTF_8);
        if (index < 0) {
            zip_source_free(src);
            give_up("entry '" + name + "'");
        }
        const auto i = static_cast<zip_uint64_t>(index);
        // Stored like torch.save: PyTorch can then read (or mmap) the data in place.
        if (zip_set_file_compression(za, i, ZIP_CM_STORE, 0) != 0 || zip_file_set_mtime(za, i, mtime, 0) != 0)
            give_up("entry '" + name + "'");
    }
    if (zip_close(za) != 0) give_up("writing the archive");

    std::vector<uint8_t> result;
    if (zip_source_open(out) != 0) {
        zip_source_free(out);
        throw Error("cannot read back the zip archive written in memory");
    }
    zip_source_seek(out, 0, SEEK_END);
    const zip_int64_t size = zip_source_tell(out);
    zip_source_seek(out, 0, SEEK_SET);
    if (size > 0) {
        result.resize(static_cast<size_t>(size));
        if (zip_source_read(out, result.data(), result.size()) != size) {
            zip_source_close(out);
            zip_source_free(out);
            throw Error("cannot read back the zip archive written in memory");
        }
    }
    zip_source_close(out);
    zip_source_free(out);
    return result;
}

void ZipWriter::write(const std::string& path) const { write_file_atomically(path, to_bytes()); }

}  // namespace nnstudio::io
