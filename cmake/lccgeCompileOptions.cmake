# Warnings on and clean for our own targets; sanitizers when LCCGE_SANITIZE is set.
function(lccge_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  endif()
endfunction()

# Eigen allocates with its own aligned wrapper around malloc when __SANITIZE_ADDRESS__ is defined and with plain
# malloc otherwise (Eigen/src/Core/util/Memory.h). Ceres (Debian's libceres, built without the sanitizers) and our
# sanitized code would then each free what the other allocated the other way ("attempting free on address which was
# not malloc()-ed" in Ceres's sparse Cholesky). Both take plain malloc, which is 16-byte aligned under ASan as in glibc.
set(LCCGE_SANITIZER_EIGEN_MALLOC EIGEN_MALLOC_ALREADY_ALIGNED=1)

if(LCCGE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_compile_definitions(${LCCGE_SANITIZER_EIGEN_MALLOC})
  add_link_options(-fsanitize=address,undefined)
endif()

# Fuzzing (LCCGE_FUZZ): everything is compiled with libFuzzer's coverage instrumentation and the sanitizers, so that a
# bug in the library shows up in the fuzz targets that call it; the targets themselves link -fsanitize=fuzzer.
if(LCCGE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "LCCGE_FUZZ needs clang with libFuzzer: -DCMAKE_CXX_COMPILER=clang++-14 (Debian: clang-14, "
                        "libclang-rt-14-dev)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_compile_definitions(${LCCGE_SANITIZER_EIGEN_MALLOC})
  add_link_options(-fsanitize=address,undefined)
endif()
