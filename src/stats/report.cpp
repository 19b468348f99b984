#include "stats/report.hpp"

#include <nlohmann/json.hpp>

#include "stats/handoff.hpp"
#include "stats/xlsx.hpp"

namespace vg::stats {

std::optional<Report> report(store::Store& db, Id organisation_id, const Filter& f,
                             bool with_messages) {
    std::optional<Report> r;
    auto prev = f;
    prev.period = previous(f.period);
    db.read([&](store::Session& s) {
        auto org = s.organisation_by_id(organisation_id);
        if (!org) return;
        r.emplace();
        r->organisation = *org;
        r->sites = s.sites(organisation_id);
        r->motifs = s.motifs(organisation_id);
        r->agents = s.agents(organisation_id);
        r->zones = Zones::of(*org, r->sites);
        auto [from, to] = covering_instants({prev.period.first, f.period.last});
        // Both periods from one pass of the cursor: no row is kept. The figures are
        // computed on another thread while the cursor reads on.
        Accumulator current(f, r->zones), previous(prev, r->zones);
        Handoff<store::StatsAppointment> rows([&](const store::StatsAppointment& a) {
            current.add(a);
            previous.add(a);
        });
        s.stats_appointments(organisation_id, from, to, false,
                             [&](const store::StatsAppointment& a) { rows.push(a); });
        rows.finish();
        r->current = current.finish();
        r->previous = previous.finish();
        // Free time offered: every plan of the organisation, absences and closed days of
        // both periods, sites' calendars with their public holidays.
        auto whole = Period{prev.period.first, f.period.last};
        auto [af, at] = covering_instants(whole);
        auto data = s.availability_data(organisation_id, 0, af, at, false);
        std::vector<core::SiteCalendar> calendars;
        for (auto& site : r->sites)
            calendars.push_back(core::site_calendar(
                site.id, r->zones.of_site(site.id),
                site.holiday_region.empty() ? org->holiday_region : site.holiday_region,
                whole.first, whole.last));
        offer(r->current, data, calendars, f);
        offer(r->previous, data, calendars, prev);
        auto samples = s.first_slot_samples(organisation_id, whole.first, whole.last);
        first_slots(r->current, samples, f);
        first_slots(r->previous, samples, prev);
        if (with_messages) {
            auto [mf, mt] = covering_instants(f.period);
            r->messages = messages_by_month(s.stats_messages(organisation_id, mf, mt), f.period,
                                            r->zones.organisation);
        }
    });
    return r;
}

int export_rows(store::Store& db, Id organisation_id, const Filter& f, bool with_contacts,
                const std::string& lang, const std::function<void(const std::vector<Cell>&)>& each,
                const std::function<void(int)>& counted) {
    int lines = 0;
    db.read([&](store::Session& s) {
        auto org = s.organisation_by_id(organisation_id);
        if (!org) return;
        auto sites = s.sites(organisation_id);
        auto zones = Zones::of(*org, sites);
        Names names;
        for (auto& x : sites) names.sites[x.id] = x.name;
        for (auto& m : s.motifs(organisation_id)) names.motifs[m.id] = m.name.pick(lang);
        for (auto& a : s.agents(organisation_id)) names.agents[a.id] = a.display_name;
        auto [from, to] = covering_instants(f.period);
        if (counted) {
            int n = 0;
            s.stats_appointments(organisation_id, from, to, false,
                                 [&](const store::StatsAppointment& a) {
                                     if (exported(f, a, zones)) ++n;
                                 });
            counted(n);
        }
        s.stats_appointments(organisation_id, from, to, with_contacts,
                             [&](const store::StatsAppointment& a) {
                                 if (!exported(f, a, zones)) return;
                                 each(export_cells(a, names, zones, with_contacts));
                                 ++lines;
                             });
    });
    return lines;
}

namespace {

// Thrown through the store's cursor when the sink says nobody reads any more: the read
// transaction ends at once.
struct Abandoned {};

}  // namespace

int export_csv(store::Store& db, Id organisation_id, const Filter& f, bool with_contacts,
               const std::string& lang, const Sink& out, const std::function<void(int)>& before) {
    int lines = 0;
    bool started = false;
    auto put = [&](const std::string& text) {
        if (!out(text)) throw Abandoned{};
    };
    auto start = [&] {
        if (started) return;
        started = true;
        put(csv_header(with_contacts));
    };
    try {
        export_rows(
            db, organisation_id, f, with_contacts, lang,
            [&](const std::vector<Cell>& cells) {
                start();
                put(csv_line(cells));
                ++lines;
            },
            before ? std::function<void(int)>([&](int n) {
                before(n);
                start();
            })
                   : std::function<void(int)>());
        start();  // no line: the header alone
    } catch (const Abandoned&) {
    }
    return lines;
}

int export_xlsx(store::Store& db, Id organisation_id, const Filter& f, bool with_contacts,
                const std::string& lang, const Sink& out, const std::function<void(int)>& before) {
    XlsxWriter xlsx(export_columns(with_contacts));
    int lines = export_rows(db, organisation_id, f, with_contacts, lang,
                            [&](const std::vector<Cell>& cells) { xlsx.add(cells); });
    auto file = xlsx.finish_file();
    if (before) before(lines);
    file.copy_to(out);
    return lines;
}

void journal_export(store::Store& db, Id organisation_id, const std::string& actor,
                    const std::string& query, int lines) {
    db.write([&](store::Session& s) {
        s.add_audit({organisation_id, actor, "stats.export_contacts", "organisation",
                     organisation_id,
                     nlohmann::json({{"filter", query}, {"lines", lines}}).dump()});
    });
}

}  // namespace vg::stats
