#include "web/console_parts.hpp"

#include "web/console_admin.hpp"

namespace vg::web {

// One line per part, each declared in its own header.
const std::vector<ConsolePart>& console_parts() {
    static const std::vector<ConsolePart> parts = {
        register_admin_routes,
    };
    return parts;
}

}  // namespace vg::web
