// CSV text with round-trippable numbers (%.9g).
#include "teach/init_lab_csv.h"

#include <cstdio>

namespace nnstudio::teach {
namespace {

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

}  // namespace

std::string init_lab_csv(const InitLabResult& result) {
    std::string out = "scheme,layer,depth,kind,mean,std,saturated,zero_fraction,grad_mean,grad_std\n";
    for (const SchemeRun& run : result.runs) {
        for (const LayerStats& l : run.at_init.layers) {
            out += run.scheme.id + "," + l.path + "," + std::to_string(l.depth) + "," + l.type + "," +
                   number(l.activation.mean) + "," + number(l.activation.std) + "," +
                   (l.saturated ? number(*l.saturated) : "") + "," + number(l.zero_fraction) + "," +
                   (l.weight_grad ? number(l.weight_grad->mean) + "," + number(l.weight_grad->std) : ",") + "\n";
        }
    }
    return out;
}

}  // namespace nnstudio::teach
