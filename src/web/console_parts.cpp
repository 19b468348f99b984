#include "web/console_parts.hpp"

namespace vg::web {

// One line per part, each declared in its own header.
const std::vector<ConsolePart>& console_parts() {
    static const std::vector<ConsolePart> parts = {};
    return parts;
}

}  // namespace vg::web
