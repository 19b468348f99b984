#include "video/hub.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "app/room_rules.hpp"
#include "app/tokens.hpp"
#include "core/browser.hpp"
#include "http/origin.hpp"
#include "text/i18n.hpp"

namespace vg::video {

using nlohmann::json;

// One WebSocket connection of the room (the "websocket_session" of the shared_state shape):
// what it is once it said hello, and its message rate. Calls come one at a time.
class Participant : public http::WebSocketEndpoint,
                    public std::enable_shared_from_this<Participant> {
  public:
    Participant(std::shared_ptr<Hub> hub, std::string staff_session, std::string browser)
        : hub_(std::move(hub)),
          staff_session_(std::move(staff_session)),
          browser_(std::move(browser)),
          rate_(hub_->options_.rate_per_second, hub_->options_.rate_burst,
                hub_->options_.rate_close_factor) {}

    void on_open(const std::shared_ptr<http::WebSocketConnection>& c) override { conn_ = c; }

    void on_message(std::string message, bool text) override {
        auto verdict = rate_.take(std::chrono::steady_clock::now());
        if (verdict == RateLimit::Verdict::close) return fail(ErrorCode::rate_limited, 1008);
        if (verdict == RateLimit::Verdict::refuse) {
            // Told once a second at most: the answers must not become a flood themselves.
            auto now = std::chrono::steady_clock::now();
            if (now - last_refusal_ >= std::chrono::seconds(1)) {
                last_refusal_ = now;
                error(ErrorCode::rate_limited);
            }
            return;
        }
        if (!text)
            return greeted_ ? error(ErrorCode::malformed) : fail(ErrorCode::unauthorised, 1008);
        auto parsed = parse_client_message(message);
        if (auto* code = std::get_if<ErrorCode>(&parsed)) {
            if (!greeted_) return fail(ErrorCode::unauthorised, 1008);
            return error(*code);
        }
        auto& m = std::get<ClientMessage>(parsed);
        if (!greeted_) {
            auto* h = std::get_if<Hello>(&m);
            if (!h) return fail(ErrorCode::unauthorised, 1008);
            return hub_->hello(shared_from_this(), *h);
        }
        std::visit(
            [&](auto& msg) {
                using T = std::decay_t<decltype(msg)>;
                if constexpr (std::is_same_v<T, Hello>)
                    error(ErrorCode::malformed);  // once per connection
                else if constexpr (std::is_same_v<T, Signal>)
                    hub_->signal(*this, msg);
                else if constexpr (std::is_same_v<T, Chat>)
                    hub_->chat(*this, msg);
                else if constexpr (std::is_same_v<T, Event>)
                    hub_->event(*this, msg);
                else if constexpr (std::is_same_v<T, LateChoice>)  // room rules: citizen only
                    role_ == app::RoomRole::citizen ? hub_->late_choice(*this, msg)
                                                    : error(ErrorCode::unauthorised);
                else if (role_ != app::RoomRole::agent)
                    error(ErrorCode::unauthorised);  // admit, move_to_phone, end: the agent's
                else if constexpr (std::is_same_v<T, Admit>)
                    hub_->admit(*this, msg);
                else if constexpr (std::is_same_v<T, MoveToPhone>)
                    hub_->move_to_phone(*this);
                else if constexpr (std::is_same_v<T, End>)
                    hub_->end(*this);
            },
            m);
    }

    void on_close() override {
        if (greeted_) hub_->leave(*this);
    }

    void send(const json& message) {
        if (auto c = conn_.lock()) c->send(message.dump());
    }
    void close(int code) {
        if (auto c = conn_.lock()) c->close(code);
    }
    void error(ErrorCode code) {
        send({{"type", "error"},
              {"code", to_string(code)},
              {"message", hub_->text(std::string("room_hub.error.") + to_string(code))}});
    }
    // The error, then the socket closed.
    void fail(ErrorCode code, int close_code) {
        error(code);
        close(close_code);
    }

    // Set once by Hub::hello (on this connection's strand), read by the hub afterwards.
    bool greeted_ = false;
    std::string id_;
    app::RoomRole role_ = app::RoomRole::citizen;
    store::Appointment appointment_;
    std::string actor_;                   // the agent's "account:<id>"
    std::optional<core::Id> invitation_;  // a guest's

    std::shared_ptr<Hub> hub_;
    std::string staff_session_;
    std::string browser_;  // core::browser_family of the upgrade's User-Agent

  private:
    std::weak_ptr<http::WebSocketConnection> conn_;
    RateLimit rate_;
    std::chrono::steady_clock::time_point last_refusal_{};
};

Hub::Hub(app::RoomService& rooms, app::BookingService& booking, app::AccountService* accounts,
         const text::I18n& i18n, HubOptions options)
    : rooms_(rooms),
      booking_(booking),
      accounts_(accounts),
      i18n_(i18n),
      options_(std::move(options)) {}

std::string Hub::text(const std::string& key) const {
    return i18n_.t("fr", key);
}

http::WebSocketAccept Hub::accept(http::Request& req) {
    http::WebSocketAccept out;
    if (req.path != "/ws/room") {
        out.refusal = http::Response::text(404, "Not found / Introuvable");
        return out;
    }
    // A page of another site must not open a room with the agent's cookie; "null" (a
    // sandboxed frame) is refused too. Clients without Origin are not browsers.
    auto origin = req.header("origin");
    if ((origin && *origin == "null") || !http::same_origin(req, options_.public_url)) {
        out.refusal = http::Response::text(403, "Forbidden origin / Origine refusée");
        return out;
    }
    auto ua = req.header("user-agent");
    out.endpoint =
        std::make_shared<Participant>(shared_from_this(), req.cookie(options_.staff_cookie),
                                      std::string(core::browser_family(ua ? *ua : "")));
    out.max_message = kMaxMessageBytes;
    out.first_message_seconds = options_.hello_seconds;
    return out;
}

json Hub::ice_servers(const std::string& participant) const {
    json out = json::array();
    auto& ice = options_.ice;
    if (ice.turn_urls.empty()) return out;
    json server = {{"urls", ice.turn_urls}};
    if (!ice.turn_secret.empty()) {
        auto c = turn_credential(ice.turn_secret, rooms_.clock().now() + ice.credential_seconds,
                                 participant);
        server["username"] = c.username;
        server["credential"] = c.credential;
    }
    out.push_back(server);
    return out;
}

void Hub::hello(const std::shared_ptr<Participant>& p, const Hello& h) {
    std::optional<app::Room> room;
    app::RoomRole role = app::RoomRole::citizen;
    std::optional<core::Id> invitation, account;
    if (!h.room.empty()) {
        room = rooms_.by_token(h.room);
    } else if (!h.invite.empty()) {
        role = app::RoomRole::guest;
        auto invited = rooms_.by_invitation(h.invite);
        if (invited && !invited->invitation.revoked_at) {
            room = invited->room;
            invitation = invited->invitation.id;
        }
    } else {
        role = app::RoomRole::agent;
        auto current = accounts_ && !p->staff_session_.empty()
                           ? accounts_->session(p->staff_session_)
                           : std::nullopt;
        auto membership = current ? current->membership() : std::nullopt;
        if (current && current->session.stage == "full" && membership) {
            room = rooms_.by_appointment(membership->organisation_id, h.appointment);
            if (room && !rooms_.holds(current->account.id, room->appointment)) room.reset();
            if (room) {
                account = current->account.id;
                p->actor_ = "account:" + std::to_string(current->account.id);
            }
        }
    }
    if (!room) return p->fail(ErrorCode::unauthorised, 1008);
    if (room->window != app::RoomWindow::open) return p->fail(ErrorCode::not_open, 1008);

    // The same participant again (network drop, server restart) with its resume secret, or
    // a new one; an invitation binds its first browser only.
    std::optional<app::RoomEntry> entry;
    std::string resume = h.resume;
    if (!resume.empty()) {
        entry = rooms_.resume(*room, role, resume);
        if (entry && invitation && entry->participant.invitation_id != invitation) entry.reset();
        if (entry && account && entry->participant.account_id != account) entry.reset();
    }
    if (!entry) {
        {
            std::lock_guard lock(mutex_);
            auto it = rooms_state_.find(room->appointment.id);
            if (it != rooms_state_.end() && it->second.members.size() >= options_.room_members)
                return p->fail(ErrorCode::unauthorised, 1008);
        }
        entry = rooms_.enter(*room, role, invitation, account);
        if (!entry) return p->fail(ErrorCode::unauthorised, 1008);
        resume = entry->resume;
    }
    auto& who = entry->participant;
    p->id_ = who.participant;
    p->role_ = role;
    p->appointment_ = room->appointment;
    p->invitation_ = who.invitation_id;
    p->greeted_ = true;

    auto& a = room->appointment;
    p->send({{"type", "welcome"},
             {"participant", who.participant},
             {"role", app::to_string(role)},
             {"resume", resume},
             {"state", who.admitted_at ? "admitted" : "waiting"},
             {"starts_at", a.starts_at},
             {"ends_at", a.ends_at},
             {"ice_servers", ice_servers(who.participant)},
             {"ice_transport_policy", options_.ice.transport_policy},
             {"camera_required", room->organisation.camera_required}});
    // The browser family: the statistics' video figures per browser (docs/STATISTICS.md).
    rooms_.record(a, app::to_string(role), who.participant, entry->resumed ? "rejoined" : "joined",
                  json({{"browser", p->browser_}}).dump());

    std::shared_ptr<Participant> replaced;
    bool late = false;
    {
        std::lock_guard lock(mutex_);
        auto& state = rooms_state_[a.id];
        state.appointment = a;
        state.late_at = app::late_after(a, room->organisation);
        auto& m = state.members[who.participant];
        replaced = m.who.lock();
        m.id = who.participant;
        m.role = role;
        m.admitted = who.admitted_at.has_value();
        m.since = rooms_.clock().now();
        m.who = p;
        m.told_late = false;  // room rules: a new connection is told again
        if (role == app::RoomRole::agent || !m.admitted) send_lobby(state);
        if (m.admitted) send_peers(state);
        // Room rules: a citizen coming (back) after the delay is told at once.
        if (role == app::RoomRole::citizen && !m.admitted)
            late = tell_late(state, rooms_.clock().now());
    }
    if (late) rooms_.note_agent_late(a);
    // The same participant's older connection (not yet seen dead) gives way.
    if (replaced && replaced != p) replaced->close(4000);
}

void Hub::leave(Participant& p) {
    bool gone = false;
    {
        std::lock_guard lock(mutex_);
        auto it = rooms_state_.find(p.appointment_.id);
        if (it == rooms_state_.end()) return;
        auto& state = it->second;
        auto m = state.members.find(p.id_);
        // Replaced by a newer connection of the same participant: nothing changes.
        if (m == state.members.end() || m->second.who.lock().get() != &p) return;
        bool was_admitted = m->second.admitted;
        state.members.erase(m);
        gone = true;
        if (state.members.empty()) {
            rooms_state_.erase(it);
        } else {
            if (!was_admitted) send_lobby(state);
            if (was_admitted) send_peers(state);
        }
    }
    if (gone) rooms_.record(p.appointment_, app::to_string(p.role_), p.id_, "left");
}

bool Hub::admitted(const Participant& p) {
    auto it = rooms_state_.find(p.appointment_.id);
    if (it == rooms_state_.end()) return false;
    auto m = it->second.members.find(p.id_);
    return m != it->second.members.end() && m->second.admitted && m->second.who.lock().get() == &p;
}

void Hub::send_lobby(const RoomState& room) {
    if (std::none_of(room.members.begin(), room.members.end(),
                     [](auto& m) { return m.second.role == app::RoomRole::agent; }))
        return;
    std::vector<const Member*> waiting;
    for (auto& [id, m] : room.members)
        if (!m.admitted) waiting.push_back(&m);
    std::sort(waiting.begin(), waiting.end(), [](auto* a, auto* b) {
        return std::pair(a->since, a->id) < std::pair(b->since, b->id);
    });
    json list = json::array();
    for (auto* m : waiting)
        list.push_back(
            {{"participant", m->id}, {"role", app::to_string(m->role)}, {"since", m->since}});
    json message = {{"type", "lobby"}, {"waiting", list}};
    for (auto& [id, m] : room.members)
        if (m.role == app::RoomRole::agent)
            if (auto who = m.who.lock()) who->send(message);
}

void Hub::send_peers(const RoomState& room) {
    for (auto& [id, m] : room.members) {
        if (!m.admitted) continue;
        auto who = m.who.lock();
        if (!who) continue;
        json peers = json::array();
        for (auto& [other_id, other] : room.members)
            if (other.admitted && other_id != id)
                peers.push_back({{"participant", other_id}, {"role", app::to_string(other.role)}});
        who->send({{"type", "peers"}, {"peers", peers}});
    }
}

void Hub::signal(Participant& p, const Signal& s) {
    std::lock_guard lock(mutex_);
    if (!admitted(p)) return p.error(ErrorCode::not_admitted);
    // Only to an admitted member of the same room: another room's participant is unknown.
    auto& members = rooms_state_[p.appointment_.id].members;
    auto to = members.find(s.to);
    auto target = to != members.end() && to->second.admitted ? to->second.who.lock() : nullptr;
    if (!target || to->first == p.id_) return p.error(ErrorCode::not_admitted);
    target->send({{"type", "signal"}, {"from", p.id_}, {"data", s.data}});
}

void Hub::chat(Participant& p, const Chat& c) {
    {
        std::lock_guard lock(mutex_);
        if (!admitted(p)) return p.error(ErrorCode::not_admitted);
        json message = {{"type", "chat"},
                        {"from", p.id_},
                        {"role", app::to_string(p.role_)},
                        {"text", c.text},
                        {"at", rooms_.clock().now()}};
        for (auto& [id, m] : rooms_state_[p.appointment_.id].members)
            if (m.admitted)
                if (auto who = m.who.lock()) who->send(message);
    }
    // The length only: the text is not evidence the journal keeps.
    rooms_.record(p.appointment_, app::to_string(p.role_), p.id_, "chat",
                  json({{"length", core::utf8_length(c.text)}}).dump());
}

void Hub::event(Participant& p, const Event& e) {
    {
        std::lock_guard lock(mutex_);
        if (!admitted(p)) return p.error(ErrorCode::not_admitted);
    }
    rooms_.record(p.appointment_, app::to_string(p.role_), p.id_, e.name,
                  e.detail.empty() ? "" : json({{"detail", e.detail}}).dump());
}

void Hub::admit(Participant& p, const Admit& a) {
    {
        std::lock_guard lock(mutex_);
        auto& state = rooms_state_[p.appointment_.id];
        auto m = state.members.find(a.participant);
        if (m == state.members.end() || m->second.admitted)
            return p.error(ErrorCode::not_admitted);  // not waiting in this room
        m->second.admitted = true;
    }
    // Stored first: a reconnect, even to a restarted server, finds it admitted.
    rooms_.admit(app::Room{p.appointment_, {}, {}, app::RoomWindow::open}, a.participant);
    rooms_.record(p.appointment_, "agent", p.id_, "admitted",
                  json({{"participant", a.participant}}).dump());
    std::lock_guard lock(mutex_);
    auto it = rooms_state_.find(p.appointment_.id);
    if (it == rooms_state_.end()) return;
    if (auto m = it->second.members.find(a.participant); m != it->second.members.end())
        if (auto who = m->second.who.lock()) who->send({{"type", "admitted"}});
    send_lobby(it->second);
    send_peers(it->second);
}

namespace {

// "+33 6 12 34 56 78" -> "+33 6 •• •• •• 78": the citizen recognises the number, an
// onlooker learns little.
std::string masked(const std::string& phone) {
    int digits = 0;
    for (char c : phone) digits += c >= '0' && c <= '9';
    std::string out;
    int seen = 0;
    for (char c : phone) {
        if (c >= '0' && c <= '9') {
            ++seen;
            out += seen <= 3 || seen > digits - 2 ? std::string(1, c) : std::string("•");
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

void Hub::move_to_phone(Participant& p) {
    auto r =
        booking_.move_to_phone(p.appointment_.organisation_id, p.appointment_.id, p.actor_, true);
    if (r.outcome != app::Outcome::ok) return p.error(ErrorCode::refused);
    rooms_.record(p.appointment_, "agent", p.id_, "moved_to_phone");
    json message = {{"type", "moved_to_phone"}, {"phone", masked(r.appointment.citizen.phone)}};
    std::lock_guard lock(mutex_);
    for (auto& [id, m] : rooms_state_[p.appointment_.id].members)
        if (auto who = m.who.lock()) who->send(message);
}

void Hub::end(Participant& p) {
    rooms_.record(p.appointment_, "agent", p.id_, "ended");
    std::lock_guard lock(mutex_);
    for (auto& [id, m] : rooms_state_[p.appointment_.id].members)
        if (auto who = m.who.lock()) {
            who->send({{"type", "ended"}});
            who->close(1000);
        }
}

void Hub::document_added(core::Id appointment_id, const json& document) {
    json message = document;
    message["type"] = "document";
    std::lock_guard lock(mutex_);
    auto it = rooms_state_.find(appointment_id);
    if (it == rooms_state_.end()) return;
    for (auto& [id, m] : it->second.members)
        if (m.admitted)
            if (auto who = m.who.lock()) who->send(message);
}

void Hub::invitation_revoked(core::Id appointment_id, core::Id invitation_id) {
    std::lock_guard lock(mutex_);
    auto it = rooms_state_.find(appointment_id);
    if (it == rooms_state_.end()) return;
    for (auto& [id, m] : it->second.members)
        if (auto who = m.who.lock(); who && who->invitation_ == invitation_id)
            who->fail(ErrorCode::revoked, 1008);  // leave() follows on its close
}

// --- room rules (issue 13; app/room_rules.hpp) ----------------------------------------

bool Hub::citizen_present(core::Id appointment_id) const {
    std::lock_guard lock(mutex_);
    auto it = rooms_state_.find(appointment_id);
    if (it == rooms_state_.end()) return false;
    for (auto& [id, m] : it->second.members)
        if (m.role == app::RoomRole::citizen && !m.who.expired()) return true;
    return false;
}

bool Hub::tell_late(RoomState& room, core::Instant now) {
    bool told = false;
    for (auto& [id, m] : room.members) {
        if (m.role != app::RoomRole::citizen || m.told_late ||
            !app::agent_late(room.appointment, room.late_at, m.admitted, now))
            continue;
        if (auto who = m.who.lock()) {
            who->send({{"type", "agent_late"}, {"since", room.late_at}});
            m.told_late = told = true;
        }
    }
    return told;
}

void Hub::check_late() {
    auto now = rooms_.clock().now();
    std::vector<store::Appointment> late;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, room] : rooms_state_)
            if (tell_late(room, now)) late.push_back(room.appointment);
    }
    for (auto& a : late) rooms_.note_agent_late(a);
}

void Hub::late_choice(Participant& p, const LateChoice& c) {
    {
        std::lock_guard lock(mutex_);
        auto it = rooms_state_.find(p.appointment_.id);
        if (it == rooms_state_.end()) return p.error(ErrorCode::refused);
        auto m = it->second.members.find(p.id_);
        // Only a citizen who was told the advisor is late, and still waits.
        if (m == it->second.members.end() || m->second.who.lock().get() != &p ||
            !m->second.told_late || m->second.admitted)
            return p.error(ErrorCode::refused);
    }
    rooms_.late_choice(p.appointment_, p.id_, c.choice);
    p.send({{"type", "late_choice"}, {"choice", c.choice}});
}

std::size_t Hub::participants() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (auto& [id, room] : rooms_state_) n += room.members.size();
    return n;
}

std::size_t Hub::rooms() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (auto& [id, room] : rooms_state_) n += room.members.empty() ? 0 : 1;
    return n;
}

}  // namespace vg::video
