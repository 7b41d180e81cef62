// Typed exceptions of the engine: every message says what is wrong and what to do about it.
#pragma once
#include <stdexcept>
#include <string>

namespace nnstudio {

// Base of every error the engine reports to a user.
class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// A model file or spec that does not validate (message names the JSON path).
class SpecError : public Error {
public:
    using Error::Error;
};

// Tensor shapes that do not fit together.
class ShapeError : public Error {
public:
    using Error::Error;
};

// A weights/tensor file that cannot be read or written.
class FileFormatError : public Error {
public:
    using Error::Error;
};

// A file that is refused on purpose (unsafe pickle, unsupported content).
class UnsafeFileError : public FileFormatError {
public:
    using FileFormatError::FileFormatError;
};

// Loading a state_dict into a model whose keys/shapes/dtypes do not match.
class StateDictMismatch : public Error {
public:
    using Error::Error;
};

// A numeric problem (NaN/Inf) found while computing.
class NumericError : public Error {
public:
    using Error::Error;
};

// A device that does not exist, is not built in, failed its self-check or ran out of memory.
class DeviceError : public Error {
public:
    using Error::Error;
};

}  // namespace nnstudio
