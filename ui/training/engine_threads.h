// The desktop app's share of the engine's threads: all cores but one, which stays with the GUI
// thread so the window keeps answering while a run or a teaching job computes.
#pragma once

namespace nnstudio::ui {

// Sets the engine's ThreadTeam to max(1, cores - 1). Called before every background computation.
void keepOneCoreForTheGui();

}  // namespace nnstudio::ui
