// Data set generator for the benchmarks: a département-sized organisation (slug "dept").
//
//   gen_departement --db PATH [--seed N] [--appointments 100000] [--slug dept] [--history]
//
// Creates (after migrate): 25 sites (2 partner Points numériques), 40 public motifs, 200 agents
// with 2-4 weekly opening plans each, one-off and recurring absences, and live appointments
// over the next six months. With --history (the statistics' benchmark, issue 14) the
// appointments fill the past year instead, each with what the statistics read: its outcome
// (held, no-show, cancelled by the citizen or the agency, with events), a qualification and a
// survey answer for some of those held, and the room's journal of the video ones (joins,
// admission, connection through the relay or not, ICE restarts, failures, fall-backs to audio,
// end), timed as they would be. Appointments are placed on a 30-minute grid inside plan
// occurrences (public holidays and absences excluded), with a per-agent occupancy map so that
// no two live appointments of one agent overlap. Everything is written in one transaction
// through store::Session. Deterministic for a given seed and day.
#include <date/tz.h>

#include <algorithm>
#include <bit>
#include <bitset>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "app/memberships.hpp"
#include "core/clock.hpp"
#include "core/holidays.hpp"
#include "core/timefmt.hpp"
#include "store/store.hpp"

using namespace vg;
using core::Id;
using core::Instant;
using core::LocalDay;

