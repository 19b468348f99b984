#include "web/console_parts.hpp"

#include "web/console_agenda.hpp"
#include "web/console_appointment.hpp"

namespace vg::web {

// One line per part, each declared in its own header.
const std::vector<ConsolePart>& console_parts() {
    static const std::vector<ConsolePart> parts = {
        register_agenda_routes,
        register_appointment_routes,
    };
    return parts;
}

}  // namespace vg::web
