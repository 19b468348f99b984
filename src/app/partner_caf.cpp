// The organisation's view of all its partners (issue 15): see partner_caf.hpp.
#include "app/partner_caf.hpp"

#include <algorithm>

namespace vg::app {

std::optional<int> resolved_percent(int resolved, int visits) {
    if (visits <= 0) return std::nullopt;
    return (resolved * 200 + visits) / (2 * visits);
}

std::vector<core::ReportPeriod> PartnerCaf::months(Id org) {
    std::vector<core::ReportPeriod> out;
    auto p = core::period_of(core::PeriodKind::month, screens_.today(org));
    for (int i = 0; i < kOverviewMonths; ++i, p = p.previous()) out.push_back(p);
    std::reverse(out.begin(), out.end());
    return out;
}

PartnerOverview PartnerCaf::build(Id org, const PartnerView& v,
                                  const std::vector<core::ReportPeriod>& m) {
    PartnerOverview o;
    o.view = v;
    Id id = v.partner.id;
    // Opening hours: every site not archived meets the minimum.
    auto sites = screens_.sites(org, id);
    o.sites = int(sites.size());
    if (!sites.empty()) {
        bool met = true;
        for (auto& x : sites)
            if (auto h = hours_.site_hours(org, id, x.id); h && !h->compliance.meets()) met = false;
        o.hours = met ? "met" : "not_met";
    }
    // The reports due (with the ended convention's last periods), as the partner's home.
    auto home = screens_.home(org, id);
    if (home)
        for (auto& d : home->due) o.reports.push_back({d.period, 0, 0, d.report, d.overdue});
    // One read of the visits from the oldest day counted.
    core::LocalDay from = m.front().first_day(), to = m.back().last_day();
    if (!o.reports.empty()) {
        from = std::min(from, o.reports.front().period.first_day());
        to = std::max(to, o.reports.back().period.last_day());
    }
    o.visits_by_month.assign(m.size(), 0);
    booking_.store().read([&](store::Session& s) {
        for (auto& x : s.partner_visits(org, id, from, to)) {
            bool yes = x.visit.resolved == core::Resolved::yes;
            for (size_t i = 0; i < m.size(); ++i)
                if (m[i].contains(x.day)) {
                    ++o.visits_by_month[i];
                    ++o.visits;
                    if (yes) ++o.resolved;
                }
            for (auto& r : o.reports)
                if (r.period.contains(x.day)) {
                    ++r.visits;
                    if (yes) ++r.resolved;
                }
        }
        o.bookings_on_behalf = s.partner_bookings_on_behalf(org, id);
    });
    for (auto& r : o.reports) {
        if (r.report) o.last_report = r;
        if (r.overdue) ++o.overdue;
    }
    return o;
}

std::vector<PartnerOverview> PartnerCaf::overview(Id org) {
    std::vector<PartnerOverview> out;
    auto m = months(org);
    PartnerAdmin admin(booking_, nullptr);
    for (auto& v : admin.partners(org)) out.push_back(build(org, v, m));
    return out;
}

std::optional<PartnerOverview> PartnerCaf::partner(Id org, Id id) {
    PartnerAdmin admin(booking_, nullptr);
    auto v = admin.partner(org, id);
    if (!v) return std::nullopt;
    return build(org, *v, months(org));
}

}  // namespace vg::app
