// lccge-bench: `lccge bench` (app/cmd_bench.cc) built with the PETSc back ends (benchmark build only).
#include "commands.hpp"

int main(int argc, char** argv) { return lccge::app::RunBench(argc, argv); }
