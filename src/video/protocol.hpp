// The room's signalling protocol (docs/VIDEO.md): client messages parsed into typed structs
// at the edge, checked for shape; nothing past here reads raw JSON from a client.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/types.hpp"

namespace vg::video {

enum class ErrorCode {
    malformed,
    too_large,
    unknown_type,
    rate_limited,
    not_admitted,
    unauthorised,
    not_open,
    refused,  // an agent's operation the appointment's state refuses (move_to_phone)
    revoked,  // the guest's invitation was revoked: the socket is closed (1008)
};
const char* to_string(ErrorCode c);

// hello: exactly one of room (citizen), appointment (agent), invite (guest).
struct Hello {
    std::string room;
    core::Id appointment = 0;
    std::string invite;
    std::string resume;  // "" = none
};
struct Signal {
    std::string to;
    nlohmann::json
        data;  // {"description":{type,sdp}} | {"candidate":{...}|null} | {"restart":true}
};
struct Chat {
    std::string text;  // trimmed, 1..2000 characters
};
struct Event {
    std::string name;  // one of kEventNames
    std::string detail;
};
struct Admit {
    std::string participant;
};
struct MoveToPhone {};
struct End {};
// Room rules (issue 13): the citizen's answer to agent_late: "wait", "callback", "rebook".
struct LateChoice {
    std::string choice;
};

using ClientMessage = std::variant<Hello, Signal, Chat, Event, Admit, MoveToPhone, End, LateChoice>;

// One text message from a client: the typed message, or malformed / unknown_type.
std::variant<ClientMessage, ErrorCode> parse_client_message(std::string_view text);

inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;
inline constexpr std::size_t kMaxChatCharacters = 2000;
inline constexpr std::size_t kMaxEventDetail = 200;

// A connection's message rate: `per_second` on average with bursts of `burst`; beyond,
// messages are refused (rate_limited); more than close_factor × per_second in one second
// closes the connection. Pure: the caller gives the time.
class RateLimit {
  public:
    enum class Verdict { allow, refuse, close };
    RateLimit(double per_second = 50, double burst = 100, int close_factor = 10)
        : rate_(per_second),
          burst_(burst),
          tokens_(burst),
          close_after_(per_second * close_factor) {}
    Verdict take(std::chrono::steady_clock::time_point now);

  private:
    double rate_, burst_, tokens_, close_after_;
    std::optional<std::chrono::steady_clock::time_point> last_;
    std::chrono::steady_clock::time_point second_start_{};
    double in_second_ = 0;
};

}  // namespace vg::video
