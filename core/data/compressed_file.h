// CompressedFile: sequential reads of a plain or gzip-compressed file through zlib (which passes
// plain files through unchanged), with errors that name the file.
#pragma once
#include <cstddef>
#include <string>

namespace nnstudio::data {

class CompressedFile {
public:
    explicit CompressedFile(const std::string& path);  // throws DataError when it cannot be opened
    ~CompressedFile();
    CompressedFile(const CompressedFile&) = delete;
    CompressedFile& operator=(const CompressedFile&) = delete;

    // Reads up to n bytes into dst; fewer only at the end of the data. Throws DataError on a
    // corrupt or truncated gzip stream.
    size_t read(void* dst, size_t n);
    std::string read_all();  // the rest of the (decompressed) file

    const std::string& path() const { return m_path; }

private:
    std::string m_path;
    void* m_file = nullptr;  // gzFile; kept opaque so zlib.h stays out of our headers
};

bool file_exists(const std::string& path);  // a regular file (or a link to one)

}  // namespace nnstudio::data
