// JSON API handlers. They translate HTTP to the booking services and back; every rule about
// bookings lives in app::BookingService. See docs/API.md for the contract.
//
// Rules kept here:
// - a handler never lets an exception escape: bad input gets a 4xx, a fault a JSON 500;
// - nothing is written on a 4xx (the services validate everything before writing);
// - tokens and personal data never reach the logs (the server logs route patterns only);
// - every response is application/json and not cacheable (tokens, live availability).

#include "api/api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <set>
#include <sstream>
#include <utility>

#include "api/json_io.hpp"
#include "api/stats_api.hpp"
#include "core/timefmt.hpp"
#include "store/secrets.hpp"
#include "text/i18n.hpp"

namespace vg::api {

namespace {

using core::FieldErrors;
using core::Id;
using core::Instant;
using core::LocalDay;
using detail::json;

const std::vector<std::string> kApiLanguages = {"fr", "en", "nl", "de"};

// Fields that core::validate_citizen reports; the API names them "citizen.<field>".
const std::set<std::string> kCitizenFields = {"first_name", "last_name",          "email", "phone",
                                              "language",   "beneficiary_number", "needs"};

// What one request carries through its handler.
struct Call {
    app::Context& ctx;
    http::Request& req;
    std::string lang = "fr";
    Instant now = 0;
};

http::Response respond(int status, const json& body) {
    auto res = http::Response::json(status, detail::dump(body));
    res.header("Cache-Control", "no-store");
    return res;
}

// "error.invalid_email" -> "invalid_email": a stable code for programs, beside the text.
std::string code_of(const std::string& key) {
    auto dot = key.rfind('.');
    return dot == std::string::npos ? key : key.substr(dot + 1);
}

json error_body(const Call& c, const std::string& code, const std::string& message_key,
                const FieldErrors& fields = {}) {
    json texts = json::object(), codes = json::object();
    for (auto& [field, key] : fields) {
        texts[field] = c.ctx.i18n.t(c.lang, key);
        codes[field] = code_of(key);
    }
    return {{"error",
             {{"code", code},
              {"message", c.ctx.i18n.t(c.lang, message_key)},
              {"fields", std::move(texts)},
              {"field_codes", std::move(codes)}}}};
}

http::Response error(const Call& c, int status, const std::string& code,
                     const std::string& message_key, const FieldErrors& fields = {}) {
    return respond(status, error_body(c, code, message_key, fields));
}

http::Response invalid(const Call& c, const FieldErrors& fields) {
    return error(c, 422, "validation_failed", "error.validation_failed", fields);
}

http::Response body_error(const Call& c, const detail::JsonBody& body) {
    if (body.status == detail::JsonBody::Status::unsupported_media_type)
        return error(c, 415, "unsupported_media_type", "error.unsupported_media_type");
    auto j = error_body(c, "invalid_json", "error.invalid_json");
    j["error"]["detail"] = body.reason;
    return respond(400, j);
}

http::Response unknown_org(const Call& c) {
    return error(c, 404, "unknown_organisation", "error.unknown_organisation");
}
http::Response unknown_appointment(const Call& c) {
    return error(c, 404, "appointment_not_found", "error.appointment_not_found");
}
http::Response gone(const Call& c) {
    return error(c, 410, "appointment_gone", "error.appointment_gone");
}

std::shared_ptr<const app::OrgData> org_of(const Call& c) {
    auto slug = c.req.path_param("org").value_or("");
    if (slug.empty() || slug.size() > 100) return nullptr;
    return c.ctx.booking.organisation(slug);
}

const date::time_zone* zone_for(const app::OrgData& org, const store::Site* site) {
    return site ? org.zone(*site) : org.default_zone();
}

// --- representations -------------------------------------------------------------------

json channels_json(std::uint8_t bits) {
    json out = json::array();
    for (auto ch : {core::Channel::video, core::Channel::on_site, core::Channel::phone})
        if (bits & core::channel_bit(ch)) out.push_back(std::string(core::to_string(ch)));
    return out;
}

// "one item per line" -> ["item", ...]
json lines_json(const std::string& text) {
    json out = json::array();
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        auto clean = core::trim(line);
        if (!clean.empty()) out.push_back(clean);
    }
    return out;
}

json site_json(const store::Site& s, const std::string& lang) {
    return {{"id", s.id},
            {"name", s.name},
            {"address", s.address},
            {"postal_code", s.postal_code},
            {"city", s.city},
            {"time_zone", s.time_zone},
            {"is_partner", s.is_partner},
            {"access_notes", s.access_notes.pick(lang)}};
}

json motif_json(const store::Motif& m, const std::string& lang) {
    return {{"id", m.id},
            {"code", m.code},
            {"name", m.name.pick(lang)},
            {"theme", m.theme.pick(lang)},
            {"duration_minutes", m.rules.duration_minutes},
            {"channels", channels_json(m.rules.channels)},
            {"documents", lines_json(m.documents.pick(lang))},
            {"asks_beneficiary_number", m.asks_beneficiary_number}};
}

json slot_json(const app::OrgData& org, const app::SlotView& s) {
    auto zone = s.zone ? s.zone : zone_for(org, org.site(s.site_id));
    json site = s.site_id ? json{{"id", s.site_id}, {"name", s.site_name}} : json(nullptr);
    return {{"start", core::iso8601(s.start, zone)},
            {"end", core::iso8601(s.end, zone)},
            {"site", std::move(site)}};
}

json slots_json(const app::OrgData& org, const std::vector<app::SlotView>& slots) {
    json out = json::array();
    for (auto& s : slots) out.push_back(slot_json(org, s));
    return out;
}

// What the holder of the management link may see: no e-mail, phone or beneficiary number.
json appointment_json(const Call& c, const store::Appointment& a, const app::OrgData& org) {
    auto site = org.site(a.site_id);
    auto motif = org.motif(a.motif_id);
    auto zone = zone_for(org, site);
    app::AppointmentView view{a, {}};
    json j = {
        {"id", a.id},
        {"status", std::string(store::to_string(a.status))},
        {"start", core::iso8601(a.starts_at, zone)},
        {"end", core::iso8601(a.ends_at, zone)},
        {"channel", std::string(core::to_string(a.channel))},
        {"motif", {{"id", a.motif_id}, {"name", motif ? motif->name.pick(c.lang) : ""}}},
        {"site", site ? site_json(*site, c.lang) : json{{"id", a.site_id}}},
        {"citizen", {{"first_name", a.citizen.first_name}, {"last_name", a.citizen.last_name}}},
        {"changeable", view.changeable(c.now) && a.token_expires_at >= c.now},
    };
    if (!a.cancel_reason.empty()) j["cancel_reason"] = a.cancel_reason;
    return j;
}

// Where the citizen manages the booking: the public URL (or the loopback listen address),
// never the request's Host header.
std::string public_base(const Call& c) {
    return c.ctx.settings.link_base;
}

// A video appointment's room (docs/VIDEO.md): its token derives from the management token.
void add_room_url(const Call& c, json& out, const store::Appointment& a, const std::string& token) {
    if (a.channel == core::Channel::video && !token.empty())
        out["room_url"] = public_base(c) + "/room/" + store::room_token_for(token);
}

// --- handlers --------------------------------------------------------------------------

http::Response get_motifs(Call& c) {
    auto org = org_of(c);
    if (!org) return unknown_org(c);
    std::vector<const store::Motif*> list;
    for (auto& m : org->motifs)
        if (m.is_public) list.push_back(&m);
    std::stable_sort(list.begin(), list.end(), [](auto* a, auto* b) {
        return std::pair(a->position, a->id) < std::pair(b->position, b->id);
    });
    json out = json::array();
    for (auto* m : list) out.push_back(motif_json(*m, c.lang));
    return respond(200, {{"motifs", std::move(out)}});
}

http::Response get_sites(Call& c) {
    auto org = org_of(c);
    if (!org) return unknown_org(c);
    json out = json::array();
    for (auto& s : org->sites) out.push_back(site_json(s, c.lang));
    return respond(200, {{"sites", std::move(out)}});
}

http::Response get_terms(Call& c) {
    auto org = org_of(c);
    if (!org) return unknown_org(c);
    if (!org->terms) return error(c, 404, "terms_unavailable", "error.no_terms");
    auto& t = *org->terms;
    return respond(200, {{"version", t.version},
                         {"text", t.text.pick(c.lang)},
                         {"conduct_rules", t.conduct_rules.pick(c.lang)},
                         {"published_at", core::iso8601(t.published_at, org->default_zone())}});
}

http::Response get_slots(Call& c) {
    auto org = org_of(c);
    if (!org) return unknown_org(c);

    // 400: parameters missing or not of their syntax.
    FieldErrors bad;
    auto param = [&](const char* name) -> std::optional<std::string> {
        auto v = c.req.q(name);
        if (!v || v->empty()) return std::nullopt;
        return v;
    };
    std::optional<Id> motif, site;
    std::optional<core::Channel> channel;
    if (auto v = param("motif"); !v)
        bad["motif"] = "error.required";
    else if (!(motif = detail::parse_id(*v)))
        bad["motif"] = "error.invalid_integer";
    if (auto v = param("channel"); !v)
        bad["channel"] = "error.required";
    else if (!(channel = core::parse_channel(*v)))
        bad["channel"] = "error.invalid_choice";
    auto from = detail::required_day(c.req, "from", bad);
    auto to = detail::required_day(c.req, "to", bad);
    if (auto v = param("site"); v && !(site = detail::parse_id(*v)))
        bad["site"] = "error.invalid_integer";
    if (!bad.empty()) return error(c, 400, "invalid_parameters", "error.invalid_parameters", bad);

    // 422: well-formed but not acceptable for this organisation.
    auto m = org->public_motif(*motif);
    if (!m)
        bad["motif"] = "error.unknown_motif";
    else if (!(m->rules.channels & core::channel_bit(*channel)))
        bad["channel"] = "error.channel_not_offered";
    if (site && !org->site(*site)) bad["site"] = "error.unknown_site";
    int max_days = c.ctx.booking.settings().max_range_days;
    if (*to < *from)
        bad["to"] = "error.range_inverted";
    else if (std::int64_t(*to) - *from + 1 > max_days)
        bad["range"] = "error.range_too_long";
    if (!bad.empty()) {
        auto j = error_body(c, "validation_failed", "error.validation_failed", bad);
        j["error"]["max_range_days"] = max_days;
        return respond(422, j);
    }

    // Nothing is bookable before yesterday (any zone) or after the motif's horizon: do not
    // compute those days at all.
    LocalDay today = core::local_day_of(c.now, org->default_zone());
    app::SlotQuery q;
    q.motif_id = *motif;
    q.channel = *channel;
    q.site_id = site;
    q.from = std::max<LocalDay>(*from, today - 1);
    q.to = std::min<LocalDay>(*to, today + m->rules.horizon_days + 1);
    // Many citizens look at the same weeks: the body is memoised (see BookingService::memo).
    auto key = "api-slots|" + std::to_string(org->org.id) + "|" + std::to_string(q.motif_id) + "|" +
               std::string(core::to_string(q.channel)) + "|" +
               (q.site_id ? std::to_string(*q.site_id) : "-") + "|" + std::to_string(q.from) + "|" +
               std::to_string(q.to);
    auto body = c.ctx.booking.memo(key, [&] {
        std::vector<app::SlotView> slots;
        if (q.from <= q.to) slots = c.ctx.booking.slots(*org, q);
        return detail::dump(json{{"slots", slots_json(*org, slots)}});
    });
    auto res = http::Response::json(200, std::move(body));
    res.header("Cache-Control", "no-store");
    return res;
}

// Prefixes the citizen fields of service errors: "email" -> "citizen.email".
FieldErrors api_fields(const FieldErrors& in) {
    FieldErrors out;
    for (auto& [field, key] : in)
        out[kCitizenFields.count(field) ? "citizen." + field : field] = key;
    return out;
}

// Booking, cancelling and rescheduling share one limit per client (as in the pages). Every
// attempt counts, well-formed or not, so that these endpoints cannot be used to probe without
// limit: the check comes before anything else.
std::optional<http::Response> rate_limited(Call& c) {
    auto ip = c.req.remote_ip.empty() ? std::string("-") : c.req.remote_ip;
    if (c.ctx.booking_limiter.allow(ip, c.now)) return std::nullopt;
    auto wait = std::max<std::int64_t>(1, c.ctx.booking_limiter.retry_after(ip, c.now));
    auto j = error_body(c, "rate_limited", "error.rate_limited");
    j["error"]["retry_after_seconds"] = wait;
    auto res = respond(429, j);
    res.header("Retry-After", std::to_string(wait));
    return res;
}

http::Response post_appointment(Call& c) {
    if (auto limited = rate_limited(c)) return *limited;
    auto org = org_of(c);
    if (!org) return unknown_org(c);
    // Idempotency-Key: 1-255 visible ASCII characters (a UUID is fine).
    std::string idempotency_key;
    if (auto h = c.req.header("idempotency-key")) {
        idempotency_key = *h;
        bool visible = std::all_of(idempotency_key.begin(), idempotency_key.end(),
                                   [](unsigned char ch) { return ch > 0x20 && ch < 0x7f; });
        if (idempotency_key.empty() || idempotency_key.size() > 255 || !visible)
            return invalid(c, {{"Idempotency-Key", "error.invalid_idempotency_key"}});
    }
    auto body = detail::read_object(c.req);
    if (body.status != detail::JsonBody::Status::ok) return body_error(c, body);
    const json& j = body.value;

    // Types first; the services check values.
    FieldErrors typed;
    app::BookRequest br;
    if (auto v = detail::member_id(j, "motif", "motif", typed))
        br.motif_id = *v;
    else if (!typed.count("motif"))
        typed["motif"] = "error.required";
    if (auto v = detail::member_string(j, "channel", "channel", typed)) {
        if (auto ch = core::parse_channel(*v))
            br.channel = *ch;
        else
            typed["channel"] = "error.invalid_choice";
    } else if (!typed.count("channel")) {
        typed["channel"] = "error.required";
    }
    if (auto v = detail::member_string(j, "start", "start", typed)) {
        if (auto t = core::parse_iso8601(*v))
            br.start = *t;
        else
            typed["start"] = "error.invalid_datetime";
    } else if (!typed.count("start")) {
        typed["start"] = "error.required";
    }
    br.site_id = detail::member_id(j, "site", "site", typed);
    static const json empty = json::object();
    const json* citizen = detail::member_object(j, "citizen", "citizen", typed);
    if (!citizen) citizen = &empty;
    auto text = [&](const char* key) {
        return detail::member_string(*citizen, key, std::string("citizen.") + key, typed)
            .value_or("");
    };
    br.citizen.first_name = text("first_name");
    br.citizen.last_name = text("last_name");
    br.citizen.email = text("email");
    br.citizen.phone = text("phone");
    br.citizen.language = text("language");
    br.citizen.beneficiary_number = text("beneficiary_number");
    br.citizen.needs = text("needs");
    if (core::trim(br.citizen.language).empty()) br.citizen.language = c.lang;
    bool accepted = detail::member_bool(j, "accept_terms", "accept_terms", typed).value_or(false);
    if (auto v = detail::member_int(j, "terms_version", "terms_version", typed))
        br.terms_version = *v;
    else if (!typed.count("terms_version"))
        typed["terms_version"] = "error.required";

    // With type errors the service must only validate (to report every field at once):
    // terms not accepted guarantees that it returns Outcome::invalid without writing.
    br.accept_terms = accepted && typed.empty();
    br.idempotency_key = idempotency_key;
    auto r = c.ctx.booking.book(*org, std::move(br));
    // The key already served another request: nothing else to report.
    if (r.errors.count("idempotency_key"))
        return error(c, 422, "idempotency_key_reused", "error.idempotency_key_reused");
    // The same request again: the same answer, unless its token can no longer be opened.
    if (r.replayed && r.token.empty())
        return error(c, 409, "already_booked", "error.already_booked");
    if (r.outcome == app::Outcome::invalid || !typed.empty()) {
        auto fields = api_fields(r.errors);
        if (accepted) fields.erase("accept_terms");
        for (auto& [field, key] : typed) fields[field] = key;
        return invalid(c, fields);
    }
    switch (r.outcome) {
        case app::Outcome::ok:
            break;
        case app::Outcome::conflict: {
            auto e = error_body(c, "slot_unavailable", "error.slot_taken");
            e["alternatives"] = slots_json(*org, r.alternatives);
            return respond(409, e);
        }
        case app::Outcome::not_found:
            return unknown_org(c);
        case app::Outcome::gone:
        case app::Outcome::invalid:
            return gone(c);
    }
    auto out = appointment_json(c, r.appointment, *org);
    out["token"] = r.token;
    out["manage_url"] = public_base(c) + "/manage/" + r.token;
    add_room_url(c, out, r.appointment, r.token);
    return respond(201, out);
}

std::string token_of(const Call& c) {
    return c.req.path_param("token").value_or("");
}

http::Response get_appointment(Call& c) {
    auto view = c.ctx.booking.find(token_of(c));
    if (!view) return unknown_appointment(c);
    if (view->appointment.token_expires_at < c.now) return gone(c);
    auto out = appointment_json(c, view->appointment, view->org);
    add_room_url(c, out, view->appointment, token_of(c));
    return respond(200, out);
}

// The appointment as it is after a change.
http::Response changed(Call& c, int status) {
    auto view = c.ctx.booking.find(token_of(c));
    if (!view) return unknown_appointment(c);
    return respond(status, appointment_json(c, view->appointment, view->org));
}

http::Response post_cancel(Call& c) {
    if (auto limited = rate_limited(c)) return *limited;
    auto body = detail::read_object(c.req, /*empty_ok=*/true);
    if (body.status != detail::JsonBody::Status::ok) return body_error(c, body);
    FieldErrors typed;
    auto reason = detail::member_string(body.value, "reason", "reason", typed).value_or("");
    // A reason may be shown in messages to agents: no control characters but line breaks.
    if (std::any_of(reason.begin(), reason.end(), [](unsigned char ch) {
            return (ch < 0x20 && ch != '\n' && ch != '\r' && ch != '\t') || ch == 0x7f;
        }))
        typed["reason"] = "error.invalid_characters";
    if (!typed.empty()) return invalid(c, typed);

    auto r = c.ctx.booking.cancel(token_of(c), reason);
    switch (r.outcome) {
        case app::Outcome::ok:
            return changed(c, 200);
        case app::Outcome::not_found:
            return unknown_appointment(c);
        case app::Outcome::gone:
        case app::Outcome::conflict:
            return gone(c);
        case app::Outcome::invalid:
            return invalid(c, r.errors);
    }
    return gone(c);
}

// Free slots after `after` for the appointment's motif and channel, at `site`.
std::vector<app::SlotView> alternatives(Call& c, const app::AppointmentView& view, Id site,
                                        Instant after) {
    app::SlotQuery q;
    q.motif_id = view.appointment.motif_id;
    q.channel = view.appointment.channel;
    q.site_id = site;
    q.from = core::local_day_of(std::max(after, c.now), view.org.default_zone());
    q.to = q.from + 13;
    std::vector<app::SlotView> out;
    for (auto& s : c.ctx.booking.slots(view.org, q)) {
        if (s.start <= after) continue;
        out.push_back(s);
        if (int(out.size()) >= c.ctx.booking.settings().alternatives) break;
    }
    return out;
}

http::Response post_reschedule(Call& c) {
    if (auto limited = rate_limited(c)) return *limited;
    auto body = detail::read_object(c.req);
    if (body.status != detail::JsonBody::Status::ok) return body_error(c, body);
    FieldErrors typed;
    std::optional<Instant> start;
    if (auto v = detail::member_string(body.value, "start", "start", typed)) {
        if (!(start = core::parse_iso8601(*v))) typed["start"] = "error.invalid_datetime";
    } else if (!typed.count("start")) {
        typed["start"] = "error.required";
    }
    auto site = detail::member_id(body.value, "site", "site", typed);
    if (!typed.empty()) return invalid(c, typed);

    auto token = token_of(c);
    auto view = c.ctx.booking.find(token);
    if (!view) return unknown_appointment(c);
    if (view->appointment.token_expires_at < c.now || !view->changeable(c.now)) return gone(c);

    auto r = c.ctx.booking.reschedule(token, *start, site);
    switch (r.outcome) {
        case app::Outcome::ok:
            return changed(c, 200);
        case app::Outcome::not_found:
            return unknown_appointment(c);
        case app::Outcome::gone:
            return gone(c);
        case app::Outcome::invalid:
            return invalid(c, api_fields(r.errors));
        case app::Outcome::conflict: {
            // Computed here rather than taken from r.alternatives: those point into an
            // OrgData that the service no longer holds.
            auto e = error_body(c, "slot_unavailable", "error.slot_taken");
            e["alternatives"] = slots_json(
                view->org,
                alternatives(c, *view, site.value_or(view->appointment.site_id), *start));
            return respond(409, e);
        }
    }
    return gone(c);
}

constexpr const char* kLastResort =
    R"({"error":{"code":"internal_error","message":"Internal error",)"
    R"("fields":{},"field_codes":{}}})";

// Wraps a handler: negotiated language, clock, and no exception ever escapes.
http::Handler guarded(app::Context& ctx, std::function<http::Response(Call&)> fn) {
    return [&ctx, fn = std::move(fn)](http::Request& req) -> http::Response {
        Call c{ctx, req, "fr", ctx.now()};
        try {
            c.lang = http::negotiate_language(req, kApiLanguages);
            return fn(c);
        } catch (const std::exception& e) {
            // Route pattern only: the path may hold a token, the body personal data.
            spdlog::error("api {} {} failed: {}", req.method, req.route, e.what());
        } catch (...) {
            spdlog::error("api {} {} failed", req.method, req.route);
        }
        try {
            return error(c, 500, "internal_error", "error.internal");
        } catch (...) {
            return http::Response::json(500, kLastResort);
        }
    };
}

}  // namespace

void register_routes(http::Router& r, app::Context& ctx) {
    r.get("/api/v1/orgs/{org}/motifs", guarded(ctx, get_motifs));
    r.get("/api/v1/orgs/{org}/sites", guarded(ctx, get_sites));
    r.get("/api/v1/orgs/{org}/terms", guarded(ctx, get_terms));
    r.get("/api/v1/orgs/{org}/slots", guarded(ctx, get_slots));
    r.post("/api/v1/orgs/{org}/appointments", guarded(ctx, post_appointment));
    r.get("/api/v1/appointments/{token}", guarded(ctx, get_appointment));
    r.post("/api/v1/appointments/{token}/cancel", guarded(ctx, post_cancel));
    r.post("/api/v1/appointments/{token}/reschedule", guarded(ctx, post_reschedule));
    register_stats_routes(r, ctx);  // GET /api/v1/orgs/{org}/stats (stats_api.cpp)
}

}  // namespace vg::api
