// Writes the data.pkl of a .pth file: pickle protocol 2, opcode for opcode what torch.save emits
// (collections.OrderedDict + torch._utils._rebuild_tensor_v2 + persistent storage ids).
#pragma once
#include "tensor/typed_tensor.h"

#include <cstdint>
#include <vector>

namespace nnstudio::io {

// Tensor i of `tensors` is pickled with storage key "i", i.e. its bytes belong in data/<i>.
// With `single_tensor` the pickle is the first tensor alone (torch.save(tensor)); otherwise an
// OrderedDict of all of them in order (torch.save(model.state_dict())).
std::vector<uint8_t> pickle_state_dict(const StateDict& tensors, bool single_tensor);

}  // namespace nnstudio::io
