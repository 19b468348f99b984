// Which messages a change of an appointment causes, written in the change's transaction
// (invariant 3). Keys make every message unique: a replayed change enqueues nothing twice.
#pragma once

#include <optional>
#include <string>

#include "store/store.hpp"

namespace date {
class time_zone;
}

namespace vg::app {

struct MessageContext {
    const store::Appointment& appointment;
    const store::Motif& motif;
    const date::time_zone* zone;  // the site's
    core::Instant now;
    std::string sealed_token;  // management token sealed for the sender ("" = none)
};

void plan_booked(store::Session& s, const MessageContext& c);
void plan_rescheduled(store::Session& s, const MessageContext& c, const store::Appointment& before);
void plan_cancelled(store::Session& s, const MessageContext& c, const std::string& by);
// The appointment changed in place (same time and agent; channel or place changed): the
// pending reminders are planned again and the citizen gets a message of this kind
// ("moved_to_phone"...), whose texts are messages.{subject,intro,intro_short}.<kind>.
void plan_changed(store::Session& s, const MessageContext& c, const std::string& kind);

// Availability and supervision (issue 12): another agent takes the appointment (the two
// agents are told; nothing changes for the citizen); the appointment changes channel
// (a site closed for the day: the citizen is told, reminders planned again).
void plan_reassigned(store::Session& s, const MessageContext& c, const store::Appointment& before);
void plan_channel_changed(store::Session& s, const MessageContext& c,
                          const store::Appointment& before);

// Hours after the end when the thank-you (with the survey link) goes out.
inline constexpr int kThankYouDelayMinutes = 120;

}  // namespace vg::app
