#include "app/room_service.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "app/tokens.hpp"
#include "store/secrets.hpp"

namespace vg::app {

using nlohmann::json;
using store::AppointmentStatus;

void add_room_token(store::Session& s, Id appointment_id, const std::string& management_token) {
    s.add_room_token_hash(appointment_id, hash_token(store::room_token_for(management_token)));
}

const char* to_string(RoomWindow w) {
    switch (w) {
        case RoomWindow::not_yet:
            return "not_yet";
        case RoomWindow::open:
            return "open";
        case RoomWindow::over:
            break;
    }
    return "over";
}

const char* to_string(RoomRole r) {
    switch (r) {
        case RoomRole::citizen:
            return "citizen";
        case RoomRole::agent:
            return "agent";
        case RoomRole::guest:
            break;
    }
    return "guest";
}

RoomTimes room_times(const store::Appointment& a, const store::Organisation& org) {
    return {a.starts_at - Instant(org.room_opens_minutes) * 60,
            a.ends_at + Instant(org.room_margin_minutes) * 60};
}

RoomWindow room_window(const store::Appointment& a, const store::Organisation& org, Instant now) {
    bool usable = a.channel == core::Channel::video && (a.status == AppointmentStatus::booked ||
                                                        a.status == AppointmentStatus::confirmed ||
                                                        a.status == AppointmentStatus::honoured);
    auto t = room_times(a, org);
    if (!usable || now >= t.closes_at) return RoomWindow::over;
    if (now < t.opens_at) return RoomWindow::not_yet;
    return RoomWindow::open;
}

RoomService::RoomService(store::Store& store, const core::Clock& clock)
    : store_(store), clock_(clock) {}

Room RoomService::make_room(const store::Appointment& a, const store::Organisation& org) const {
    return {a, org, room_times(a, org), room_window(a, org, clock_.now())};
}

std::optional<Room> RoomService::by_token(const std::string& room_token) {
    if (!looks_like_token(room_token)) return std::nullopt;
    std::optional<Room> out;
    store_.read([&](store::Session& s) {
        auto a = s.appointment_by_room_token_hash(hash_token(room_token));
        if (!a) return;
        if (auto org = s.organisation_by_id(a->organisation_id)) out = make_room(*a, *org);
    });
    return out;
}

std::optional<Room> RoomService::by_appointment(Id organisation_id, Id appointment_id) {
    std::optional<Room> out;
    store_.read([&](store::Session& s) {
        auto a = s.appointment_by_id(organisation_id, appointment_id);
        if (!a) return;
        if (auto org = s.organisation_by_id(a->organisation_id)) out = make_room(*a, *org);
    });
    return out;
}

std::optional<RoomService::Invited> RoomService::by_invitation(const std::string& invite_token) {
    if (!looks_like_token(invite_token)) return std::nullopt;
    std::optional<Invited> out;
    store_.read([&](store::Session& s) {
        auto i = s.room_invitation_by_hash(hash_token(invite_token));
        if (!i) return;
        auto a = s.appointment_by_id(i->organisation_id, i->appointment_id);
        if (!a) return;
        if (auto org = s.organisation_by_id(a->organisation_id))
            out = Invited{make_room(*a, *org), *i};
    });
    return out;
}

bool RoomService::holds(Id account_id, const store::Appointment& a) {
    bool out = false;
    store_.read([&](store::Session& s) {
        auto account = s.account_by_id(account_id);
        if (!account || account->disabled_at) return;
        for (auto& m : s.memberships(account_id))
            if (m.organisation_id == a.organisation_id && m.role == "agent" &&
                m.agent_id == a.agent_id)
                out = true;
    });
    return out;
}

std::optional<RoomInvitationLink> RoomService::invite(Id organisation_id, Id appointment_id,
                                                      const std::string& actor) {
    std::optional<RoomInvitationLink> out;
    store_.write([&](store::Session& s) {
        auto a = s.appointment_by_id(organisation_id, appointment_id);
        if (!a) return;
        auto org = s.organisation_by_id(organisation_id);
        if (!org || room_window(*a, *org, clock_.now()) == RoomWindow::over) return;
        RoomInvitationLink link{0, new_token()};
        store::RoomInvitation i;
        i.appointment_id = a->id;
        i.organisation_id = organisation_id;
        i.token_hash = hash_token(link.token);
        i.created_by = actor;
        link.id = s.insert_room_invitation(i);
        s.add_room_event({0, a->id, organisation_id, 0, "agent", "", "invitation_created",
                          json({{"invitation", link.id}, {"by", actor}}).dump()});
        out = link;
    });
    return out;
}

bool RoomService::revoke(Id organisation_id, Id appointment_id, Id invitation_id,
                         const std::string& actor) {
    bool done = false;
    store_.write([&](store::Session& s) {
        done = s.revoke_room_invitation(organisation_id, appointment_id, invitation_id);
        if (done)
            s.add_room_event({0, appointment_id, organisation_id, 0, "agent", "",
                              "invitation_revoked",
                              json({{"invitation", invitation_id}, {"by", actor}}).dump()});
    });
    if (done && on_revoked_) on_revoked_(appointment_id, invitation_id);
    return done;
}

std::vector<store::RoomInvitation> RoomService::invitations(Id organisation_id, Id appointment_id) {
    std::vector<store::RoomInvitation> out;
    store_.read(
        [&](store::Session& s) { out = s.room_invitations(organisation_id, appointment_id); });
    return out;
}

void RoomService::record(const store::Appointment& a, const std::string& role,
                         const std::string& participant, const std::string& kind,
                         const std::string& detail) {
    store_.write([&](store::Session& s) {
        s.add_room_event({0, a.id, a.organisation_id, 0, role, participant, kind, detail});
    });
}

std::vector<store::RoomEvent> RoomService::journal(Id organisation_id, Id appointment_id) {
    std::vector<store::RoomEvent> out;
    store_.read([&](store::Session& s) { out = s.room_events(organisation_id, appointment_id); });
    return out;
}

namespace {

// A public participant id: "p" and 16 hexadecimal digits (64 random bits).
std::string new_participant_id() {
    unsigned char b[8];
    randombytes_buf(b, sizeof b);
    char hex[17];
    sodium_bin2hex(hex, sizeof hex, b, sizeof b);
    return std::string("p") + hex;
}

}  // namespace

std::optional<RoomEntry> RoomService::enter(const Room& room, RoomRole role,
                                            std::optional<Id> invitation_id,
                                            std::optional<Id> account_id) {
    RoomEntry e;
    e.resume = new_token();
    auto& p = e.participant;
    p.appointment_id = room.appointment.id;
    p.participant = new_participant_id();
    p.role = to_string(role);
    p.resume_hash = hash_token(e.resume);
    p.invitation_id = invitation_id;
    p.account_id = account_id;
    if (role == RoomRole::agent) p.admitted_at = clock_.now();
    bool ok = true;
    store_.write([&](store::Session& s) {
        // The first browser with an invitation binds it; later ones are refused.
        if (invitation_id && !s.use_room_invitation(*invitation_id)) {
            ok = false;
            return;
        }
        p.id = s.insert_room_participant(p);
    });
    if (!ok) return std::nullopt;
    p.created_at = clock_.now();
    return e;
}

std::optional<RoomEntry> RoomService::resume(const Room& room, RoomRole role,
                                             const std::string& secret) {
    if (!looks_like_token(secret)) return std::nullopt;
    std::optional<RoomEntry> out;
    store_.read([&](store::Session& s) {
        auto p = s.room_participant_by_resume(hash_token(secret));
        if (!p || p->appointment_id != room.appointment.id || p->role != to_string(role)) return;
        out = RoomEntry{*p, "", true};
    });
    return out;
}

void RoomService::admit(const Room& room, const std::string& participant) {
    store_.write(
        [&](store::Session& s) { s.admit_room_participant(room.appointment.id, participant); });
}

}  // namespace vg::app
