#include "web/console_parts.hpp"

#include "web/console_admin.hpp"
#include "web/console_agenda.hpp"
#include "web/console_appointment.hpp"
#include "web/console_availability.hpp"
#include "web/console_partner_caf.hpp"
#include "web/console_partners.hpp"
#include "web/console_stats.hpp"
#include "web/console_supervision.hpp"
#include "web/partner_booking.hpp"
#include "web/partner_pages.hpp"
#include "web/partner_public.hpp"
#include "web/public_figures.hpp"
#include "web/room_pages.hpp"

namespace vg::web {

// One line per part, each declared in its own header.
const std::vector<ConsolePart>& console_parts() {
    static const std::vector<ConsolePart> parts = {
        register_agenda_routes,          register_appointment_routes, register_availability_routes,
        register_supervision_routes,     register_admin_routes,       register_room_console_routes,
        register_stats_routes,
        register_public_figures_routes,   // issue 14: /console/admin/figures, /{org}/chiffres
        register_partners_admin_routes,   // issue 15: /console/admin/partners
        register_partner_routes,          // issue 15: /partner/ (the partner's own screens)
        register_partner_public_routes,   // issue 15: /{org}/points-numeriques
        register_partner_caf_routes,      // issue 15: /console/partners (the CAF's overview)
        register_partner_booking_routes,  // issue 15: /partner/bookings (on a citizen's behalf)
    };
    return parts;
}

}  // namespace vg::web
