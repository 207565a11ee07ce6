# Embeds src/store/migrations/<backend>/NNNN_name.sql into a C++ source (cmake -P script).
#   cmake -DMIGRATIONS_DIR=<dir> -DOUTPUT=<file.cc> -P embed_migrations.cmake
# Versions must run 1, 2, 3, ... without gaps in each backend folder.

function(embed_backend backend var)
  file(GLOB files "${MIGRATIONS_DIR}/${backend}/*.sql")
  list(SORT files)
  if(NOT files)
    message(FATAL_ERROR "no migrations in ${MIGRATIONS_DIR}/${backend}")
  endif()
  set(out "")
  set(expected 1)
  foreach(f ${files})
    get_filename_component(base "${f}" NAME)
    if(NOT base MATCHES "^([0-9][0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
      message(FATAL_ERROR "migration ${backend}/${base} is not named NNNN_name.sql")
    endif()
    set(num "${CMAKE_MATCH_1}")
    set(name "${CMAKE_MATCH_2}")
    math(EXPR version "${num}")
    if(NOT version EQUAL expected)
      message(FATAL_ERROR "migration ${backend}/${base}: expected version ${expected}")
    endif()
    math(EXPR expected "${expected} + 1")
    file(READ "${f}" sql)
    string(FIND "${sql}" ")eseal_sql\"" clash)
    if(NOT clash EQUAL -1)
      message(FATAL_ERROR "migration ${backend}/${base} contains the raw-string delimiter")
    endif()
    string(APPEND out "    {${version}, \"${name}\", R\"eseal_sql(${sql})eseal_sql\"},\n")
  endforeach()
  set(${var} "${out}" PARENT_SCOPE)
endfunction()

embed_backend(sqlite sqlite_list)
embed_backend(postgresql pg_list)

set(content "// Generated from src/store/migrations by embed_migrations.cmake; do not edit.
#include \"migrate.h\"

namespace eseal::store::internal {
namespace {

constexpr Migration kSqliteMigrations[] = {
${sqlite_list}};

constexpr Migration kPostgresMigrations[] = {
${pg_list}};

}  // namespace

std::span<const Migration> EmbeddedMigrations(Dialect dialect) {
  if (dialect == Dialect::kSqlite) return kSqliteMigrations;
  return kPostgresMigrations;
}

}  // namespace eseal::store::internal
")

file(WRITE "${OUTPUT}" "${content}")
