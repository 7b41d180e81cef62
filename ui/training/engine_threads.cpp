// With every core computing (and the team's workers spinning between jobs), the GUI thread of a
// 2-core machine was blocked for up to 200 ms during a run; with one core left to it, under 100.
#include "training/engine_threads.h"

#include "util/thread_team.h"

#include <algorithm>

namespace nnstudio::ui {

void keepOneCoreForTheGui() {
    ThreadTeam& team = ThreadTeam::instance();
    team.set_threads(std::max(1, team.size() - 1));
}

}  // namespace nnstudio::ui
