// The rest of the organisation's administration (issue 12, admin-rest): closed days.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/admin_form.hpp"
#include "app/administration.hpp"
#include "core/timefmt.hpp"

namespace vg::app {

using detail::Form;
using detail::journal;
using nlohmann::json;

namespace {

json closed_day_json(const store::ClosedDay& d) {
    return {{"first", core::format_ymd(d.first_day)},
            {"last", core::format_ymd(d.last_day)},
            {"label", d.label},
            {"site", d.site_id ? json(*d.site_id) : json(nullptr)}};
}

}  // namespace

AdminResult Administration::add_closed_day(Id org, const Fields& f, const std::string& actor) {
    Form in{f, {}};
    store::ClosedDay d;
    d.organisation_id = org;
    d.created_by = actor;
    d.label = in.text("label", true, 120);
    auto day = [&](const std::string& name, bool required) -> std::optional<core::LocalDay> {
        auto v = in.text(name, required, 10);
        if (v.empty()) return std::nullopt;
        auto parsed = core::parse_ymd(v);
        if (!parsed) in.fail(name, "date");
        return parsed;
    };
    auto first = day("first", true);
    auto last = day("last", false);
    if (first) {
        d.first_day = *first;
        d.last_day = last.value_or(*first);
        if (last && *last < *first)
            in.fail("last", "closed_day_order");
        else if (d.last_day - d.first_day >= kMaxClosedDays)
            in.fail("last", "closed_day_length");
    }
    auto site = core::trim(in.raw("site"));
    AdminResult r;
    if (!site.empty()) {
        // A site of another organisation (or none) is not found, before the form's errors.
        Id id = 0;
        auto [p, ec] = std::from_chars(site.data(), site.data() + site.size(), id);
        if (ec != std::errc() || p != site.data() + site.size() ||
            !of_organisation(org, "site", id)) {
            r.not_found = true;
            return r;
        }
        d.site_id = id;
    }
    r.errors = in.errors;
    if (!r.ok()) return r;
    booking_.store().write([&](store::Session& s) {
        // The live appointments of the closed days refuse them: the administrator moves or
        // cancels them first (each citizen told), then closes.
        for (auto& x : s.sites(org)) {
            if (d.site_id && x.id != *d.site_id) continue;
            auto zone = core::zone_or_default(x.time_zone);
            auto hit = s.appointments_between(org, core::start_of_local_day(d.first_day, zone),
                                              core::start_of_local_day(d.last_day + 1, zone), true,
                                              std::nullopt, x.id);
            r.hit.insert(r.hit.end(), hit.begin(), hit.end());
        }
        if (!r.hit.empty()) {
            std::sort(r.hit.begin(), r.hit.end(),
                      [](auto& a, auto& b) { return a.starts_at < b.starts_at; });
            r.errors.emplace("first", "admin.error_closed_day_booked");
            return;
        }
        r.id = s.insert_closed_day(d);
        journal(s, org, actor, "holiday", r.id, "create", nullptr, closed_day_json(d));
    });
    if (r.ok()) booking_.configuration_changed();
    return r;
}

AdminResult Administration::delete_closed_day(Id org, Id id, const std::string& actor) {
    AdminResult r;
    r.id = id;
    booking_.store().write([&](store::Session& s) {
        std::optional<store::ClosedDay> found;
        for (auto& d : s.closed_days(org, std::numeric_limits<core::LocalDay>::min()))
            if (d.id == id) found = d;
        if (!found || !s.delete_closed_day(org, id)) {
            r.not_found = true;
            return;
        }
        journal(s, org, actor, "holiday", id, "delete", closed_day_json(*found), nullptr);
    });
    if (r.ok()) booking_.configuration_changed();
    return r;
}

}  // namespace vg::app
