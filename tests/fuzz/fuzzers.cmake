# libFuzzer targets of tests/fuzz, added to the project without a hook in the
# top CMakeLists.txt: tests/fuzz/build.sh passes this file as
# CMAKE_PROJECT_INCLUDE, and the call below waits until the top directory is
# fully processed, when coopkb_core (built with -fsanitize=fuzzer-no-link)
# exists. One executable per tests/fuzz/fuzz_*.cc.
set(COOPKB_FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})

function(coopkb_add_fuzzers)
  file(GLOB fuzzers CONFIGURE_DEPENDS ${COOPKB_FUZZ_DIR}/fuzz_*.cc)
  foreach(src IN LISTS fuzzers)
    get_filename_component(name ${src} NAME_WE)
    add_executable(${name} ${src} ${COOPKB_FUZZ_DIR}/support.cc)
    target_link_libraries(${name} PRIVATE coopkb_core)
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
    set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  endforeach()
endfunction()

cmake_language(DEFER DIRECTORY ${CMAKE_SOURCE_DIR} CALL coopkb_add_fuzzers)