namespace {

constexpr std::uint8_t V = core::channel_bit(core::Channel::video);
constexpr std::uint8_t S = core::channel_bit(core::Channel::on_site);
constexpr std::uint8_t P = core::channel_bit(core::Channel::phone);
constexpr int kSites = 25;
constexpr int kPartnerSites = 2;
constexpr int kAgencies = kSites - kPartnerSites;
constexpr int kMotifs = 40;
constexpr int kAgents = 200;
int kDays = 183;          // six months of appointments, from today (--history: the past 365 days)
constexpr int kCell = 5;  // minutes per occupancy cell
constexpr int kCells = 1440 / kCell;
using DayMap = std::bitset<kCells>;

[[noreturn]] void usage() {
    std::cerr << "usage: gen_departement --db PATH [--seed N] [--appointments N] [--slug S] "
                 "[--history]\n";
    std::exit(2);
}

store::LocalText fr(std::string s) {
    return store::LocalText{{{"fr", std::move(s)}}};
}

const char* kCities[kSites] = {"Évry-Courcouronnes",
                               "Massy",
                               "Corbeil-Essonnes",
                               "Savigny-sur-Orge",
                               "Sainte-Geneviève-des-Bois",
                               "Palaiseau",
                               "Athis-Mons",
                               "Viry-Châtillon",
                               "Draveil",
                               "Ris-Orangis",
                               "Brétigny-sur-Orge",
                               "Grigny",
                               "Les Ulis",
                               "Yerres",
                               "Montgeron",
                               "Vigneux-sur-Seine",
                               "Brunoy",
                               "Étampes",
                               "Arpajon",
                               "Dourdan",
                               "Milly-la-Forêt",
                               "Juvisy-sur-Orge",
                               "Longjumeau",
                               "Orsay",
                               "Mennecy"};
const char* kFirst[] = {"Camille", "Karim", "Sophie", "Thomas", "Inès",  "Julien", "Léa",
                        "Mohamed", "Chloé", "Lucas",  "Emma",   "Hugo",  "Aïcha",  "Nathan",
                        "Manon",   "Yanis", "Sarah",  "Louis",  "Fatou", "Jules"};
const char* kLast[] = {"Martin", "Bernard", "Dubois", "Thomas", "Robert",   "Richard", "Petit",
                       "Durand", "Leroy",   "Moreau", "Simon",  "Laurent",  "Lefèvre", "Michel",
                       "Garcia", "Benali",  "Nguyen", "Diallo", "Rousseau", "Fontaine"};

struct PlanInfo {
    Id agent = 0;
    int agent_index = 0;
    Id site = 0;
    core::WeeklyRule rule;
    std::vector<Id> motifs;  // empty: all
    std::uint8_t channels = 0;
};

// A plan on one day: where appointments may be placed.
struct Occurrence {
    int plan = 0;
    int day = 0;  // offset from today
    int start_minute = 0;
    int end_minute = 0;
};

// What the statistics read of a past appointment (--history): its events, outcome, survey
// and, for a video one held or missed, the room's journal, each at the time it happened (the
// store's clock). Returns the rows written.
long write_history(store::Session& s, Id org, Id id, const store::Appointment& a,
                   std::mt19937_64& rng, core::ManualClock& clock) {
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };
    long rows = 0;
    const Instant t = a.starts_at;
    if (chance(0.3)) {
        clock.set(t - uniform(3600, 86400));
        s.add_event(id, "presence_confirmed", "citizen", "{}");
        ++rows;
    }
    if (chance(0.05)) {
        clock.set(a.created_at + 60);
        s.add_event(id, "rescheduled", "citizen", "{}");
        ++rows;
    }
    if (a.status == store::AppointmentStatus::cancelled) {
        clock.set(t - uniform(3600, 5 * 86400));
        const bool citizen = chance(0.6);
        s.add_event(id, "cancelled", citizen ? "citizen" : "account:1",
                    citizen ? R"({"by":"citizen"})" : R"({"by":"agency"})");
        return rows + 1;
    }
    if (a.status == store::AppointmentStatus::honoured) {
        static const char* const kResolved[] = {"yes", "yes", "partially", "no"};
        static const char* const kTypes[] = {"claim", "information", "document", "complaint"};
        static const char* const kThemes[] = {"housing", "family", "income", "disability"};
        static const char* const kAutonomy[] = {"autonomous", "needs_help", "unable"};
        if (chance(0.7)) {
            s.set_outcome({id, org, kResolved[uniform(0, 3)], kTypes[uniform(0, 3)],
                           kThemes[uniform(0, 3)], kAutonomy[uniform(0, 2)], "account:1",
                           a.ends_at});
            ++rows;
        }
        if (chance(0.25)) {
            static const int kRatings[] = {1, 2, 3, 4, 4, 5, 5, 5};
            clock.set(a.ends_at + uniform(600, 86400));
            s.insert_survey(org, id, kRatings[uniform(0, 7)], chance(0.3) ? "Merci" : "");
            ++rows;
        }
    }
    if (a.channel != core::Channel::video) return rows;
    static const char* const kBrowsers[] = {R"({"browser":"chrome"})", R"({"browser":"chrome"})",
                                            R"({"browser":"chrome"})", R"({"browser":"firefox"})",
                                            R"({"browser":"safari"})", R"({"browser":"safari"})",
                                            R"({"browser":"edge"})",   R"({"browser":"other"})"};
    auto event = [&](Instant when, const char* role, const char* who, const char* kind,
                     const char* detail) {
        clock.set(when);
        s.add_room_event({0, id, org, 0, role, who, kind, detail});
        ++rows;
    };
    const char* browser = kBrowsers[uniform(0, 7)];
    const Instant joined = t - uniform(0, 600);
    event(t - uniform(0, 300), "agent", "a1", "joined", R"({"browser":"chrome"})");
    if (a.status == store::AppointmentStatus::no_show) return rows;
    event(joined, "citizen", "c1", "joined", browser);
    const Instant admitted = std::max(joined, t) + uniform(0, 420);
    event(admitted, "agent", "a1", "admitted", R"({"participant":"c1"})");
    const bool relay = chance(0.15);
    event(admitted + 3, "citizen", "c1", "connected",
          relay ? R"({"detail":"relay"})" : R"({"detail":"srflx"})");
    event(admitted + 3, "agent", "a1", "connected", R"({"detail":"host"})");
    if (chance(0.03))
        event(admitted + 60, "citizen", "c1", "connection_failed", R"({"detail":"ice"})");
    if (chance(0.06))
        event(admitted + 61, "citizen", "c1", "ice_restart", R"({"detail":"failed"})");
    if (chance(0.02)) event(admitted + 120, "citizen", "c1", "audio_fallback", "");
    const Instant end = admitted + (a.ends_at - a.starts_at) - uniform(-300, 600);
    if (chance(0.01)) event(end - 60, "agent", "a1", "moved_to_phone", "");
    event(end, "agent", "a1", "ended", "");
    event(end + 1, "citizen", "c1", "left", "");
    return rows;
}

}  // namespace

