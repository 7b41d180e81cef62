// apply_fix: edits the JSON document by pointer, then parses it back (all checks run again).
#include "teach/pitfall_fix.h"

#include "error.h"

namespace nnstudio::teach {
namespace {

using nlohmann::json;

// The children array holding `node` and the node's index in it.
std::pair<json*, size_t> array_slot(json& doc, const std::string& node_path) {
    const json::json_pointer ptr(node_path);
    const std::string last = ptr.back();
    json& parent = doc.at(ptr.parent_pointer());
    if (!parent.is_array() || last.empty() || last.find_first_not_of("0123456789") != std::string::npos)
        throw SpecError(node_path + " is not an element of a children array");
    const size_t index = std::stoul(last);
    if (index >= parent.size()) throw SpecError(node_path + " does not exist");
    return {&parent, index};
}

}  // namespace

void apply_fix(spec::ModelSpec& spec, const Finding& finding) {
    if (!finding.fix)
        throw SpecError("finding '" + finding.id + "' has no automatic fix: " + finding.fix_description);
    const SpecFix& fix = *finding.fix;
    json doc = spec::to_json(spec);
    try {
        switch (fix.kind) {
            case SpecFix::Kind::RemoveNode: {
                auto [parent, index] = array_slot(doc, fix.json_path);
                parent->erase(index);
                break;
            }
            case SpecFix::Kind::SwapWithNext: {
                auto [parent, index] = array_slot(doc, fix.json_path);
                if (index + 1 >= parent->size()) throw SpecError(fix.json_path + " has no next sibling");
                std::swap((*parent)[index], (*parent)[index + 1]);
                break;
            }
            case SpecFix::Kind::SetValue:
                doc[json::json_pointer(fix.json_path)] = fix.value;
                break;
        }
    } catch (const json::exception& e) {
        throw SpecError("cannot apply the fix of '" + finding.id + "' at " + fix.json_path + " (" + e.what() +
                        "): check the model again and apply a fresh finding");
    }
    spec = spec::parse_model_spec(doc);
}

}  // namespace nnstudio::teach
