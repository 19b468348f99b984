#include "web/booking_flow.hpp"

#include <date/tz.h>

#include <limits>
#include <map>
#include <sstream>

#include "core/timefmt.hpp"
#include "text/i18n.hpp"

namespace vg::web {

std::optional<std::int64_t> parse_number(const std::string& s) {
    if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return std::stoll(s);
}

std::optional<int> parse_int(const std::string& s) {
    auto n = parse_number(s);
    if (!n || *n > std::numeric_limits<int>::max()) return std::nullopt;
    return int(*n);
}

std::optional<Mode> parse_mode(const std::string& code) {
    if (code == "video") return Mode{code, core::Channel::video, false};
    if (code == "partner") return Mode{code, core::Channel::video, true};
    if (code == "on_site") return Mode{code, core::Channel::on_site, false};
    if (code == "phone") return Mode{code, core::Channel::phone, false};
    return std::nullopt;
}

std::vector<Mode> modes_for(const app::OrgData& org, const store::Motif& m) {
    bool has_partner = false;
    for (auto& s : org.sites) has_partner |= s.is_partner;
    std::vector<Mode> out;
    for (auto code : {"video", "partner", "on_site", "phone"}) {
        auto mode = *parse_mode(code);
        if (!(m.rules.channels & core::channel_bit(mode.channel))) continue;
        if (mode.partner && !has_partner) continue;
        out.push_back(mode);
    }
    return out;
}

std::vector<const store::Site*> sites_for(const app::OrgData& org, const Mode& mode) {
    std::vector<const store::Site*> out;
    if (mode.code == "video" || mode.code == "phone") return out;
    for (auto& s : org.sites)
        if (s.is_partner == mode.partner) out.push_back(&s);
    return out;
}

Week choose_week(std::optional<core::LocalDay> asked, core::LocalDay default_day,
                 core::LocalDay today, int horizon_days, std::optional<core::LocalDay> earliest) {
    Week w;
    w.last_day = today + horizon_days;
    w.this_monday = core::monday_of(std::clamp(earliest.value_or(today), today, w.last_day));
    w.monday = std::clamp(core::monday_of(asked.value_or(default_day)), w.this_monday,
                          core::monday_of(w.last_day));
    return w;
}

std::optional<core::LocalDay> asked_week(const http::Request& req) {
    auto w = req.q("week");
    return w ? core::parse_ymd(*w) : std::nullopt;
}

void add_week(Page& page, const std::vector<app::SlotView>& slots, const Week& week,
              const std::string& base_url) {
    auto monday = week.monday;
    // Group by local day of each slot's own zone; one entry per start time.
    std::map<core::LocalDay, std::map<core::Instant, const app::SlotView*>> by_day;
    for (auto& s : slots) by_day[core::local_day_of(s.start, s.zone)].emplace(s.start, &s);
    mstch::array days;
    for (core::LocalDay d = monday; d < monday + 7; ++d) {
        auto it = by_day.find(d);
        bool weekend = d - monday >= 5;
        if (weekend && it == by_day.end()) continue;
        mstch::array items;
        if (it != by_day.end()) {
            for (auto& [start, s] : it->second) {
                items.push_back(mstch::map{{"time", page.format_time(start, s->zone)},
                                           {"label", page.format_datetime(start, s->zone)},
                                           {"url", base_url + "slot=" + std::to_string(start)}});
            }
        }
        days.push_back(mstch::map{{"date", page.format_date(d)},
                                  {"iso", core::format_ymd(d)},
                                  {"slots", items},
                                  {"count", int(items.size())},
                                  {"empty", items.empty()}});
    }
    auto& data = page.data();
    data["days"] = days;
    data["has_slots"] = !by_day.empty();
    data["week_label"] = page.format_date(monday) + " – " + page.format_date(monday + 6);
    if (monday > week.this_monday)
        data["prev_url"] = base_url + "week=" + core::format_ymd(monday - 7);
    if (monday + 7 <= week.last_day)
        data["next_url"] = base_url + "week=" + core::format_ymd(monday + 7);
    data["has_nav"] = monday > week.this_monday || monday + 7 <= week.last_day;
}

mstch::map summary(Page& page, const app::OrgData& org, const store::Motif& m,
                   core::Channel channel, const store::Site* site, core::Instant start,
                   core::Instant end) {
    const auto& lang = page.lang();
    auto zone = site ? org.zone(*site) : org.default_zone();
    mstch::map out{
        {"motif", m.name.pick(lang)},
        {"when", page.format_datetime(start, zone)},
        {"duration", std::to_string((end - start) / 60)},
        {"channel", page.t("channel." + std::string(core::to_string(channel)))},
        {"is_video", channel == core::Channel::video},
        {"is_on_site", channel == core::Channel::on_site},
        {"is_phone", channel == core::Channel::phone},
    };
    bool partner = site && site->is_partner;
    auto zone_name = page.zone_label(site ? site->time_zone : org.org.default_time_zone);
    if (text::I18n::remote(channel, partner) && !zone_name.empty()) out["time_zone"] = zone_name;
    out["is_home_video"] = channel == core::Channel::video && !partner;
    if (channel == core::Channel::video && partner) {
        out["is_partner_video"] = true;
        out["partner_info"] = text::I18n::fill(
            page.t("manage.partner_info"), "{place}",
            site->name + ", " + site->address + ", " + site->postal_code + " " + site->city);
    }
    if (site && (channel == core::Channel::on_site || site->is_partner)) {
        out["site_name"] = site->name;
        out["site_address"] = site->address + ", " + site->postal_code + " " + site->city;
        out["site_notes"] = site->access_notes.pick(lang);
        out["site_partner"] = site->is_partner;
    }
    mstch::array docs;
    std::stringstream ss(m.documents.pick(lang));
    std::string line;
    while (std::getline(ss, line))
        if (!line.empty()) docs.push_back(line);
    out["has_documents"] = !docs.empty();
    out["documents"] = docs;
    return out;
}

core::CitizenInput citizen_from(const http::Params& form) {
    return {form_value(form, "first_name"), form_value(form, "last_name"),
            form_value(form, "email"),      form_value(form, "phone"),
            form_value(form, "language"),   form_value(form, "beneficiary_number"),
            form_value(form, "needs")};
}

void add_citizen_fields(Page& page, const core::CitizenInput& c) {
    auto& d = page.data();
    d["first_name"] = c.first_name;
    d["last_name"] = c.last_name;
    d["email"] = c.email;
    d["phone"] = c.phone;
    d["beneficiary_number"] = c.beneficiary_number;
    d["needs"] = c.needs;
    mstch::array langs;
    auto chosen = c.language.empty() ? page.lang() : c.language;
    for (auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
             {"fr", "Français"}, {"en", "English"}, {"nl", "Nederlands"}, {"de", "Deutsch"}})
        langs.push_back(mstch::map{{"code", code}, {"name", name}, {"selected", code == chosen}});
    d["citizen_languages"] = langs;
    d["language"] = chosen;
}

}  // namespace vg::web
