// CompressedFile implementation over zlib's gzopen/gzread.
#include "data/compressed_file.h"

#include "data/data_error.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

namespace nnstudio::data {

namespace {
gzFile handle(void* f) { return static_cast<gzFile>(f); }
}  // namespace

bool file_exists(const std::string& path) {
    std::error_code ec;
    return std::filesystem::is_regular_file(path, ec);
}

CompressedFile::CompressedFile(const std::string& path) : m_path(path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw DataError(path + ": is a directory, expected a data file");
    errno = 0;
    gzFile f = gzopen(path.c_str(), "rb");
    if (!f)
        throw DataError("cannot open " + path + ": " +
                        (errno ? std::string(std::strerror(errno)) : std::string("out of memory")));
    gzbuffer(f, 1 << 18);  // larger reads than zlib's 8 KiB default: ~2x faster on Fashion-MNIST
    m_file = f;
}

CompressedFile::~CompressedFile() {
    if (m_file) gzclose(handle(m_file));
}

size_t CompressedFile::read(void* dst, size_t n) {
    size_t done = 0;
    auto* out = static_cast<unsigned char*>(dst);
    while (done < n) {
        const unsigned chunk = static_cast<unsigned>(std::min<size_t>(n - done, INT_MAX / 2));
        const int got = gzread(handle(m_file), out + done, chunk);
        if (got < 0) {
            int code = 0;
            const char* msg = gzerror(handle(m_file), &code);
            throw DataError(m_path + ": cannot read: " + (msg ? msg : "unknown zlib error") +
                            (code == Z_DATA_ERROR ? " (the gzip data is corrupt; download the file again)" : ""));
        }
        if (got == 0) break;
        done += static_cast<size_t>(got);
    }
    if (done < n) {
        // A gzip stream cut short reads as end of data; zlib reports it as Z_BUF_ERROR.
        int code = 0;
        const char* msg = gzerror(handle(m_file), &code);
        if (code != Z_OK && code != Z_STREAM_END)
            throw DataError(m_path + ": cannot read: " + (msg ? msg : "unknown zlib error") +
                            " (the file is truncated or corrupt; download it again)");
    }
    return done;
}

std::string CompressedFile::read_all() {
    std::string text;
    char buf[1 << 16];
    for (;;) {
        const size_t got = read(buf, sizeof buf);
        text.append(buf, got);
        if (got < sizeof buf) break;
    }
    return text;
}

}  // namespace nnstudio::data
