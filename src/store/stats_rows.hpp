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
    // Its video room, from the room's journal (room_events; docs/STATISTICS.md "Video").
    bool room_joined = false;                  // someone joined its room (a 'joined' event)
    std::optional<Instant> citizen_joined_at;  // the citizen's first 'joined'
    std::optional<Instant> admitted_at;        // the first 'admitted'
    std::optional<Instant> call_ended_at;      // the first 'ended', else the last 'left'
    int ice_restarts = 0;                      // 'ice_restart' events
    int connection_failures = 0;               // 'connection_failed' events
    bool audio_fallback = false;               // an 'audio_fallback' event
    bool room_to_phone = false;                // moved to the phone from the room
    bool connected = false;                    // a 'connected' event (a media path found)
    bool relayed = false;                      // a 'connected' event through the relay (TURN)
    std::string browser;  // the browser family of the citizen's first 'joined', "" unknown
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

// The days from `day` (the organisation's local day it was sampled) to the first free slot
// of a motif and channel (migration 24); nullopt: none within the motif's horizon.
struct FirstSlotSample {
    Id motif_id = 0;
    core::Channel channel = core::Channel::video;
    core::LocalDay day = 0;
    std::optional<int> days;
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
