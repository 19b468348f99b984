#include "video/protocol.hpp"

#include <array>

#include "core/citizen.hpp"

namespace vg::video {

using nlohmann::json;

const char* to_string(ErrorCode c) {
    switch (c) {
        case ErrorCode::malformed:
            return "malformed";
        case ErrorCode::too_large:
            return "too_large";
        case ErrorCode::unknown_type:
            return "unknown_type";
        case ErrorCode::rate_limited:
            return "rate_limited";
        case ErrorCode::not_admitted:
            return "not_admitted";
        case ErrorCode::unauthorised:
            return "unauthorised";
        case ErrorCode::not_open:
            return "not_open";
        case ErrorCode::revoked:
            return "revoked";
        case ErrorCode::refused:
            break;
    }
    return "refused";
}

namespace {

constexpr std::array<std::string_view, 6> kEventNames = {
    "screen_share_started", "screen_share_stopped", "ice_restart", "audio_fallback", "connected",
    "connection_failed"};

// Nesting deeper than this is no message of ours (and never reaches the JSON parser).
constexpr int kMaxDepth = 16;

bool shallow(std::string_view text) {
    int depth = 0;
    bool in_string = false, escaped = false;
    for (char c : text) {
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (++depth > kMaxDepth) return false;
        } else if (c == '}' || c == ']') {
            --depth;
        }
    }
    return true;
}

std::optional<std::string> string_field(const json& j, const char* name) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string()) return std::nullopt;
    return it->get<std::string>();
}

bool valid_signal_data(const json& d) {
    if (!d.is_object() || d.size() != 1) return false;
    if (auto it = d.find("description"); it != d.end()) {
        if (!it->is_object()) return false;
        auto type = string_field(*it, "type");
        auto sdp = string_field(*it, "sdp");
        return type && (*type == "offer" || *type == "answer") && sdp;
    }
    if (auto it = d.find("candidate"); it != d.end()) return it->is_object() || it->is_null();
    if (auto it = d.find("restart"); it != d.end()) return it->is_boolean() && it->get<bool>();
    return false;
}

// A participant id as the hub makes them: "p" and 16 hexadecimal digits.
bool participant_shaped(const std::string& s) {
    if (s.size() != 17 || s[0] != 'p') return false;
    for (std::size_t i = 1; i < s.size(); ++i)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

}  // namespace

std::variant<ClientMessage, ErrorCode> parse_client_message(std::string_view text) {
    if (text.size() > kMaxMessageBytes) return ErrorCode::too_large;
    if (!shallow(text)) return ErrorCode::malformed;
    auto j = json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return ErrorCode::malformed;
    auto type = string_field(j, "type");
    if (!type) return ErrorCode::malformed;
    if (*type == "hello") {
        Hello h;
        int ways = 0;
        if (j.contains("room")) {
            auto room = string_field(j, "room");
            if (!room) return ErrorCode::malformed;
            h.room = *room;
            ++ways;
        }
        if (auto it = j.find("appointment"); it != j.end()) {
            if (!it->is_number_integer() || it->get<std::int64_t>() <= 0)
                return ErrorCode::malformed;
            h.appointment = it->get<core::Id>();
            ++ways;
        }
        if (j.contains("invite")) {
            auto invite = string_field(j, "invite");
            if (!invite) return ErrorCode::malformed;
            h.invite = *invite;
            ++ways;
        }
        if (ways != 1) return ErrorCode::malformed;
        if (j.contains("resume")) {
            auto resume = string_field(j, "resume");
            if (!resume) return ErrorCode::malformed;
            h.resume = *resume;
        }
        return ClientMessage{h};
    }
    if (*type == "signal") {
        auto to = string_field(j, "to");
        auto it = j.find("data");
        if (!to || !participant_shaped(*to) || it == j.end() || !valid_signal_data(*it))
            return ErrorCode::malformed;
        return ClientMessage{Signal{*to, *it}};
    }
    if (*type == "chat") {
        auto raw = string_field(j, "text");
        if (!raw || !core::is_valid_utf8(*raw)) return ErrorCode::malformed;
        auto clean = core::trim(*raw);
        auto length = core::utf8_length(clean);
        if (length == 0 || length > kMaxChatCharacters) return ErrorCode::malformed;
        return ClientMessage{Chat{clean}};
    }
    if (*type == "event") {
        auto name = string_field(j, "name");
        bool known = false;
        for (auto n : kEventNames) known = known || (name && *name == n);
        if (!known) return ErrorCode::malformed;
        std::string detail;
        if (j.contains("detail")) {
            auto d = string_field(j, "detail");
            if (!d || !core::is_valid_utf8(*d) || core::utf8_length(*d) > kMaxEventDetail)
                return ErrorCode::malformed;
            detail = *d;
        }
        return ClientMessage{Event{*name, detail}};
    }
    if (*type == "admit") {
        auto p = string_field(j, "participant");
        if (!p || !participant_shaped(*p)) return ErrorCode::malformed;
        return ClientMessage{Admit{*p}};
    }
    if (*type == "move_to_phone") return ClientMessage{MoveToPhone{}};
    if (*type == "end") return ClientMessage{End{}};
    if (*type == "late_choice") {  // room rules: the citizen's answer to agent_late
        auto c = string_field(j, "choice");
        if (!c || (*c != "wait" && *c != "callback" && *c != "rebook")) return ErrorCode::malformed;
        return ClientMessage{LateChoice{*c}};
    }
    return ErrorCode::unknown_type;
}

RateLimit::Verdict RateLimit::take(std::chrono::steady_clock::time_point now) {
    using seconds = std::chrono::duration<double>;
    if (!last_) {
        last_ = now;
        second_start_ = now;
    }
    tokens_ = std::min(burst_, tokens_ + seconds(now - *last_).count() * rate_);
    last_ = now;
    if (now - second_start_ >= std::chrono::seconds(1)) {
        second_start_ = now;
        in_second_ = 0;
    }
    if (++in_second_ > close_after_) return Verdict::close;
    if (tokens_ < 1) return Verdict::refuse;
    tokens_ -= 1;
    return Verdict::allow;
}

}  // namespace vg::video
