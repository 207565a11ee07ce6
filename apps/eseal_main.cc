// The composition root of the `eseal` binary.
#include <iostream>
#include <string>
#include <vector>

#include "eseal/cli/cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv, argv + argc);
  return eseal::cli::Run(args, std::cout, std::cerr);
}
