// DataError: a data set that cannot be found, read or used (message names the file/line/column,
// says what is wrong and what to do).
#pragma once
#include "error.h"

namespace nnstudio::data {

class DataError : public Error {
public:
    using Error::Error;
};

}  // namespace nnstudio::data
