#include "ops/log.hpp"

#include <fmt/format.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>
#include <sys/random.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <stdexcept>

namespace vg::ops {

namespace {

thread_local std::string current_request_id;

std::uint64_t process_prefix() {
    std::uint64_t r = 0;
    if (getrandom(&r, sizeof r, 0) != sizeof r)
        r = std::uint64_t(std::chrono::steady_clock::now().time_since_epoch().count());
    return r;
}

// "%*" in the text pattern: "[req <id>] " inside a request, nothing outside.
class RequestIdFlag final : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg&, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        auto& id = request_id();
        if (id.empty()) return;
        dest.append(std::string_view("[req "));
        dest.append(std::string_view(id));
        dest.append(std::string_view("] "));
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<RequestIdFlag>();
    }
};

void json_string(spdlog::memory_buf_t& out, std::string_view s) {
    out.push_back('"');
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                out.append(std::string_view("\\\""));
                break;
            case '\\':
                out.append(std::string_view("\\\\"));
                break;
            case '\n':
                out.append(std::string_view("\\n"));
                break;
            case '\r':
                out.append(std::string_view("\\r"));
                break;
            case '\t':
                out.append(std::string_view("\\t"));
                break;
            default:
                if (c < 0x20) {
                    fmt::format_to(std::back_inserter(out), "\\u{:04x}", unsigned(c));
                } else {
                    out.push_back(char(c));
                }
        }
    }
    out.push_back('"');
}

// One JSON object a line: {"time":"2026-11-30T01:02:03.456Z","level":"info",
// "request_id":"…","message":"…"}. Bytes that are not UTF-8 pass as they are.
class JsonFormatter final : public spdlog::formatter {
  public:
    void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
        using namespace std::chrono;
        auto t = msg.time;
        auto secs = system_clock::to_time_t(t);
        auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count() % 1000;
        std::tm tm{};
        gmtime_r(&secs, &tm);
        fmt::format_to(std::back_inserter(dest),
                       "{{\"time\":\"{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z\",\"level\":",
                       tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                       tm.tm_sec, ms);
        auto level = spdlog::level::to_string_view(msg.level);
        json_string(dest, std::string_view(level.data(), level.size()));
        if (auto& id = request_id(); !id.empty()) {
            dest.append(std::string_view(",\"request_id\":"));
            json_string(dest, id);
        }
        dest.append(std::string_view(",\"message\":"));
        json_string(dest, std::string_view(msg.payload.data(), msg.payload.size()));
        dest.append(std::string_view("}\n"));
    }
    std::unique_ptr<spdlog::formatter> clone() const override {
        return std::make_unique<JsonFormatter>();
    }
};

}  // namespace

const std::string& request_id() {
    return current_request_id;
}

RequestScope::RequestScope(const std::string& id) : previous_(std::move(current_request_id)) {
    current_request_id = id;
}

RequestScope::~RequestScope() {
    current_request_id = std::move(previous_);
}

std::string new_request_id() {
    static const std::uint64_t prefix = process_prefix();
    static std::atomic<std::uint64_t> counter{0};
    // The counter spread over the id by an odd multiplier (a bijection): consecutive ids
    // differ everywhere, and two ids of the process never collide.
    auto n = (prefix + counter.fetch_add(1, std::memory_order_relaxed)) * 0x9E3779B97F4A7C15ULL;
    return fmt::format("{:016x}", n);
}

bool acceptable_request_id(std::string_view id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == ':' || c == '-'))
            return false;
    return true;
}

void set_log_format(const std::string& format) {
    if (format == "json") {
        spdlog::set_formatter(std::make_unique<JsonFormatter>());
        return;
    }
    if (format != "text") throw std::invalid_argument("--log-format must be text or json");
    // spdlog's default line, the request id before the message.
    auto f = std::make_unique<spdlog::pattern_formatter>();
    f->add_flag<RequestIdFlag>('*').set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%l] %*%v");
    spdlog::set_formatter(std::move(f));
}

}  // namespace vg::ops
