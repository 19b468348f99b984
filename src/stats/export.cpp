#include "stats/export.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <type_traits>

#include "core/timefmt.hpp"

namespace vg::stats {

std::string csv_cell(const std::string& value) {
    std::string v = value;
    if (!v.empty() &&
        (v[0] == '=' || v[0] == '+' || v[0] == '-' || v[0] == '@' || v[0] == '\t' || v[0] == '\r'))
        v.insert(v.begin(), '\'');
    if (v.find_first_of(",\"\r\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
    return out;
}

namespace {

const char* const kColumns[] = {"id",
                                "origin",
                                "channel",
                                "motif",
                                "site",
                                "agent",
                                "language",
                                "booked_at",
                                "starts_at",
                                "ends_at",
                                "booking_delay_days",
                                "status",
                                "cancelled_by",
                                "cancel_reason",
                                "confirmed",
                                "moved_to_phone",
                                "reschedules",
                                "resolved",
                                "request_type",
                                "theme",
                                "autonomy",
                                "rating",
                                "room_wait_minutes",
                                "call_minutes",
                                "browser",
                                "relayed",
                                "ice_restarts",
                                "connection_failures",
                                "audio_fallback"};
const char* const kContactColumns[] = {"first_name", "last_name", "email", "phone", "comment"};

std::string name_of(const std::map<Id, std::string>& names, Id id) {
    auto it = names.find(id);
    return it != names.end() ? it->second : std::to_string(id);
}

std::string fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

Cell text(std::string v) {
    Cell c;
    c.text = std::move(v);
    if (c.text.empty()) c.type = Cell::Type::blank;
    return c;
}

Cell integer(long long v) {
    Cell c;
    c.type = Cell::Type::number;
    c.number = double(v);
    c.text = std::to_string(v);
    return c;
}

// A number with two decimals: the CSV's text and the XLSX's number are the same value.
Cell two_decimals(double v) {
    Cell c;
    c.type = Cell::Type::number;
    c.decimals = 2;
    c.text = fixed(v, 2);
    std::from_chars(c.text.data(), c.text.data() + c.text.size(), c.number);
    return c;
}

// Seconds as minutes with two decimals; blank when none.
Cell minutes(const std::optional<Instant>& seconds) {
    return seconds ? two_decimals(double(*seconds) / 60.0) : text("");
}

Cell moment(Instant t, const date::time_zone* zone) {
    Cell c;
    c.type = Cell::Type::time;
    c.text = core::iso8601(t, zone);
    c.local = core::local_parts(t, zone);
    c.second = int((t % 60 + 60) % 60);  // offsets are whole minutes
    return c;
}

}  // namespace

std::vector<std::string> export_columns(bool with_contacts) {
    std::vector<std::string> out(std::begin(kColumns), std::end(kColumns));
    if (with_contacts)
        out.insert(out.end(), std::begin(kContactColumns), std::end(kContactColumns));
    return out;
}

std::vector<Cell> export_cells(const store::StatsAppointment& a, const Names& names,
                               const Zones& zones, bool with_contacts) {
    auto zone = zones.of_site(a.site_id);
    // Days from booking to start, rounded to two decimals: the CSV's text and the XLSX's
    // number are the same value.
    auto delay_cell =
        two_decimals(double(std::max<Instant>(0, a.starts_at - a.created_at)) / 86400.0);
    std::vector<Cell> out{
        integer(a.id),
        text(a.origin),
        text(std::string(core::to_string(a.channel))),
        text(name_of(names.motifs, a.motif_id)),
        text(name_of(names.sites, a.site_id)),
        text(name_of(names.agents, a.agent_id)),
        text(a.language),
        moment(a.created_at, zone),
        moment(a.starts_at, zone),
        moment(a.ends_at, zone),
        delay_cell,
        text(std::string(store::to_string(a.status))),
        text(a.cancelled_by),
        text(a.cancel_reason),
        text(a.confirmed ? "yes" : "no"),
        text(a.moved_to_phone ? "yes" : "no"),
        integer(a.reschedules),
        text(a.resolved),
        text(a.request_type),
        text(a.theme),
        text(a.autonomy),
        a.rating ? integer(*a.rating) : text(""),
        minutes(room_wait(a)),
        minutes(call_duration(a)),
        text(a.browser),
        text(!a.room_joined ? ""
             : a.relayed    ? "yes"
                            : "no"),
        a.room_joined ? integer(a.ice_restarts) : text(""),
        a.room_joined ? integer(a.connection_failures) : text(""),
        text(!a.room_joined     ? ""
             : a.audio_fallback ? "yes"
                                : "no"),
    };
    if (with_contacts)
        for (auto* v : {&a.first_name, &a.last_name, &a.email, &a.phone, &a.comment})
            out.push_back(text(*v));
    return out;
}

std::string csv_header(const std::vector<std::string>& columns) {
    std::string line;
    for (auto& c : columns) {
        if (!line.empty()) line += ',';
        line += csv_cell(c);
    }
    return "\xEF\xBB\xBF" + line + "\r\n";
}

std::string csv_header(bool with_contacts) {
    return csv_header(export_columns(with_contacts));
}

std::string csv_line(const std::vector<Cell>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i) line += ',';
        line += csv_cell(cells[i].text);
    }
    return line + "\r\n";
}

bool exported(const Filter& f, const store::StatsAppointment& a, const Zones& zones) {
    return passes(f, a) && (scheduled_in(f.period, a, zones) || booked_in(f.period, a, zones));
}

namespace {

template <class K>
nlohmann::json counts(const std::map<K, int>& m) {
    auto j = nlohmann::json::object();
    for (auto& [k, v] : m) {
        if constexpr (std::is_same_v<K, std::string>)
            j[k] = v;
        else
            j[std::to_string(k)] = v;
    }
    return j;
}

nlohmann::json opt(const std::optional<double>& v) {
    return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const Figures& f, const Period& p) {
    nlohmann::json j;
    j["from"] = core::format_ymd(p.first);
    j["to"] = core::format_ymd(p.last);
    j["bookings"] = f.bookings;
    j["by_origin"] = counts(f.by_origin);
    j["by_channel"] = counts(f.by_channel);
    j["by_motif"] = counts(f.by_motif);
    j["by_site"] = counts(f.by_site);
    j["by_language"] = counts(f.by_language);
    j["by_hour"] = f.by_hour;
    j["by_weekday"] = f.by_weekday;
    j["median_booking_delay_days"] = opt(f.median_booking_delay_days);
    j["p90_booking_delay_days"] = opt(f.p90_booking_delay_days);
    j["scheduled"] = f.scheduled;
    j["held"] = f.held;
    j["no_shows"] = f.no_shows;
    j["cancelled"] = f.cancelled();
    j["cancelled_by_citizen"] = f.cancelled_by_citizen;
    j["cancelled_by_agency"] = f.cancelled_by_agency;
    j["cancel_reasons"] = counts(f.cancel_reasons);
    j["moved_to_phone"] = f.moved_to_phone;
    j["rescheduled"] = f.rescheduled;
    j["upcoming"] = f.upcoming;
    j["no_show_rate"] = opt(f.no_show_rate());
    j["confirmed_share"] = opt(f.confirmed_share());
    j["qualification"] = {{"qualified", f.qualified},
                          {"resolved", counts(f.resolved)},
                          {"request_types", counts(f.request_types)},
                          {"themes", counts(f.themes)},
                          {"autonomy", counts(f.autonomy)}};
    auto& v = f.video;
    auto seconds = [](const std::optional<Instant>& x) {
        return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
    };
    auto browsers = nlohmann::json::object();
    for (auto& [family, b] : v.by_browser)
        browsers[family.empty() ? "unknown" : family] = {{"calls", b.calls},
                                                         {"connected", b.connected},
                                                         {"relayed", b.relayed},
                                                         {"failed_calls", b.failed},
                                                         {"ice_restarts", b.ice_restarts},
                                                         {"audio_fallbacks", b.audio_fallbacks}};
    j["video"] = {{"calls", v.calls},
                  {"waits", v.waits},
                  {"median_wait_seconds", seconds(v.median_wait_seconds)},
                  {"p90_wait_seconds", seconds(v.p90_wait_seconds)},
                  {"durations", v.durations},
                  {"median_call_seconds", seconds(v.median_duration_seconds)},
                  {"connection_failures", v.connection_failures},
                  {"failed_calls", v.failed_calls},
                  {"ice_restarts", v.ice_restarts},
                  {"audio_fallbacks", v.audio_fallbacks},
                  {"phone_fallbacks", v.phone_fallbacks},
                  {"connected", v.connected},
                  {"relayed", v.relayed},
                  {"relayed_share", opt(v.relayed_share())},
                  {"by_browser", browsers}};
    // Agents' load: per agent (id) and in total, minutes offered and booked.
    auto agents = nlohmann::json::object();
    for (auto& [agent, l] : f.load)
        agents[std::to_string(agent)] = {{"appointments", l.appointments},
                                         {"days", l.days},
                                         {"per_day", l.per_day()},
                                         {"busiest_day", l.busiest_day},
                                         {"booked_minutes", l.booked_seconds / 60},
                                         {"offered_minutes", 0}};
    for (auto& [agent, seconds] : f.offered_seconds) {
        auto& a = agents[std::to_string(agent)];
        if (!a.contains("appointments"))
            a = {{"appointments", 0},
                 {"days", 0},
                 {"per_day", 0.0},
                 {"busiest_day", 0},
                 {"booked_minutes", 0}};
        a["offered_minutes"] = seconds / 60;
    }
    j["load"] = {{"offered_minutes", f.offered_total() / 60},
                 {"booked_minutes", f.booked_total() / 60},
                 {"booked_share", opt(f.booked_share())},
                 {"by_agent", agents}};
    // Time to the first free slot: one entry per motif and channel.
    auto first = nlohmann::json::array();
    for (auto& [key, g] : f.first_slot)
        first.push_back({{"motif", key.first},
                         {"channel", key.second},
                         {"samples", g.samples},
                         {"none", g.none},
                         {"latest_day", core::format_ymd(g.latest_day)},
                         {"latest_days", g.latest ? nlohmann::json(*g.latest) : nullptr},
                         {"median_days", g.median ? nlohmann::json(*g.median) : nullptr}});
    j["first_slot"] = first;
    j["satisfaction"] = {{"answers", f.answers},
                         {"distribution", f.ratings},
                         {"average", opt(f.average_rating)},
                         {"csat_share", opt(f.csat_share)}};
    return j;
}

nlohmann::json messages_json(const std::map<std::string, MonthMessages>& months) {
    int segments = 0;
    auto by_month = nlohmann::json::object();
    for (auto& [month, m] : months) {
        segments += m.sms_segments;
        by_month[month] = {{"sent", m.sent},     {"email", m.email},
                           {"sms", m.sms},       {"sms_segments", m.sms_segments},
                           {"failed", m.failed}, {"dead", m.dead}};
    }
    return {{"sms_segments", segments}, {"by_month", by_month}};
}

}  // namespace vg::stats
