# The throwaway PostgreSQL server for tests, as a CTest fixture named `postgres`.
#
#   include(${PROJECT_SOURCE_DIR}/cmake/eseal_postgres.cmake)
#   eseal_require_postgres(<test> [<test> ...])
#
# The first call registers two tests, postgres_fixture_start and postgres_fixture_stop,
# which run scripts/pg-test-server.sh start|stop <build>/pgtest (FIXTURES_SETUP /
# FIXTURES_CLEANUP postgres). Each named test gets FIXTURES_REQUIRED postgres and the
# environment variable ESEAL_PG_URL_FILE=<build>/pgtest/url; in C++,
# eseal::store::PostgresTestServerUrl() reads it and CreatePostgresTestDatabase() makes a
# private database there (include/eseal/store/testing.h). `ctest -R <test>` starts and
# stops the server by itself. If ESEAL_PG_URL is set when ctest runs, the script uses that
# server instead of starting one. See docs/storage.md.
include_guard(GLOBAL)

set(ESEAL_PG_FIXTURE_DIR "${PROJECT_BINARY_DIR}/pgtest")

function(eseal_require_postgres)
  if(NOT ESEAL_TESTS)
    return()
  endif()
  # Computed here, not at include time: include_guard skips the file in later scopes.
  set(ESEAL_PG_FIXTURE_DIR "${PROJECT_BINARY_DIR}/pgtest")
  get_property(defined GLOBAL PROPERTY ESEAL_PG_FIXTURE_DEFINED)
  if(NOT defined)
    set_property(GLOBAL PROPERTY ESEAL_PG_FIXTURE_DEFINED TRUE)
    add_test(NAME postgres_fixture_start
      COMMAND ${PROJECT_SOURCE_DIR}/scripts/pg-test-server.sh start ${ESEAL_PG_FIXTURE_DIR})
    add_test(NAME postgres_fixture_stop
      COMMAND ${PROJECT_SOURCE_DIR}/scripts/pg-test-server.sh stop ${ESEAL_PG_FIXTURE_DIR})
    set_tests_properties(postgres_fixture_start PROPERTIES FIXTURES_SETUP postgres TIMEOUT 180)
    set_tests_properties(postgres_fixture_stop PROPERTIES FIXTURES_CLEANUP postgres TIMEOUT 120)
  endif()
  foreach(t ${ARGN})
    set_property(TEST ${t} APPEND PROPERTY FIXTURES_REQUIRED postgres)
    set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
      "ESEAL_PG_URL_FILE=${ESEAL_PG_FIXTURE_DIR}/url")
  endforeach()
endfunction()
