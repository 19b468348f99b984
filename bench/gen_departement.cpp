// Data set generator for the benchmarks: a département-sized organisation (slug "dept").
//
//   gen_departement --db PATH [--seed N] [--appointments 100000]
//
// Creates (after migrate): 25 sites (2 partner Points numériques), 40 public motifs, 200 agents
// with 2-4 weekly opening plans each, one-off and recurring absences, and live appointments
// over the next six months. Appointments are placed on a 30-minute grid inside plan
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
constexpr int kDays = 183;  // six months of appointments, from today
constexpr int kCell = 5;    // minutes per occupancy cell
constexpr int kCells = 1440 / kCell;
using DayMap = std::bitset<kCells>;

[[noreturn]] void usage() {
    std::cerr << "usage: gen_departement --db PATH [--seed N] [--appointments N]\n";
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

}  // namespace

int main(int argc, char** argv) {
    std::string db_path;
    unsigned long long seed = 42;
    long target = 100000;
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
        else
            usage();
    }
    if (db_path.empty() || target < 0) usage();

    const auto t0 = std::chrono::steady_clock::now();
    auto db = store::open_sqlite_store({db_path, false, 10000});
    db->migrate();

    std::mt19937_64 rng(seed);
    auto uniform = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    auto chance = [&](double p) { return std::uniform_real_distribution<double>(0, 1)(rng) < p; };

    const auto* paris = date::locate_zone("Europe/Paris");
    const Instant now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const LocalDay today = core::local_day_of(now, paris);
    const LocalDay valid_from = core::monday_of(today) - 14;
    auto at = [&](LocalDay day, int minute) -> Instant {
        auto local = date::local_seconds{std::chrono::seconds{Instant(day) * 86400 + minute * 60}};
        return paris->to_sys(local, date::choose::earliest).time_since_epoch().count();
    };

    long n_plans = 0, n_absences = 0, n_recurring = 0, n_appointments = 0, attempts = 0;
    long capacity_cells = 0, used_cells = 0;
    bool exists = false;

    db->write([&](store::Session& s) {
        if (s.organisation_by_slug("dept")) {
            exists = true;
            return;
        }
        store::Organisation o;
        o.slug = "dept";
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
             core::holidays_between(core::HolidayRegion::fr_metropole, today, today + kDays))
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
                if (r.rule.applies_on(today + d))
                    mark(blocked[cell_of(i, d)], r.rule.start_minute, r.rule.end_minute);
        }
        // One-off absences: leave (1-5 whole days) or a half-day training.
        for (int k = 0; k < 300; ++k) {
            int i = uniform(0, kAgents - 1);
            int d = uniform(0, kDays - 6);
            if (chance(0.6)) {
                int len = uniform(1, 5);
                s.insert_absence(
                    org, {agents[std::size_t(i)], {at(today + d, 0), at(today + d + len, 0)}},
                    "congés");
                for (int j = 0; j < len; ++j) mark(blocked[cell_of(i, d + j)], 0, 1440);
            } else {
                s.insert_absence(
                    org, {agents[std::size_t(i)], {at(today + d, 8 * 60), at(today + d, 13 * 60)}},
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
            if (holidays.count(today + d)) continue;
            for (int p = 0; p < int(plans.size()); ++p) {
                const auto& plan = plans[std::size_t(p)];
                if (!plan.rule.applies_on(today + d)) continue;
                int occ = int(occurrences.size());
                occurrences.push_back({p, d, plan.rule.start_minute, plan.rule.end_minute});
                for (int m = plan.rule.start_minute; m + 20 <= plan.rule.end_minute; m += 30) {
                    if (d == 0 && m < first_minute_today) continue;
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
            a.starts_at = at(today + occ.day, st.minute);
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
            a.token_hash = "bench-" + std::to_string(n_appointments);
            a.token_expires_at = a.ends_at + 7 * 86400;
            a.created_at = a.updated_at = now - uniform(0, 60 * 86400);
            s.insert_appointment(a);
            ++n_appointments;
        }
    });
    if (exists) {
        std::cerr << "organisation \"dept\" already exists in " << db_path << "\n";
        return 1;
    }
    const double elapsed =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf(
        "sites=%d motifs=%d agents=%d plans=%ld absences=%ld recurring_absences=%ld "
        "appointments=%ld attempts=%ld\n",
        kSites, kMotifs, kAgents, n_plans, n_absences, n_recurring, n_appointments, attempts);
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
