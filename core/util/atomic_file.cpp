// write_file_atomically: temporary file + fsync + rename (POSIX), so saves never leave torn files.
#include "util/atomic_file.h"

#include "error.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace nnstudio {
namespace {

std::string os_reason(int err) { return std::strerror(err); }

[[noreturn]] void fail(const std::string& path, const std::string& what, int err) {
    throw Error("cannot save '" + path + "': " + what + ": " + os_reason(err) +
                " (check that the folder exists, is writable and the disk is not full)");
}

std::string folder_of(const std::string& path) {
    const size_t slash = path.find_last_of('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// A name no other writer (thread or process) picks: pid + counter + random bits. O_EXCL makes a
// collision an EEXIST that we retry rather than two writers sharing one temporary.
std::string temporary_name(const std::string& path) {
    static std::atomic<uint64_t> counter{0};
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    const size_t slash = path.find_last_of('/');
    const std::string folder = slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
    const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
    return folder + "." + base + ".tmp-" + std::to_string(::getpid()) + "-" +
           std::to_string(counter.fetch_add(1)) + "-" + std::to_string(rng() & 0xffffffu);
}

// Closes the descriptor and removes the temporary unless the rename happened.
struct Temporary {
    std::string name;
    int fd = -1;
    bool renamed = false;
    ~Temporary() {
        if (fd >= 0) ::close(fd);
        if (!renamed && !name.empty()) ::unlink(name.c_str());
    }
};

void write_all(const std::string& path, int fd, const uint8_t* data, size_t size) {
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0) {
            if (errno == EINTR) continue;
            fail(path, "writing failed", errno);
        }
        data += n;
        size -= static_cast<size_t>(n);
    }
}

void write_atomically(const std::string& path, const uint8_t* data, size_t size) {
    if (path.empty()) throw Error("cannot save: no file name given");
    Temporary tmp;
    for (int attempt = 0; tmp.fd < 0; ++attempt) {
        tmp.name = temporary_name(path);
        // 0666 lets the umask decide the permissions, as a plain fopen() would.
        tmp.fd = ::open(tmp.name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (tmp.fd < 0 && (errno != EEXIST || attempt >= 16)) {
            const int err = errno;
            tmp.name.clear();  // nothing was created
            fail(path, "cannot create a temporary file in '" + folder_of(path) + "'", err);
        }
    }
    // Replacing a file must not change who may read it.
    struct stat existing {};
    if (::stat(path.c_str(), &existing) == 0 && S_ISREG(existing.st_mode))
        ::fchmod(tmp.fd, existing.st_mode & 07777);

    write_all(path, tmp.fd, data, size);
    // Without fsync the rename can reach the disk before the data, and a crash would leave an
    // empty file under the final name.
    if (::fsync(tmp.fd) != 0) fail(path, "flushing to disk failed", errno);
    const int fd = tmp.fd;
    tmp.fd = -1;
    if (::close(fd) != 0) fail(path, "closing failed", errno);
    if (::rename(tmp.name.c_str(), path.c_str()) != 0) fail(path, "replacing the file failed", errno);
    tmp.renamed = true;

    // Make the rename itself durable; failing here is not an error for the caller, the file is
    // already complete under its final name.
    const int dir = ::open(folder_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir >= 0) {
        ::fsync(dir);
        ::close(dir);
    }
}

}  // namespace

void write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes) {
    write_atomically(path, bytes.data(), bytes.size());
}

void write_file_atomically(const std::string& path, const std::string& bytes) {
    write_atomically(path, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

}  // namespace nnstudio
