// The command line: `coopkb ingest|search|show|export|stats|...`.
//
//   int status = RunCli(argc, argv);   // 0 success, 1 user error, 2 internal error
//
// Every subcommand parses its own options (CLI11), opens the knowledge base,
// and writes results to standard output and one-line errors to standard error.
#pragma once

namespace coopkb {

int RunCli(int argc, char** argv);

}  // namespace coopkb
