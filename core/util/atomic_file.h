// Atomic file replacement: a reader sees either the old file or the complete new one, never a
// half-written file, even if the process dies or the disk fills up mid-write.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace nnstudio {

// Writes `bytes` to a temporary file in the folder of `path`, fsyncs it, then renames it over
// `path`. An existing file keeps its permissions. On failure the temporary is removed and an
// nnstudio::Error names the path and the OS reason; `path` is then left untouched.
void write_file_atomically(const std::string& path, const std::vector<uint8_t>& bytes);
void write_file_atomically(const std::string& path, const std::string& bytes);

}  // namespace nnstudio
