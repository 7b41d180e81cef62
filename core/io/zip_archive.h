// Zip archives over libzip: a bounded reader of entries by name (from bytes in memory) and a
// writer of stored (uncompressed) archives, the layout PyTorch uses for .pth files.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace nnstudio::io {

// Reads a zip archive held in memory. The bytes must outlive the reader. Every problem
// (truncated archive, CRC mismatch, oversized entry) is a FileFormatError that starts with
// `name_for_messages`.
class ZipReader {
public:
    ZipReader(const std::vector<uint8_t>& bytes, std::string name_for_messages);
    ~ZipReader();
    ZipReader(const ZipReader&) = delete;
    ZipReader& operator=(const ZipReader&) = delete;

    const std::vector<std::string>& entry_names() const { return m_names; }  // in archive order
    bool contains(const std::string& entry) const;
    // The uncompressed bytes of `entry`; throws if it is missing, larger than `max_size`, or
    // its data does not match its header (size, CRC).
    std::vector<uint8_t> read(const std::string& entry, uint64_t max_size) const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::vector<std::string> m_names;
    std::string m_name;
    uint64_t m_archive_size = 0;
};

// Collects entries and lays them out as one stored zip archive, in the order they were added.
class ZipWriter {
public:
    void add(std::string entry, std::vector<uint8_t> bytes);
    void add(std::string entry, const std::string& text);
    std::vector<uint8_t> to_bytes() const;    // the whole archive in memory
    void write(const std::string& path) const;  // to_bytes(), then write_file_atomically

private:
    std::vector<std::pair<std::string, std::vector<uint8_t>>> m_entries;
};

}  // namespace nnstudio::io
