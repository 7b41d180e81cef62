// nnstudio-cli: the headless front end. run_cli() parses argv and dispatches to core.
#pragma once

namespace nnstudio::cli {

// Returns the process exit code; prints a one-line reason on stderr for bad input.
int run_cli(int argc, char** argv);

}  // namespace nnstudio::cli
