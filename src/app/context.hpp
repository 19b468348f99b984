// What request handlers share: services, limits and settings. Built once by `serve`.
#pragma once

#include <chrono>
#include <string>

#include "app/booking_service.hpp"
#include "http/rate_limit.hpp"

namespace vg::web {
class I18n;
class Templates;
}  // namespace vg::web

namespace vg::app {

struct Settings {
    std::string public_url;  // e.g. https://rdv.example.org (links in messages, Secure cookies)
    std::string assets_dir;  // templates/, static/, locales/
    int booking_rate_limit = 20;  // per IP per hour, 0 = off
    // Calendar UIDs and Message-IDs: unique per installation (store: installation table) and
    // public host, the same in the .ics download and in the messages.
    std::string installation_id;
    std::string public_host = "localhost";
};

struct Context {
    BookingService& booking;
    http::RateLimiter& booking_limiter;
    const web::I18n& i18n;
    const web::Templates& templates;
    Settings settings;
    // Wall clock; one place so tests of time-dependent rules can reason about it.
    static Instant now() {
        return std::chrono::duration_cast<std::chrono::seconds>(
                   std::chrono::system_clock::now().time_since_epoch())
            .count();
    }
};

}  // namespace vg::app
