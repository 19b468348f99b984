// Shared by the libFuzzer harnesses (tests/fuzz/*.cpp, built with -DVG_FUZZ=ON and clang).
// Each harness feeds arbitrary bytes to one parser of ours and checks properties that must
// hold for every input; a broken property aborts, and libFuzzer keeps the input as a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace vg::fuzz {

inline std::string text(const std::uint8_t* data, std::size_t size) {
    return std::string(reinterpret_cast<const char*>(data), size);
}

// Like assert, but also in release builds, and saying which property broke.
inline void check(bool ok, const char* property) {
    if (!ok) {
        std::fprintf(stderr, "property broken: %s\n", property);
        std::abort();
    }
}

}  // namespace vg::fuzz
