# Runs web/test/ui.test.mjs for CTest (web/CMakeLists.txt): checks the tools, installs the
# pinned npm packages when needed, then runs the browser test.
# Inputs: NODE, NPM, CHROMIUM, WEB_DIR, WEB_DIST (the served copy), ESEAL, OUT_DIR, SHARED_TESTDATA.
foreach(tool NODE NPM)
  if(NOT ${tool} OR NOT EXISTS "${${tool}}")
    string(TOLOWER ${tool} name)
    message(FATAL_ERROR "web_ui_test: ${name} is not installed (scripts/deps.sh installs nodejs and npm)")
  endif()
endforeach()
if(NOT EXISTS "${CHROMIUM}")
  message(FATAL_ERROR "web_ui_test: Chromium is not installed at ${CHROMIUM} (scripts/deps.sh installs Debian's chromium)")
endif()
if(NOT EXISTS "${ESEAL}")
  message(FATAL_ERROR "web_ui_test: ${ESEAL} is missing (build the 'eseal' target)")
endif()

set(stamp "${WEB_DIR}/node_modules/.package-lock.json")
if(NOT EXISTS "${WEB_DIR}/node_modules/playwright-core/package.json" OR NOT EXISTS "${stamp}"
   OR "${WEB_DIR}/package-lock.json" IS_NEWER_THAN "${stamp}")
  message(STATUS "web_ui_test: npm ci in ${WEB_DIR}")
  # playwright-core downloads no browser; the test uses Debian's Chromium.
  set(ENV{PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD} 1)
  execute_process(
    COMMAND "${NPM}" ci --prefer-offline --no-audit --no-fund --loglevel=error
    WORKING_DIRECTORY "${WEB_DIR}"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "web_ui_test: npm ci failed in ${WEB_DIR} (exit ${rc}); the npm registry must be reachable the first time")
  endif()
endif()

file(MAKE_DIRECTORY "${OUT_DIR}")
set(ENV{CHROMIUM} "${CHROMIUM}")
set(ENV{ESEAL_SHARED_TESTDATA} "${SHARED_TESTDATA}")
set(ENV{ESEAL_WEB_DIST} "${WEB_DIST}")
execute_process(
  COMMAND "${NODE}" "${WEB_DIR}/test/ui.test.mjs" "${ESEAL}" "${OUT_DIR}"
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "web_ui_test: the browser test failed (exit ${rc}); screenshots and server.log are in ${OUT_DIR}")
endif()
