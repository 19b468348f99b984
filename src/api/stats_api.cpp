#include "api/stats_api.hpp"

#include <spdlog/spdlog.h>

#include "api/json_io.hpp"
#include "app/api_keys.hpp"
#include "core/timefmt.hpp"
#include "stats/export.hpp"
#include "stats/report.hpp"
#include "text/i18n.hpp"

namespace vg::api {

namespace {

using detail::json;

const std::vector<std::string> kLanguages = {"fr", "en", "nl", "de"};

http::Response respond(int status, const json& body) {
    auto res = http::Response::json(status, detail::dump(body));
    res.header("Cache-Control", "no-store");
    return res;
}

http::Response failure(app::Context& ctx, const std::string& lang, int status,
                       const std::string& code, const std::string& key,
                       const std::map<std::string, std::string>& fields = {}) {
    json texts = json::object(), codes = json::object();
    for (auto& [field, k] : fields) {
        texts[field] = ctx.i18n.t(lang, k);
        codes[field] = k.substr(k.rfind('.') + 1);
    }
    json body = {{"error",
                  {{"code", code},
                   {"message", ctx.i18n.t(lang, key)},
                   {"fields", texts},
                   {"field_codes", codes}}}};
    return respond(status, body);
}

http::Response get_stats(app::Context& ctx, http::Request& req) {
    auto lang = http::negotiate_language(req, kLanguages);
    // 401 for a missing, unknown or revoked key and for another organisation's key alike.
    std::string key;
    if (auto h = req.header("authorization"); h && h->rfind("Bearer ", 0) == 0) key = h->substr(7);
    auto key_org = key.empty() ? std::nullopt : app::api_key_organisation(ctx.booking.store(), key);
    auto org = ctx.booking.organisation(req.path_param("org").value_or(""));
    if (!key_org || !org || org->org.id != *key_org) {
        auto r = failure(ctx, lang, 401, "unauthorized", "stats.error.api_key");
        r.header("WWW-Authenticate", "Bearer");
        return r;
    }
    std::map<std::string, std::string> bad;
    auto param = [&](const char* name) -> std::optional<std::string> {
        auto v = req.q(name);
        if (!v || v->empty()) return std::nullopt;
        return v;
    };
    stats::Filter f;
    auto from = detail::required_day(req, "from", bad);
    auto to = detail::required_day(req, "to", bad);
    if (from && to && (*from > *to || *to - *from > 366 * 3)) bad["to"] = "stats.error.range";
    if (auto v = param("site"); v && !(f.site = detail::parse_id(*v)))
        bad["site"] = "error.invalid_integer";
    if (auto v = param("motif"); v && !(f.motif = detail::parse_id(*v)))
        bad["motif"] = "error.invalid_integer";
    if (auto v = param("channel"); v && !(f.channel = core::parse_channel(*v)))
        bad["channel"] = "error.invalid_choice";
    if (f.site && !org->site(*f.site)) bad["site"] = "error.unknown_site";
    if (f.motif && !org->motif(*f.motif)) bad["motif"] = "error.unknown_motif";
    if (!bad.empty())
        return failure(ctx, lang, 400, "invalid_parameters", "error.invalid_parameters", bad);
    f.period = {*from, *to};
    // An API key is the organisation's: its messages count too.
    auto r = stats::report(ctx.booking.store(), org->org.id, f, true);
    if (!r) return failure(ctx, lang, 404, "unknown_organisation", "error.unknown_organisation");
    auto j = stats::to_json(r->current, f.period);
    auto messages = stats::messages_json(r->messages);
    j["sms_segments"] = messages["sms_segments"];
    j["messages"] = messages["by_month"];
    j["organisation"] = org->org.slug;
    j["previous"] = stats::to_json(r->previous, stats::previous(f.period));
    return respond(200, j);
}

}  // namespace

void register_stats_routes(http::Router& r, app::Context& ctx) {
    r.get("/api/v1/orgs/{org}/stats", [&ctx](http::Request& req) -> http::Response {
        try {
            return get_stats(ctx, req);
        } catch (const std::exception& e) {
            spdlog::error("api {} {} failed: {}", req.method, req.route, e.what());
        }
        return http::Response::json(
            500, R"({"error":{"code":"internal_error","message":"Internal error",)"
                 R"("fields":{},"field_codes":{}}})");
    });
}

}  // namespace vg::api
