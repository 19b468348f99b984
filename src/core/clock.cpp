#include "core/clock.hpp"

#include <chrono>

namespace vg::core {

Instant SystemClock::now() const {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const Clock& system_clock() {
    static const SystemClock clock;
    return clock;
}

}  // namespace vg::core
