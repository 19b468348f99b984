// The video room's rules (issue 13; docs/VIDEO.md): which appointment a room token, an
// invitation or an agent opens, when the room is open, the third participants' links, the
// room's journal and the participants' resume secrets. The WebSocket hub (src/video) and
// the room pages use it; it never sees HTTP.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/store.hpp"

namespace vg::app {

using core::Id;
using core::Instant;

// Registers the room token of a new management token (store::room_token_for), in the
// transaction that creates the management token: every management link leads to its room.
void add_room_token(store::Session& s, Id appointment_id, const std::string& management_token);

enum class RoomWindow { not_yet, open, over };
const char* to_string(RoomWindow w);

// When a room opens (room_opens_minutes before the start) and closes (room_margin_minutes
// after the end).
struct RoomTimes {
    Instant opens_at = 0;
    Instant closes_at = 0;
};
RoomTimes room_times(const store::Appointment& a, const store::Organisation& org);
// open: a video appointment, live or held (the outcome may be recorded during the call),
// within its times; over: after them, or cancelled, recorded absent, or no longer by video
// (moved to the phone); not_yet: before.
RoomWindow room_window(const store::Appointment& a, const store::Organisation& org, Instant now);

struct Room {
    store::Appointment appointment;
    store::Organisation organisation;
    RoomTimes times;
    RoomWindow window = RoomWindow::over;
};

struct RoomInvitationLink {
    Id id = 0;
    std::string token;  // only known at creation: the link is /room/invite/<token>
};

enum class RoomRole { citizen, agent, guest };
const char* to_string(RoomRole r);

// A participant as the hub knows it after hello.
struct RoomEntry {
    store::RoomParticipant participant;
    std::string resume;  // the resume secret, only known when created (empty on a resume)
    bool resumed = false;
};

class RoomService {
  public:
    RoomService(store::Store& store, const core::Clock& clock);

    // The room of a room token (nullopt: unknown; the window says whether it is open).
    std::optional<Room> by_token(const std::string& room_token);
    // The room of an appointment of this organisation (another organisation's: nullopt).
    std::optional<Room> by_appointment(Id organisation_id, Id appointment_id);
    struct Invited {
        Room room;
        store::RoomInvitation invitation;
    };
    // The room of an invitation link, revoked or used or not (the caller decides).
    std::optional<Invited> by_invitation(const std::string& invite_token);
    // True when the account is the agent who holds the appointment: an agent membership in
    // the appointment's organisation naming the appointment's agent. Supervisors and
    // administrators join by invitation.
    bool holds(Id account_id, const store::Appointment& a);

    // A single-use link for a third participant of a video appointment of the organisation
    // whose room is not over; nullopt otherwise. Journalled.
    std::optional<RoomInvitationLink> invite(Id organisation_id, Id appointment_id,
                                             const std::string& actor);
    // False when no live invitation of that appointment has this id. Journalled; then the
    // listener set by on_revoked (the hub: it disconnects that guest at once) is called.
    bool revoke(Id organisation_id, Id appointment_id, Id invitation_id, const std::string& actor);
    // Set once, before serving.
    void on_revoked(std::function<void(Id appointment_id, Id invitation_id)> listener) {
        on_revoked_ = std::move(listener);
    }
    std::vector<store::RoomInvitation> invitations(Id organisation_id, Id appointment_id);

    // One journal row (role: citizen | agent | guest | server; detail: JSON or "").
    void record(const store::Appointment& a, const std::string& role,
                const std::string& participant, const std::string& kind,
                const std::string& detail = "");
    std::vector<store::RoomEvent> journal(Id organisation_id, Id appointment_id);

    // --- participants (the hub) ---
    // A new participant of the room: a public id and a resume secret (its hash stored).
    // Agents are admitted from the start; a guest's invitation is bound to it (false
    // returned in `ok` when the invitation was used or revoked meanwhile).
    std::optional<RoomEntry> enter(const Room& room, RoomRole role, std::optional<Id> invitation_id,
                                   std::optional<Id> account_id);
    // The participant of a resume secret, when it belongs to this appointment and role.
    std::optional<RoomEntry> resume(const Room& room, RoomRole role, const std::string& secret);
    void admit(const Room& room, const std::string& participant);

    const core::Clock& clock() const { return clock_; }

    // --- room rules (issue 13; defined in src/app/room_rules.cpp) ---
    // The citizen of `a` waits past the delay: journals `agent_late` (server) and queues one
    // e-mail to each supervisor of the organisation (kind staff_agent_late), once per
    // appointment whatever the connections or processes (the journal says it was done; the
    // outbox keys are per appointment and supervisor). False when already done.
    bool note_agent_late(const store::Appointment& a);
    // The citizen's answer to agent_late, journalled (`late_choice`, {"choice"}); callback
    // and rebook are also written to the appointment's history (callback_requested,
    // rebook_requested), which the agent's and supervisor's appointment page shows.
    void late_choice(const store::Appointment& a, const std::string& participant,
                     const std::string& choice);

  private:
    Room make_room(const store::Appointment& a, const store::Organisation& org) const;

    store::Store& store_;
    const core::Clock& clock_;
    std::function<void(Id, Id)> on_revoked_;
};

}  // namespace vg::app
