# Warnings on and clean for our own targets; sanitizers when LCCGE_SANITIZE is set.
function(lccge_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
  endif()
endfunction()

if(LCCGE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
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
  add_link_options(-fsanitize=address,undefined)
endif()
