# Embeds api/openapi.yaml into a C++ source (cmake -P script), so the binary serves the
# contract it was built with at /api/v1/openapi.yaml.
#   cmake -DINPUT=<openapi.yaml> -DOUTPUT=<file.cc> -P embed_openapi.cmake
file(READ "${INPUT}" yaml)
string(FIND "${yaml}" ")eseal_yaml\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter")
endif()
file(WRITE "${OUTPUT}.tmp" "// Generated from api/openapi.yaml by embed_openapi.cmake; do not edit.
#include \"api.h\"

namespace eseal::http {

std::string_view OpenApiYaml() {
  static constexpr std::string_view kYaml = R\"eseal_yaml(${yaml})eseal_yaml\";
  return kYaml;
}

}  // namespace eseal::http
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