int main(int argc, char** argv) {
    std::string db_path;
    unsigned long long seed = 42;
    long target = 100000;
    std::string slug = "dept";
    bool history = false;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) usage();
            return argv[++i];
        };
        if (a == "--db")
            db_path = next();
        else if (a == "--seed")
            seed = std::stoull(next());
        else if (a == "--appointments")
            target = std::stol(next());
        else if (a == "--slug")
            slug = next();
        else if (a == "--history")
            history = true;
        else
            usage();
    }
    if (db_path.empty() || target < 0) usage();

    const auto t0 = std::chrono::steady_clock::now();
    // The store's clock: the room's journal and the appointments' events are written at the
    // times they would have happened (--history).
    core::ManualClock clock(0);
    auto db = store::open_sqlite_store({db_path, false, 10000, &clock});
    db->migrate();

    std::mt19937_64 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };

    const auto* paris = date::locate_zone("Europe/Paris");
    const Instant now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    clock.set(now);
    const LocalDay today = core::local_day_of(now, paris);
    if (history) kDays = 365;
    // The first day of the appointments: today, or a year ago (--history).
    const LocalDay day0 = history ? today - kDays : today;
    const LocalDay valid_from = core::monday_of(day0) - 14;
    auto at = [&](LocalDay day, int minute) -> Instant {
        auto local = date::local_seconds{std::chrono::seconds{Instant(day) * 86400 + minute * 60}};
        return paris->to_sys(local, date::choose::earliest).time_since_epoch().count();
    };

    long n_plans = 0, n_absences = 0, n_recurring = 0, n_appointments = 0, attempts = 0;
    long n_events = 0;
    long capacity_cells = 0, used_cells = 0;
    bool exists = false;

    db->write([&](store::Session& s) {
        if (s.organisation_by_slug(slug)) {
            exists = true;
            return;
        }
        store::Organisation o;
        o.slug = slug;
        o.name = "Caf départementale (jeu de données de test)";
        o.languages = {"fr"};
        o.default_time_zone = "Europe/Paris";
        o.holiday_region = "fr_metropole";
        o.sender_email = "rendez-vous@dept.bench.test";
        Id org = s.insert_organisation(o);
        s.insert_terms({0, org, 1,
                        fr("1. Objet. Prendre rendez-vous vaut acceptation des présentes "
                           "conditions.\n2. Données personnelles : traitées conformément au RGPD."),
                        fr("Je me connecte à l'heure indiquée.\nJe prépare les pièces utiles."),
                        0});

        // --- sites: 23 agencies, then 2 partner Points numériques ---------------------------
        std::vector<Id> sites;
        for (int i = 0; i < kSites; ++i) {
            store::Site x;
            x.organisation_id = org;
            bool partner = i >= kAgencies;
            x.name = (partner ? std::string("Point numérique – Médiathèque de ")
                              : std::string("Agence de ")) +
                     kCities[i];
            x.address = std::to_string(1 + i) + " rue de la République";
            x.postal_code = "91" + std::to_string(100 + i * 10);
            x.city = kCities[i];
            x.time_zone = "Europe/Paris";
            x.is_partner = partner;
            x.access_notes = fr("Accès de plain-pied.");
            sites.push_back(s.insert_site(x));
        }

        // --- motifs -------------------------------------------------------------------------
        const int durations[] = {30, 20, 45, 30, 60, 30, 45, 20};
        const std::uint8_t channel_sets[] = {V | S | P, V | S, V | P,     V | S | P,
                                             V,         S | P, V | S | P, S};
        std::vector<Id> motifs;
        std::vector<core::Motif> rules;
        for (int k = 0; k < kMotifs; ++k) {
            store::Motif m;
            m.organisation_id = org;
            m.code = "motif_" + std::to_string(k + 1);
            m.name = fr("Motif n° " + std::to_string(k + 1));
            m.theme = fr("Thème " + std::to_string(k / 8 + 1));
            m.documents = fr("Une pièce d'identité\nLe courrier concerné");
            m.rules.duration_minutes = durations[k % 8];
            m.rules.buffer_minutes = m.rules.duration_minutes >= 45 ? 5 : 0;
            m.rules.min_lead_minutes = 0;
            m.rules.horizon_days = 200;
            m.rules.channels = channel_sets[(k * 3) % 8];
            m.is_public = true;
            m.asks_beneficiary_number = k % 5 == 0;
            m.position = k;
            Id id = s.insert_motif(m);
            m.rules.id = id;
            motifs.push_back(id);
            rules.push_back(m.rules);
        }
        auto motif_index = [&](Id id) {
            return int(std::find(motifs.begin(), motifs.end(), id) - motifs.begin());
        };

        // --- agents and plans ---------------------------------------------------------------
        std::vector<Id> agents;
        std::vector<PlanInfo> plans;
        auto random_mask = [&](int min_days, std::uint8_t allowed) {
            for (;;) {
                std::uint8_t m = 0;
                for (int d = 0; d < 5; ++d)
                    if ((allowed & (1u << d)) && chance(0.75)) m |= std::uint8_t(1u << d);
                if (std::popcount(m) >= std::min(min_days, std::popcount(allowed))) return m;
            }
        };
        auto random_channels = [&]() -> std::uint8_t {
            int r = uniform(0, 99);
            return r < 60 ? (V | S | P) : r < 75 ? V : r < 90 ? (V | S) : S;
        };
        auto restriction = [&]() {
            std::vector<Id> out;
            if (!chance(0.25)) return out;
            int n = uniform(4, 8);
            std::set<int> picked;
            while (int(picked.size()) < n) picked.insert(uniform(0, kMotifs - 1));
            for (int k : picked) out.push_back(motifs[std::size_t(k)]);
            return out;
        };
        for (int i = 0; i < kAgents; ++i) {
            store::Agent a;
            a.organisation_id = org;
            a.display_name = std::string(kFirst[i % 20]) + " " + kLast[(i / 20 + i) % 20];
            a.email = "agent" + std::to_string(i + 1) + "@dept.bench.test";
            a.notify_mode = i % 3 ? "immediate" : "digest";
            Id agent = s.insert_agent(a);
            a.id = agent;
            app::link_agent_account(s, a);  // an account without password, as demo and import
            agents.push_back(agent);

            const int home = i % kAgencies;
            const int second = (home + 1 + i % 5) % kAgencies;
            const int n = uniform(2, 4);
            auto add = [&](int site, std::uint8_t days, int from, int to, int every,
                           std::uint8_t channels) {
                if (!days) return;
                PlanInfo p;
                p.agent = agent;
                p.agent_index = i;
                p.site = sites[std::size_t(site)];
                p.rule = {days, from, to, valid_from, std::nullopt, every};
                if (chance(0.1)) p.rule.valid_until = today + 120;
                p.motifs = restriction();
                p.channels = channels;
                plans.push_back(std::move(p));
            };
            const int morning_start = chance(0.5) ? 8 * 60 + 30 : 9 * 60;
            const int morning_end = morning_start + (chance(0.5) ? 210 : 180);
            const int afternoon_start = chance(0.7) ? 13 * 60 + 30 : 14 * 60;
            const int afternoon_end = chance(0.5) ? 17 * 60 : 16 * 60 + 30;
            std::uint8_t m1 = random_mask(3, 0b11111);
            std::uint8_t m2 = random_mask(2, 0b11111);
            add(home, m1, morning_start, morning_end, 1, random_channels());
            add(home, m2, afternoon_start, afternoon_end, 1, random_channels());
            if (n >= 3) {
                std::uint8_t rest = std::uint8_t(~m1 & 0b11111);
                if (i % 10 == 0)  // a video desk at a Point numérique
                    add(kAgencies + (i / 10) % kPartnerSites, rest ? rest : std::uint8_t(0b100000),
                        9 * 60, 12 * 60, chance(0.4) ? 2 : 1, V);
                else if (rest)
                    add(second, rest, 9 * 60, 12 * 60, chance(0.4) ? 2 : 1, random_channels());
                else  // every other Saturday morning
                    add(home, 0b100000, 9 * 60, 12 * 60, 2, random_channels());
            }
            if (n >= 4) {
                std::uint8_t rest = std::uint8_t(~m2 & 0b11111);
                if (rest)
                    add(second, rest, 14 * 60, 17 * 60, chance(0.4) ? 2 : 1, random_channels());
                else  // late opening every other week
                    add(home, m2, 17 * 60, 18 * 60 + 30, 2, random_channels());
            }
        }
        for (auto& p : plans) {
            core::OpeningPlan op;
            op.agent_id = p.agent;
            op.site_id = p.site;
            op.rule = p.rule;
            op.motif_ids = p.motifs;
            op.channels = p.channels;
            s.insert_plan(org, op);
            ++n_plans;
        }

        // --- occupancy maps: holidays and absences block, plans open ------------------------
        std::vector<DayMap> blocked(std::size_t(kAgents) * kDays);
        std::vector<DayMap> taken(std::size_t(kAgents) * kDays);
        auto cell_of = [](int agent, int day) {
            return std::size_t(agent) * kDays + std::size_t(day);
        };
        auto mark = [](DayMap& m, int from_minute, int to_minute) {
            for (int c = std::max(0, from_minute / kCell);
                 c < std::min(kCells, (to_minute + kCell - 1) / kCell); ++c)
                m.set(std::size_t(c));
        };

        std::set<LocalDay> holidays;
        for (auto& h :
             core::holidays_between(core::HolidayRegion::fr_metropole, day0, day0 + kDays))
            holidays.insert(h.day);

        // Recurring absences: a team meeting for 40% of agents, a weekly training slot for some.
        for (int i = 0; i < kAgents; ++i) {
            if (!chance(0.4)) continue;
            std::uint8_t day = std::uint8_t(1u << uniform(0, 4));
            int start = chance(0.5) ? 9 * 60 : 13 * 60 + 30;
            core::RecurringAbsence r{
                agents[std::size_t(i)],
                {day, start, start + 60, valid_from, std::nullopt, chance(0.5) ? 2 : 1}};
            s.insert_recurring_absence(org, r, "réunion d'équipe");
            ++n_recurring;
            for (int d = 0; d < kDays; ++d)
                if (r.rule.applies_on(day0 + d))
                    mark(blocked[cell_of(i, d)], r.rule.start_minute, r.rule.end_minute);
        }
        // One-off absences: leave (1-5 whole days) or a half-day training.
        for (int k = 0; k < 300; ++k) {
            int i = uniform(0, kAgents - 1);
            int d = uniform(0, kDays - 6);
            if (chance(0.6)) {
                int len = uniform(1, 5);
                s.insert_absence(org,
                                 {agents[std::size_t(i)], {at(day0 + d, 0), at(day0 + d + len, 0)}},
                                 "congés");
                for (int j = 0; j < len; ++j) mark(blocked[cell_of(i, d + j)], 0, 1440);
            } else {
                s.insert_absence(
                    org, {agents[std::size_t(i)], {at(day0 + d, 8 * 60), at(day0 + d, 13 * 60)}},
                    "formation");
                mark(blocked[cell_of(i, d)], 8 * 60, 13 * 60);
            }
            ++n_absences;
        }

        // Starts on a 30-minute grid inside the plans' occurrences.
        std::vector<Occurrence> occurrences;
        struct Start {
            int occurrence;
            int minute;
        };
        std::vector<Start> starts;
        const int first_minute_today = int((now - at(today, 0)) / 60) + 60;
        for (int d = 0; d < kDays; ++d) {
            if (holidays.count(day0 + d)) continue;
            for (int p = 0; p < int(plans.size()); ++p) {
                const auto& plan = plans[std::size_t(p)];
                if (!plan.rule.applies_on(day0 + d)) continue;
                int occ = int(occurrences.size());
                occurrences.push_back({p, d, plan.rule.start_minute, plan.rule.end_minute});
                for (int m = plan.rule.start_minute; m + 20 <= plan.rule.end_minute; m += 30) {
                    if (!history && d == 0 && m < first_minute_today) continue;
                    starts.push_back({occ, m});
                    capacity_cells += 30 / kCell;
                }
            }
        }
        if (starts.empty()) return;

        // --- appointments -------------------------------------------------------------------
        std::uniform_int_distribution<std::size_t> pick_start(0, starts.size() - 1);
        const long max_attempts = std::max<long>(1000, target * 40);
        while (n_appointments < target && attempts < max_attempts) {
            ++attempts;
            const Start st = starts[pick_start(rng)];
            const Occurrence& occ = occurrences[std::size_t(st.occurrence)];
            const PlanInfo& plan = plans[std::size_t(occ.plan)];
            int k = plan.motifs.empty()
                        ? uniform(0, kMotifs - 1)
                        : motif_index(
                              plan.motifs[std::size_t(uniform(0, int(plan.motifs.size()) - 1))]);
            const core::Motif& m = rules[std::size_t(k)];
            const std::uint8_t channels = std::uint8_t(plan.channels & m.channels);
            if (!channels) continue;
            if (st.minute + m.duration_minutes > occ.end_minute) continue;
            const std::size_t cell = cell_of(plan.agent_index, occ.day);
            DayMap want;
            mark(want, st.minute, st.minute + m.duration_minutes);
            if ((want & (taken[cell] | blocked[cell])).any()) continue;
            taken[cell] |= want;
            used_cells += long(want.count());

            std::vector<core::Channel> allowed;
            for (auto c : {core::Channel::video, core::Channel::on_site, core::Channel::phone})
                if (channels & core::channel_bit(c)) allowed.push_back(c);
            store::Appointment a;
            a.organisation_id = org;
            a.motif_id = m.id;
            a.site_id = plan.site;
            a.agent_id = plan.agent;
            a.channel = allowed[std::size_t(uniform(0, int(allowed.size()) - 1))];
            a.starts_at = at(day0 + occ.day, st.minute);
            a.ends_at = a.starts_at + Instant(m.duration_minutes) * 60;
            a.status = chance(0.15) ? store::AppointmentStatus::confirmed
                                    : store::AppointmentStatus::booked;
            a.citizen.first_name = kFirst[uniform(0, 19)];
            a.citizen.last_name = kLast[uniform(0, 19)];
            a.citizen.email = "citoyen" + std::to_string(n_appointments) + "@example.test";
            if (chance(0.5))
                a.citizen.phone = "06" + std::to_string(10000000 + uniform(0, 89999999));
            a.citizen.language = "fr";
            a.terms_version = 1;
            a.token_hash = "bench-" + slug + "-" + std::to_string(n_appointments);
            a.token_expires_at = a.ends_at + 7 * 86400;
            a.created_at = a.updated_at = now - uniform(0, 60 * 86400);
            if (history) {
                a.created_at = a.updated_at = a.starts_at - uniform(3600, 40 * 86400);
                a.citizen.language = chance(0.9) ? "fr" : chance(0.5) ? "en" : "de";
                a.booked_by.kind = chance(0.7) ? "citizen" : chance(0.8) ? "agent" : "partner";
                const int r = uniform(0, 99);
                a.status = r < 78   ? store::AppointmentStatus::honoured
                           : r < 85 ? store::AppointmentStatus::no_show
                                    : store::AppointmentStatus::cancelled;
                if (a.status == store::AppointmentStatus::cancelled)
                    a.cancel_reason = chance(0.5) ? "Empêchement" : "";
            }
            const Id id = s.insert_appointment(a);
            ++n_appointments;
            if (history) {
                n_events += write_history(s, org, id, a, rng, clock);
                clock.set(now);
            }
        }
    });
    if (exists) {
        std::cerr << "organisation \"" << slug << "\" already exists in " << db_path << "\n";
        return 1;
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "sites=%d motifs=%d agents=%d plans=%ld absences=%ld recurring_absences=%ld "
        "appointments=%ld attempts=%ld history_rows=%ld\n",
        kSites, kMotifs, kAgents, n_plans, n_absences, n_recurring, n_appointments, attempts,
        n_events);
    std::printf("plan grid filled: %.1f%% of open time over %d days\n",
                capacity_cells ? 100.0 * double(used_cells) / double(capacity_cells) : 0.0, kDays);
    std::printf("elapsed: %.2f s\n", elapsed);
    if (n_appointments < target) {
        std::fprintf(stderr, "only %ld of %ld appointments could be placed\n", n_appointments,
                     target);
        return 1;
    }
    return 0;
}
