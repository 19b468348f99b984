#include "api/json_io.hpp"

#include <cctype>
#include <charconv>
#include <cstdint>
#include <limits>
#include <set>
#include <stdexcept>
#include <vector>

#include "core/timefmt.hpp"

namespace vg::api::detail {

namespace {

std::string lower_trimmed(std::string_view s) {
    auto b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    auto e = s.find_last_not_of(" \t");
    std::string out(s.substr(b, e - b + 1));
    for (auto& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

bool blank(const std::string& s) {
    return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

// Raised from the parser callback to stop at the first structural problem.
struct Rejected : std::runtime_error {
    using std::runtime_error::runtime_error;
};

void invalid_type(core::FieldErrors& errors, const std::string& field) {
    errors.emplace(field, "error.invalid_type");
}

const json* member(const json& obj, const char* key) {
    if (!obj.is_object()) return nullptr;
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return nullptr;
    return &*it;
}

}  // namespace

bool is_json_media_type(const std::string& content_type) {
    std::string_view ct = content_type;
    auto semi = ct.find(';');
    if (lower_trimmed(ct.substr(0, semi)) != "application/json") return false;
    while (semi != std::string_view::npos) {
        auto rest = ct.substr(semi + 1);
        auto next = rest.find(';');
        auto param = lower_trimmed(rest.substr(0, next));
        semi = next == std::string_view::npos ? next : semi + 1 + next;
        if (param.empty()) continue;
        auto eq = param.find('=');
        if (eq == std::string::npos) return false;
        auto name = lower_trimmed(std::string_view(param).substr(0, eq));
        auto value = lower_trimmed(std::string_view(param).substr(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        if (name == "charset" && value != "utf-8" && value != "utf8") return false;
    }
    return true;
}

JsonBody read_object(const http::Request& req, bool empty_ok) {
    JsonBody out;
    if (empty_ok && blank(req.body)) return out;
    auto ct = req.header("content-type");
    if (!ct || !is_json_media_type(*ct)) {
        out.status = JsonBody::Status::unsupported_media_type;
        return out;
    }
    std::vector<std::set<std::string>> keys;
    json::parser_callback_t check = [&keys](int depth, json::parse_event_t event, json& parsed) {
        switch (event) {
            case json::parse_event_t::object_start:
            case json::parse_event_t::array_start:
                if (depth >= kMaxDepth) throw Rejected("nesting too deep");
                if (event == json::parse_event_t::object_start) keys.emplace_back();
                break;
            case json::parse_event_t::object_end:
                if (!keys.empty()) keys.pop_back();
                break;
            case json::parse_event_t::key:
                if (keys.empty() || !parsed.is_string()) break;
                if (!keys.back().insert(parsed.get_ref<const std::string&>()).second)
                    throw Rejected("duplicate object key");
                break;
            default:
                break;
        }
        return true;
    };
    try {
        out.value = json::parse(req.body, check, /*allow_exceptions=*/true,
                                /*ignore_comments=*/false);
    } catch (const Rejected& e) {
        out.status = JsonBody::Status::malformed;
        out.reason = e.what();
        return out;
    } catch (const json::parse_error& e) {
        out.status = JsonBody::Status::malformed;
        out.reason = "invalid JSON near byte " + std::to_string(e.byte);
        return out;
    } catch (const json::exception&) {
        out.status = JsonBody::Status::malformed;
        out.reason = "invalid JSON";
        return out;
    }
    if (!out.value.is_object()) {
        out.status = JsonBody::Status::malformed;
        out.reason = "the body must be a JSON object";
        out.value = json::object();
    }
    return out;
}

std::optional<std::string> member_string(const json& obj, const char* key, const std::string& field,
                                         core::FieldErrors& errors) {
    auto v = member(obj, key);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        invalid_type(errors, field);
        return std::nullopt;
    }
    return v->get<std::string>();
}

std::optional<core::Id> member_id(const json& obj, const char* key, const std::string& field,
                                  core::FieldErrors& errors) {
    auto v = member(obj, key);
    if (!v) return std::nullopt;
    if (v->is_number_unsigned()) {
        auto u = v->get<std::uint64_t>();
        if (u > 0 && u <= std::uint64_t(std::numeric_limits<core::Id>::max())) return core::Id(u);
    } else if (v->is_number_integer()) {
        auto i = v->get<std::int64_t>();
        if (i > 0) return core::Id(i);
    }
    invalid_type(errors, field);
    return std::nullopt;
}

std::optional<int> member_int(const json& obj, const char* key, const std::string& field,
                              core::FieldErrors& errors) {
    auto v = member(obj, key);
    if (!v) return std::nullopt;
    if (v->is_number_unsigned()) {
        auto u = v->get<std::uint64_t>();
        if (u <= std::uint64_t(std::numeric_limits<int>::max())) return int(u);
    } else if (v->is_number_integer()) {
        auto i = v->get<std::int64_t>();
        if (i >= std::numeric_limits<int>::min() && i <= std::numeric_limits<int>::max())
            return int(i);
    }
    invalid_type(errors, field);
    return std::nullopt;
}

std::optional<bool> member_bool(const json& obj, const char* key, const std::string& field,
                                core::FieldErrors& errors) {
    auto v = member(obj, key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
        invalid_type(errors, field);
        return std::nullopt;
    }
    return v->get<bool>();
}

const json* member_object(const json& obj, const char* key, const std::string& field,
                          core::FieldErrors& errors) {
    auto v = member(obj, key);
    if (!v) return nullptr;
    if (!v->is_object()) {
        invalid_type(errors, field);
        return nullptr;
    }
    return v;
}

std::optional<core::Id> parse_id(const std::string& s) {
    if (s.empty() || s.size() > 18) return std::nullopt;
    for (char c : s)
        if (c < '0' || c > '9') return std::nullopt;
    core::Id v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}

std::optional<core::LocalDay> required_day(const http::Request& req, const char* name,
                                           core::FieldErrors& errors) {
    auto v = req.q(name);
    if (!v || v->empty()) {
        errors[name] = "error.required";
        return std::nullopt;
    }
    auto day = core::parse_ymd(*v);
    if (!day) errors[name] = "error.invalid_date";
    return day;
}

std::string dump(const json& j) {
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace vg::api::detail
