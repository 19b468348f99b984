#include "app/room_rules.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <nlohmann/json.hpp>

#include "app/administration.hpp"
#include "app/booking_service.hpp"
#include "app/room_service.hpp"

namespace vg::app {

using store::AppointmentStatus;

Instant late_after(const store::Appointment& a, const store::Organisation& org) {
    return a.starts_at + no_show_delay(org);
}

namespace {
bool live(const store::Appointment& a) {
    return a.status == AppointmentStatus::booked || a.status == AppointmentStatus::confirmed;
}
}  // namespace

bool automatic_no_show_due(const store::Appointment& a, const store::Organisation& org,
                           bool citizen_joined, Instant now) {
    return live(a) && a.channel == core::Channel::video && !citizen_joined &&
           now >= late_after(a, org) && now < room_times(a, org).closes_at;
}

bool agent_late(const store::Appointment& a, Instant late_at, bool admitted, Instant now) {
    return live(a) && a.channel == core::Channel::video && !admitted && now >= late_at;
}

int BookingService::record_automatic_no_shows(const std::function<bool(Id)>& in_room) {
    const Instant now = clock_.now();
    // Look first (a read): most runs find nothing and write nothing.
    std::vector<std::pair<store::Organisation, std::vector<store::Appointment>>> found;
    store_.read([&](store::Session& s) {
        for (auto& o : s.organisations()) {
            auto list = s.video_appointments_without_citizen(o.id, now - kNoShowLookBack,
                                                             now - no_show_delay(o));
            if (!list.empty()) found.emplace_back(o, std::move(list));
        }
    });
    if (found.empty()) return 0;
    int done = 0;
    store_.write([&](store::Session& s) {
        for (auto& [o, list] : found) {
            // Read again under the write lock: an outcome recorded or a citizen who joined
            // meanwhile is not missed.
            for (auto& a : s.video_appointments_without_citizen(o.id, now - kNoShowLookBack,
                                                                now - no_show_delay(o))) {
                if (!automatic_no_show_due(a, o, false, now) || (in_room && in_room(a.id)))
                    continue;
                auto fresh = a;
                record_outcome_in(s, fresh, AppointmentStatus::no_show, kNoShowActor, now);
                ++done;
            }
        }
    });
    ++bookings_generation_;
    if (done > 0) queued();
    return done;
}

bool RoomService::note_agent_late(const store::Appointment& a) {
    bool done = false;
    store_.write([&](store::Session& s) {
        for (auto& e : s.room_events(a.organisation_id, a.id))
            if (e.kind == "agent_late") return;
        s.add_room_event({0, a.id, a.organisation_id, 0, "server", "", "agent_late", ""});
        const Instant now = clock_.now();
        nlohmann::json payload = {{"appointment_id", a.id}};
        for (auto& account : s.accounts(a.organisation_id)) {
            if (account.disabled_at || account.email.empty()) continue;
            for (auto& m : s.memberships(account.id)) {
                if (m.organisation_id != a.organisation_id || m.role != "supervisor") continue;
                payload["account_id"] = account.id;
                s.enqueue({a.organisation_id, a.id,
                           "agent_late:" + std::to_string(a.id) + ":" + std::to_string(account.id),
                           "staff_agent_late", "email", payload.dump(), now});
            }
        }
        done = true;
    });
    return done;
}

void RoomService::late_choice(const store::Appointment& a, const std::string& participant,
                              const std::string& choice) {
    store_.write([&](store::Session& s) {
        s.add_room_event({0, a.id, a.organisation_id, 0, "citizen", participant, "late_choice",
                          nlohmann::json({{"choice", choice}}).dump()});
        if (choice == "wait") return;
        auto kind = choice == "callback" ? "callback_requested" : "rebook_requested";
        s.add_event(a.id, kind, "citizen", "{}");
        s.add_audit({a.organisation_id, "citizen", std::string("appointment.") + kind,
                     "appointment", a.id, "{}"});
    });
}

}  // namespace vg::app
