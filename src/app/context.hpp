// What request handlers share: services, limits and settings. Built once by `serve`.
#pragma once

#include <string>
#include <vector>

#include "app/accounts.hpp"
#include "app/booking_service.hpp"
#include "app/rate_limit.hpp"

namespace vg::text {
class I18n;
class Templates;
}  // namespace vg::text

namespace vg::app {

class RoomService;
class RoomDocuments;

struct Settings {
    // e.g. https://rdv.example.org as configured (Secure cookies, the origin forms must come
    // from); empty on a loopback address without --public-url.
    std::string public_url;
    std::string assets_dir;       // templates/, static/, locales/
    int booking_rate_limit = 20;  // per IP per hour, 0 = off
    // The base of every absolute link (messages, .ics): public_url, or http://<listen> on a
    // loopback address. Never taken from a request's Host header.
    std::string link_base;
    bool https() const { return public_url.rfind("https://", 0) == 0; }
    // The staff session cookie: bound to this host and Secure under https.
    std::string staff_cookie() const { return https() ? "__Host-vg_staff" : "vg_staff"; }
    // Calendar UIDs and Message-IDs: unique per installation (store: installation table) and
    // public host, the same in the .ics download and in the messages.
    std::string installation_id;
    std::string public_host = "localhost";
    // --turn-urls (public, no credentials): the device test checks the relay is reachable.
    std::vector<std::string> turn_urls = {};
};

struct Context {
    BookingService& booking;
    app::RateLimiter& booking_limiter;
    const text::I18n& i18n;
    const text::Templates& templates;
    Settings settings;
    // Staff accounts and sessions (null in tests of the citizen side alone).
    AccountService* accounts = nullptr;
    // The video room (docs/VIDEO.md; null in tests that do not serve it).
    RoomService* rooms = nullptr;
    // The room's documents (docs/VIDEO.md, "Documents"; null when not served).
    RoomDocuments* documents = nullptr;
    // The booking service's clock (core::Clock): pages, API and services read one "now",
    // which tests pin or move with a core::ManualClock.
    const core::Clock& clock() const { return booking.clock(); }
    Instant now() const { return clock().now(); }
};

}  // namespace vg::app
