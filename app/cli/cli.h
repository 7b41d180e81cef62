// nnstudio-cli: the headless front end. run_cli() parses argv and dispatches to core.
#pragma once

namespace nnstudio::cli {

// Exit codes (README "The headless CLI"): 0 done; 1 bad input (a file, model or data set that
// cannot be used, one line on stderr); 2 a command line that does not parse (unknown option,
// missing value, bad number: one line plus a pointer to --help, argparse's convention); 3 an
// internal error (a bug).
inline constexpr int kExitBadInput = 1, kExitUsage = 2, kExitInternal = 3;

// Returns the process exit code; prints a one-line reason on stderr for bad input.
int run_cli(int argc, char** argv);

}  // namespace nnstudio::cli
