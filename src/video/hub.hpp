// The room's signalling hub (docs/VIDEO.md), in the shape of the shared_state of Vinnie
// Falco's Beast chat server (CppCon 2018): one Hub owns the rooms that have connections;
// one Participant per WebSocket connection; client messages are parsed into typed structs
// at the edge (video/protocol.hpp). Nothing global: `serve` makes one Hub and gives its
// accept() to the HTTP server (http/websocket.hpp).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "app/accounts.hpp"
#include "app/booking_service.hpp"
#include "app/room_service.hpp"
#include "http/websocket.hpp"
#include "video/protocol.hpp"
#include "video/turn.hpp"

namespace vg::text {
class I18n;
}

namespace vg::video {

class Participant;

struct HubOptions {
    IceConfig ice;
    // The origin WebSocket upgrades must come from: the public URL's, or http://<Host> when
    // it is empty (loopback development server).
    std::string public_url;
    std::string staff_cookie = "vg_staff";  // the staff session cookie's name
    double rate_per_second = 50;
    double rate_burst = 100;
    int rate_close_factor = 10;
    int hello_seconds = 10;
    // Connected members of one room at most (a citizen, an agent, a guest, and their
    // reconnections): a room token cannot open connections without end.
    std::size_t room_members = 16;
};

class Hub : public std::enable_shared_from_this<Hub> {
  public:
    // accounts: null when staff sessions are not served (then no agent can join).
    Hub(app::RoomService& rooms, app::BookingService& booking, app::AccountService* accounts,
        const text::I18n& i18n, HubOptions options);

    // For every WebSocket upgrade request: /ws/room from our origin gets a Participant.
    http::WebSocketAccept accept(http::Request& req);

    // A document was uploaded over HTTP to this appointment: its admitted participants are
    // told ({"type":"document",...}).
    void document_added(core::Id appointment_id, const nlohmann::json& document);

    // The invitation was revoked (RoomService::on_revoked): its guest, if connected, gets
    // the error `revoked` and its socket is closed (1008) at once.
    void invitation_revoked(core::Id appointment_id, core::Id invitation_id);

    // Connections that said hello, in every room (tests, metrics).
    std::size_t participants() const;
    // Rooms with at least one connected participant (metrics).
    std::size_t rooms() const;

    // --- room rules (issue 13; app/room_rules.hpp) ---
    // True when the appointment's citizen is connected to its room now (the automatic
    // no-show never touches it).
    bool citizen_present(core::Id appointment_id) const;
    // Tells every citizen waiting past the no-show delay that the advisor is late
    // (`agent_late`, once per connection) and journals it once per appointment. Called by
    // the periodic room rules job and at each citizen's hello; time from the rooms' clock.
    void check_late();

  private:
    friend class Participant;

    // A connected participant of a room (the room state is in the Hub, under its mutex).
    struct Member {
        std::string id;
        app::RoomRole role = app::RoomRole::citizen;
        bool admitted = false;
        core::Instant since = 0;  // connected at
        std::weak_ptr<Participant> who;
        bool told_late = false;  // room rules: agent_late sent on this connection
    };
    struct RoomState {
        store::Appointment appointment;
        std::map<std::string, Member> members;  // connected, by participant id
        core::Instant late_at = 0;              // room rules: start + no-show delay
    };

    // From a Participant's strand.
    void hello(const std::shared_ptr<Participant>& p, const Hello& h);
    void leave(Participant& p);
    void signal(Participant& p, const Signal& s);
    void chat(Participant& p, const Chat& c);
    void event(Participant& p, const Event& e);
    void admit(Participant& p, const Admit& a);
    void move_to_phone(Participant& p);
    void end(Participant& p);
    void late_choice(Participant& p, const LateChoice& c);
    // Under mutex_: sends agent_late to the room's waiting citizens not yet told; true when
    // one was told now.
    bool tell_late(RoomState& room, core::Instant now);

    // Under mutex_: the lobby to the room's agents, the peers to its admitted members.
    void send_lobby(const RoomState& room);
    void send_peers(const RoomState& room);
    // Under mutex_: true when p is a connected, admitted member of its room.
    bool admitted(const Participant& p);
    nlohmann::json ice_servers(const std::string& participant) const;
    std::string text(const std::string& key) const;

    app::RoomService& rooms_;
    app::BookingService& booking_;
    app::AccountService* accounts_;
    const text::I18n& i18n_;
    HubOptions options_;
    mutable std::mutex mutex_;
    std::unordered_map<core::Id, RoomState> rooms_state_;  // rooms with a member
};

}  // namespace vg::video
