// What the statistics read (issue 14): one row per appointment and one per message, as the
// store gives them to src/stats, which does every computation (docs/STATISTICS.md).
#pragma once

#include <optional>
#include <string>

#include "store/model.hpp"

namespace vg::store {

// An appointment with what its history, outcome and survey say, read in one statement.
struct StatsAppointment {
    Id id = 0;
    Id motif_id = 0;
    Id site_id = 0;
    Id agent_id = 0;
    core::Channel channel = core::Channel::video;
    Instant starts_at = 0;
    Instant ends_at = 0;
    Instant created_at = 0;  // when it was booked
    AppointmentStatus status = AppointmentStatus::booked;
    std::string language = "fr";
    std::string origin = "citizen";  // appointments.booked_by: citizen | agent | partner | tutor
    std::string cancelled_by;        // "" | citizen | agency (the last 'cancelled' event)
    std::string cancel_reason;
    bool confirmed = false;       // the citizen confirmed their presence (event or status)
    bool moved_to_phone = false;  // an agent moved it to the phone (event moved_to_phone)
    int reschedules = 0;          // 'rescheduled' events
    // The outcome qualification (appointment_outcomes), "" when none was recorded.
    std::string resolved;
    std::string request_type;
    std::string theme;
    std::string autonomy;
    std::optional<int> rating;  // satisfaction_surveys, 1..5
    std::string comment;
    // Contact data: only an administrator's export that asks for it shows them.
    std::string first_name;
    std::string last_name;
    std::string email;
    std::string phone;
};

// A message of the outbox.
struct StatsMessage {
    Instant created_at = 0;
    std::string channel;          // email | sms
    std::string status;           // pending | sending | sent | dead | cancelled
    bool failed_attempt = false;  // at least one attempt failed (last_error not empty)
    int sms_segments = 0;         // an SMS's segments (migration 20)
};

// A read-only API key of an organisation (migration 18): only the hash of the key is kept.
struct ApiKey {
    Id id = 0;
    Id organisation_id = 0;
    std::string name;
    std::string key_hash;
    std::string scope = "stats:read";
    Instant created_at = 0;
    std::optional<Instant> revoked_at;
};

}  // namespace vg::store
