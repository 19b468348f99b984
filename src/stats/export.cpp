#include "stats/export.hpp"

#include <algorithm>
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
                                "rating"};
const char* const kContactColumns[] = {"first_name", "last_name", "email", "phone", "comment"};

std::string name_of(const std::map<Id, std::string>& names, Id id) {
    auto it = names.find(id);
    return it != names.end() ? it->second : std::to_string(id);
}

void add(std::string& line, const std::string& cell) {
    if (!line.empty()) line += ',';
    line += csv_cell(cell);
}

std::string fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

}  // namespace

std::string csv_header(bool with_contacts) {
    std::string line;
    for (auto c : kColumns) add(line, c);
    if (with_contacts)
        for (auto c : kContactColumns) add(line, c);
    return "\xEF\xBB\xBF" + line + "\r\n";
}

std::string csv_line(const store::StatsAppointment& a, const Names& names, const Zones& zones,
                     bool with_contacts) {
    auto zone = zones.of_site(a.site_id);
    std::string line;
    add(line, std::to_string(a.id));
    add(line, a.origin);
    add(line, std::string(core::to_string(a.channel)));
    add(line, name_of(names.motifs, a.motif_id));
    add(line, name_of(names.sites, a.site_id));
    add(line, name_of(names.agents, a.agent_id));
    add(line, a.language);
    add(line, core::iso8601(a.created_at, zone));
    add(line, core::iso8601(a.starts_at, zone));
    add(line, core::iso8601(a.ends_at, zone));
    add(line, fixed(double(std::max<Instant>(0, a.starts_at - a.created_at)) / 86400.0, 2));
    add(line, std::string(store::to_string(a.status)));
    add(line, a.cancelled_by);
    add(line, a.cancel_reason);
    add(line, a.confirmed ? "yes" : "no");
    add(line, a.moved_to_phone ? "yes" : "no");
    add(line, std::to_string(a.reschedules));
    add(line, a.resolved);
    add(line, a.request_type);
    add(line, a.theme);
    add(line, a.autonomy);
    add(line, a.rating ? std::to_string(*a.rating) : "");
    if (with_contacts) {
        add(line, a.first_name);
        add(line, a.last_name);
        add(line, a.email);
        add(line, a.phone);
        add(line, a.comment);
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
    j["satisfaction"] = {{"answers", f.answers},
                         {"distribution", f.ratings},
                         {"average", opt(f.average_rating)},
                         {"csat_share", opt(f.csat_share)}};
    return j;
}

}  // namespace vg::stats
