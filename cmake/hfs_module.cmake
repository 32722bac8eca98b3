# Build helpers shared by every module.
#
#   hfs_module(NAME base SRCS error.cc clock.cc DEPS fmt::fmt TESTS error_test.cc)
#
# makes the static library hfs_base (alias hfs::base) from SRCS, or an INTERFACE
# library when a module is headers only, and, when tests are enabled, one GoogleTest
# binary hfs_base_test from TESTS that ctest runs with the label "unit" (or LABEL).

function(hfs_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    target_compile_options(${target} PRIVATE -Wthread-safety)
  endif()
  # g++ 12 reports false maybe-uninitialized and restrict warnings inside std::variant and
  # std::string once it optimises; Debug builds (CI's) keep them on.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE
      $<$<NOT:$<CONFIG:Debug>>:-Wno-maybe-uninitialized -Wno-restrict>)
  endif()
  if(HFS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

function(hfs_module)
  cmake_parse_arguments(M "" "NAME;LABEL" "SRCS;DEPS;TESTS;TEST_DEPS" ${ARGN})
  if(M_SRCS)
    add_library(hfs_${M_NAME} STATIC ${M_SRCS})
    target_include_directories(hfs_${M_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(hfs_${M_NAME} PUBLIC ${M_DEPS})
    hfs_set_warnings(hfs_${M_NAME})
  else()
    add_library(hfs_${M_NAME} INTERFACE)
    target_include_directories(hfs_${M_NAME} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(hfs_${M_NAME} INTERFACE ${M_DEPS})
  endif()
  add_library(hfs::${M_NAME} ALIAS hfs_${M_NAME})
  if(M_TESTS AND HFS_BUILD_TESTS)
    hfs_test(NAME hfs_${M_NAME}_test SRCS ${M_TESTS}
             DEPS hfs::${M_NAME} ${M_TEST_DEPS} LABEL ${M_LABEL})
  endif()
endfunction()

# hfs_test(NAME x_test SRCS a_test.cc DEPS hfs::x [LABEL integration])
function(hfs_test)
  cmake_parse_arguments(T "" "NAME;LABEL" "SRCS;DEPS" ${ARGN})
  if(NOT T_LABEL)
    set(T_LABEL unit)
  endif()
  add_executable(${T_NAME} ${T_SRCS})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} hfs::testing GTest::gmock GTest::gtest_main)
  hfs_set_warnings(${T_NAME})
  gtest_discover_tests(${T_NAME} PROPERTIES LABELS ${T_LABEL}
                       WORKING_DIRECTORY ${PROJECT_SOURCE_DIR} DISCOVERY_TIMEOUT 30)
endfunction()
