// The route table and api/openapi.yaml describe the same routes: every (method, path) of
// the table is in the contract and every operation of the contract is in the table. The
// contract is read with a small line reader of its `paths:` section (paths at two spaces,
// methods at four), which is the layout the file keeps.
#include <gtest/gtest.h>

#include <set>
#include <sstream>

#include "api.h"
#include "eseal/base/file.h"

namespace eseal::http {
namespace {

using Op = std::pair<std::string, std::string>;  // method, path

std::set<Op> ContractOperations(const std::string& yaml) {
  std::set<Op> ops;
  std::istringstream in(yaml);
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    if (line[0] != ' ') {  // a top-level key
      in_paths = line == "paths:";
      continue;
    }
    if (!in_paths) continue;
    if (line.size() > 3 && line.compare(0, 3, "  /") == 0 && line.back() == ':') {
      path = line.substr(2, line.size() - 3);
      continue;
    }
    static const char* kMethods[] = {"get", "put", "post", "delete", "patch", "head", "options"};
    for (const char* m : kMethods) {
      if (line == std::string("    ") + m + ":") {
        std::string upper(m);
        for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        EXPECT_FALSE(path.empty()) << line;
        EXPECT_TRUE(ops.insert({upper, path}).second) << "twice: " << upper << " " << path;
      }
    }
  }
  return ops;
}

std::string ReadContract() {
  auto text = ReadTextFile(std::string(ESEAL_SOURCE_DIR) + "/api/openapi.yaml");
  EXPECT_TRUE(text.ok()) << text.status().ToString();
  return text.ok() ? *text : "";
}

TEST(OpenApiTest, RouteTableAndContractAgree) {
  std::set<Op> contract = ContractOperations(ReadContract());
  ASSERT_GT(contract.size(), 50u);
  std::set<Op> table;
  for (const Route& r : RouteTable()) {
    EXPECT_TRUE(table.insert({std::string(r.method), std::string(r.pattern)}).second)
        << "the table has " << r.method << " " << r.pattern << " twice";
  }
  for (const Op& op : table) {
    EXPECT_TRUE(contract.count(op)) << "route " << op.first << " " << op.second << " is not in api/openapi.yaml";
  }
  for (const Op& op : contract) {
    EXPECT_TRUE(table.count(op)) << "api/openapi.yaml has " << op.first << " " << op.second
                                 << ", which the route table lacks";
  }
}

TEST(OpenApiTest, EmbeddedContractIsTheFile) { EXPECT_EQ(OpenApiYaml(), ReadContract()); }

TEST(OpenApiTest, ReaderSeesWhatItShould) {
  std::set<Op> ops = ContractOperations(
      "openapi: 3.0.3\npaths:\n  /a/{id}:\n    get:\n      summary: x\n    post:\n      responses: {}\n"
      "  /b:\n    parameters: []\n    put:\n      x: 1\ncomponents:\n  /c:\n    get:\n");
  EXPECT_EQ(ops, (std::set<Op>{{"GET", "/a/{id}"}, {"POST", "/a/{id}"}, {"PUT", "/b"}}));
}

TEST(OpenApiTest, RoutesAreWellFormed) {
  for (const Route& r : RouteTable()) {
    EXPECT_TRUE(r.method == "GET" || r.method == "POST" || r.method == "PUT") << r.pattern;
    EXPECT_EQ(r.pattern[0], '/') << r.pattern;
    EXPECT_NE(r.handler, nullptr) << r.pattern;
    if (r.method == "GET") {
      EXPECT_EQ(r.accepts, kNoBody) << r.pattern;
    } else {
      EXPECT_NE(r.accepts, kNoBody) << r.pattern;
    }
  }
}

}  // namespace
}  // namespace eseal::http
