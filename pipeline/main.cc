#include "pipeline/cli.h"

int main(int argc, char** argv) { return coopkb::RunCli(argc, argv); }
