// What every HTML page shares: language, layout, CSRF token, error pages.
#pragma once

#include <mstch/mstch.hpp>
#include <optional>
#include <string>

#include "app/context.hpp"
#include "core/citizen.hpp"
#include "http/message.hpp"
#include "http/origin.hpp"

namespace vg::web {

class Page {
  public:
    // org may be null (instance pages, management pages load it later). preferred: the
    // signed-in person's own language (accounts.language), which wins over the browser's
    // cookie and Accept-Language but not over ?lang=.
    Page(app::Context& ctx, const http::Request& req, const app::OrgData* org,
         const std::optional<std::string>& preferred = std::nullopt);

    const std::string& lang() const { return lang_; }
    std::string t(const std::string& key) const;
    // "Paris time" for Europe/Paris in the page's language, "" when the zone has no name.
    std::string zone_label(const std::string& zone) const;
    // Context pre-filled with layout values; add page values then render().
    mstch::map& data() { return data_; }
    // Renders templates/<name> inside the layout with the given <title>.
    http::Response render(int status, const std::string& name, const std::string& title);
    // Error page in the user's language (404, 410, 403, 429...).
    http::Response error(int status, const std::string& message_key);
    // 429: the error page and Retry-After (seconds until the client may try again).
    http::Response too_many(const std::string& message_key, long long retry_after);

    // Double-submit CSRF: a random cookie mirrored in a hidden field, compared in constant
    // time, and a request that does not say it comes from another origin (same_origin).
    // Every POST handler of the pages calls it before anything else.
    const std::string& csrf_token() const { return csrf_; }
    bool csrf_ok(const http::Params& form) const;

    // Current URL with lang replaced (language switcher).
    std::string url_with_lang(const std::string& lang) const;
    std::string format_datetime(core::Instant t, const date::time_zone* zone) const;
    std::string format_date(core::LocalDay d) const;
    std::string format_time(core::Instant t, const date::time_zone* zone) const;
    // Field errors -> {"errors": [...], "error_<field>": message} for templates. Each field is
    // labelled by "<section>.field.<name>" when that text exists, else by "field.<name>".
    void add_errors(const core::FieldErrors& errors, const std::string& section = {});

  private:
    bool looks_like_token_shape() const;
    app::Context& ctx_;
    const http::Request& req_;
    const app::OrgData* org_;
    std::string lang_;
    std::string csrf_;
    bool new_csrf_ = false;
    mstch::map data_;
};

// The CSRF cookie's name: "__Host-vg_csrf" under https (bound to this host, Secure, Path=/),
// "vg_csrf" otherwise (a plain-http development server on a loopback address).
std::string csrf_cookie_name(const app::Settings& settings);

// Whether the request comes from our origin (http/origin.hpp): every POST of the pages checks
// it; the WebSocket upgrades of the video room too.
using http::same_origin;

// Form value or empty.
std::string form_value(const http::Params& form, const std::string& name);

}  // namespace vg::web
