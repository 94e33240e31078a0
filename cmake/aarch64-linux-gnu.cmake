# Cross-compiling for AArch64 Linux with Debian's gcc-aarch64-linux-gnu; binaries run under
# qemu-user (qemu-aarch64 -L /usr/aarch64-linux-gnu), which CMake uses for add_test commands.
#   cmake -S tests/arm/cross -B build-arm64 -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
find_program(TFLC_QEMU_AARCH64 NAMES qemu-aarch64 qemu-aarch64-static)
if(TFLC_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR ${TFLC_QEMU_AARCH64} -L /usr/aarch64-linux-gnu)
endif()
