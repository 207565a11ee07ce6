# Helpers that give every module the same shape: one static library per module
# (eseal::<name>), one test binary per module, the same warnings everywhere.

function(eseal_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
    -Wno-missing-field-initializers)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wshadow=local)
    # GCC 12 at -O3 reports -Wrestrict inside inlined std::string concatenation where there
    # is no overlap (GCC bug 105329); a warning, not an error, so Release builds build.
    if(CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
      target_compile_options(${target} PRIVATE -Wno-error=restrict)
    endif()
  endif()
  if(ESEAL_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

if(ESEAL_FUZZ)
  # Instrument every library for coverage feedback; the fuzz executables add the driver.
  # -fno-sanitize-recover=undefined: the first UBSan report aborts the run, so libFuzzer
  # writes a crash-<sha1> reproducer instead of printing a warning and going on.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

if(ESEAL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# eseal_module(<name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
function(eseal_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(eseal_${name} STATIC ${M_SOURCES})
  add_library(eseal::${name} ALIAS eseal_${name})
  target_include_directories(eseal_${name}
    PUBLIC ${PROJECT_SOURCE_DIR}/include
    PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_link_libraries(eseal_${name} PUBLIC ${M_DEPS} PRIVATE ${M_PRIVATE_DEPS})
  eseal_warnings(eseal_${name})
endfunction()

# eseal_test(<binary> SOURCES ... DEPS ...): a GoogleTest binary registered with CTest.
# Tests find data through ESEAL_SHARED_TESTDATA (../shared/testdata) and ESEAL_TESTDATA
# (the project's own testdata/), and may write under ESEAL_TEST_TMP.
function(eseal_test name)
  if(NOT ESEAL_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "TIMEOUT" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
  target_compile_definitions(${name} PRIVATE
    ESEAL_SHARED_TESTDATA="${ESEAL_SHARED_DIR}/testdata"
    ESEAL_TESTDATA="${PROJECT_SOURCE_DIR}/testdata"
    ESEAL_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    ESEAL_BINARY_DIR="${PROJECT_BINARY_DIR}")
  eseal_warnings(${name})
  add_test(NAME ${name} COMMAND ${name})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 900)
  endif()
  set_tests_properties(${name} PROPERTIES TIMEOUT ${T_TIMEOUT})
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()

# eseal_fuzzer(<name> SOURCES ... DEPS ...): a libFuzzer target when ESEAL_FUZZ is on;
# otherwise a replay binary that runs the target over its seed corpus (fuzz/corpus/<name>)
# so every normal build and test run exercises the fuzz entry points on known inputs.
function(eseal_fuzzer name)
  cmake_parse_arguments(F "" "" "SOURCES;DEPS" ${ARGN})
  if(ESEAL_FUZZ)
    add_executable(fuzz_${name} ${F_SOURCES})
    target_compile_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address,undefined
                                                -fno-sanitize-recover=undefined)
    target_link_options(fuzz_${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(fuzz_${name} PRIVATE ${F_DEPS})
  else()
    add_executable(fuzz_${name} ${F_SOURCES} ${PROJECT_SOURCE_DIR}/fuzz/replay_main.cc)
    target_link_libraries(fuzz_${name} PRIVATE ${F_DEPS})
    if(ESEAL_TESTS)
      add_test(NAME fuzz_replay_${name}
               COMMAND fuzz_${name} ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
      set_tests_properties(fuzz_replay_${name} PROPERTIES TIMEOUT 600)
    endif()
  endif()
  eseal_warnings(fuzz_${name})
endfunction()

# eseal_bench(<name> SOURCES ... DEPS ...): a Google Benchmark binary (bench_<name>), built
# with the normal build and run by hand (never by tests: speed is measured, not asserted).
function(eseal_bench name)
  if(NOT ESEAL_BENCH)
    return()
  endif()
  cmake_parse_arguments(B "" "" "SOURCES;DEPS" ${ARGN})
  find_package(benchmark REQUIRED)
  add_executable(bench_${name} ${B_SOURCES})
  target_link_libraries(bench_${name} PRIVATE ${B_DEPS} benchmark::benchmark_main)
  eseal_warnings(bench_${name})
endfunction()
