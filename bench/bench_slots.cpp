// In-process slot search benchmark on the generated data set (bench/gen_departement.cpp).
//
//   bench_slots --db PATH [--iterations 300] [--days 31] [--motif ID] [--mmap-mb N]
//
// Picks the public motif offered by video and on site that the most agents serve, then times
// over `days` days from today, all sites:
//   service   BookingService::slots() (one read transaction: SQL load + engine), what the
//             HTTP handler calls, without JSON;
//   JSON      the response body built from those slots as the API does (items = KiB);
//   load      Session::availability_data() alone (the SQL part of the above);
//   engine    core::compute_slots() alone, data preloaded;
//   raw SQL   baseline: one plain SQLite query selecting the same live appointment rows.
// --mmap-mb N (what-if): every SQLite connection reads through a memory map of up to N MB.
// Prints p50/p90/p99/max in milliseconds and a line "RESULT key=value ..." for scripts.
#include <date/tz.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "app/booking_service.hpp"
#include "core/holidays.hpp"
#include "core/timefmt.hpp"
#include "store/store.hpp"

using namespace vg;
using core::Id;
using core::Instant;
using core::LocalDay;

namespace {

using Clock = std::chrono::steady_clock;

struct Stats {
    double p50 = 0, p90 = 0, p99 = 0, max = 0, mean = 0;
};

Stats stats(std::vector<double> ms) {
    Stats s;
    if (ms.empty()) return s;
    std::sort(ms.begin(), ms.end());
    auto q = [&](double p) {
        auto rank = std::size_t(std::ceil(p * double(ms.size())));
        return ms[std::min(ms.size() - 1, rank == 0 ? 0 : rank - 1)];
    };
    s.p50 = q(0.50);
    s.p90 = q(0.90);
    s.p99 = q(0.99);
    s.max = ms.back();
    double sum = 0;
    for (double v : ms) sum += v;
    s.mean = sum / double(ms.size());
    return s;
}

// Runs fn `warmup` times untimed, then `n` times timed; returns milliseconds per call.
std::vector<double> time_it(int n, const std::function<void()>& fn, int warmup = 5) {
    for (int i = 0; i < warmup; ++i) fn();
    std::vector<double> out;
    out.reserve(std::size_t(n));
    for (int i = 0; i < n; ++i) {
        auto t0 = Clock::now();
        fn();
        out.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    return out;
}

void row(const char* name, const char* key, const Stats& s, std::size_t items,
         std::string& result) {
    std::printf("| %-34s | %8.3f | %8.3f | %8.3f | %8.3f | %7zu |\n", name, s.p50, s.p90, s.p99,
                s.max, items);
    char buf[256];
    std::snprintf(buf, sizeof buf, " %s_p50=%.3f %s_p90=%.3f %s_p99=%.3f %s_max=%.3f %s_items=%zu",
                  key, s.p50, key, s.p90, key, s.p99, key, s.max, key, items);
    result += buf;
}

[[noreturn]] void usage() {
    std::cerr << "usage: bench_slots --db PATH [--iterations 300] [--days 31] [--motif ID]\n";
    std::exit(2);
}

}  // namespace

int main(int argc, char** argv) {
    std::string db_path;
    int iterations = 300;
    int days = 31;
    Id motif_id = 0;
    long long mmap_mb = 0;  // what-if: memory-mapped reads for every connection
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) usage();
            return argv[++i];
        };
        if (a == "--db")
            db_path = next();
        else if (a == "--iterations")
            iterations = std::stoi(next());
        else if (a == "--days")
            days = std::stoi(next());
        else if (a == "--motif")
            motif_id = std::stoll(next());
        else if (a == "--mmap-mb")
            mmap_mb = std::stoll(next());
        else
            usage();
    }
    if (db_path.empty() || iterations < 1 || days < 1) usage();
    if (mmap_mb > 0) {
        const sqlite3_int64 bytes = sqlite3_int64(mmap_mb) << 20;
        if (sqlite3_config(SQLITE_CONFIG_MMAP_SIZE, bytes, bytes) != SQLITE_OK) {
            std::cerr << "sqlite3_config(SQLITE_CONFIG_MMAP_SIZE) failed\n";
            return 1;
        }
    }

    auto db = store::open_sqlite_store({db_path, true, 10000});
    db->migrate();  // as the server does at start: the data set may predate a migration
    app::BookingService service(*db, app::BookingSettings{});
    auto org = service.organisation("dept");
    if (!org) {
        std::cerr << "no organisation \"dept\" in " << db_path << " (run gen_departement)\n";
        return 1;
    }
    const Instant now = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    const LocalDay today = core::local_day_of(now, org->default_zone());

    // The motif served by the most agents (video and on site both offered).
    std::size_t best_agents = 0;
    {
        const Id requested = motif_id;
        for (auto& m : org->motifs) {
            if (requested && m.id != requested) continue;
            const std::uint8_t both =
                core::channel_bit(core::Channel::video) | core::channel_bit(core::Channel::on_site);
            if (!m.is_public || (m.rules.channels & both) != both) continue;
            std::set<Id> agents;
            db->read([&](store::Session& s) {
                for (auto& p : s.availability_data(org->org.id, m.id, now, now + 1).plans)
                    agents.insert(p.agent_id);
            });
            if (agents.size() > best_agents || requested) {
                best_agents = agents.size();
                motif_id = m.id;
            }
        }
    }
    const store::Motif* motif = org->motif(motif_id);
    if (!motif) {
        std::cerr << "no usable motif\n";
        return 1;
    }
    std::printf(
        "motif %lld (%s, %d min, buffer %d min), %zu agents with a plan for it; "
        "%d days from %s, all sites, %d iterations each\n\n",
        (long long)motif->id, motif->code.c_str(), motif->rules.duration_minutes,
        motif->rules.buffer_minutes, best_agents, days, core::format_ymd(today).c_str(),
        iterations);

    std::printf("| %-34s | %8s | %8s | %8s | %8s | %7s |\n", "measure (ms)", "p50", "p90", "p99",
                "max", "items");
    std::printf("|%s|%s|%s|%s|%s|%s|\n", std::string(36, '-').c_str(), std::string(10, '-').c_str(),
                std::string(10, '-').c_str(), std::string(10, '-').c_str(),
                std::string(10, '-').c_str(), std::string(9, '-').c_str());
    std::string result =
        "RESULT motif=" + std::to_string(motif->id) + " agents=" + std::to_string(best_agents);

    for (auto channel : {core::Channel::video, core::Channel::on_site}) {
        const std::string ch(core::to_string(channel));
        if (!(motif->rules.channels & core::channel_bit(channel))) continue;
        app::SlotQuery q;
        q.motif_id = motif->id;
        q.channel = channel;
        q.from = today;
        q.to = today + days - 1;

        // 1. The service, as the HTTP handler calls it.
        std::size_t n_slots = 0;
        auto service_ms = time_it(iterations, [&] { n_slots = service.slots(*org, q).size(); });
        row(("BookingService::slots " + ch).c_str(), ("service_" + ch).c_str(), stats(service_ms),
            n_slots, result);

        // 1b. The JSON body the API builds from them (as api.cpp slots_json + dump).
        auto views = service.slots(*org, q);
        std::size_t body_bytes = 0;
        auto json_ms = time_it(iterations, [&] {
            nlohmann::json out = nlohmann::json::array();
            for (auto& v : views)
                out.push_back({{"start", core::iso8601(v.start, v.zone)},
                               {"end", core::iso8601(v.end, v.zone)},
                               {"site", {{"id", v.site_id}, {"name", v.site_name}}}});
            body_bytes = nlohmann::json{{"slots", std::move(out)}}.dump().size();
        });
        row(("  JSON body (as the API) " + ch).c_str(), ("json_" + ch).c_str(), stats(json_ms),
            body_bytes / 1024, result);

        // 2. Its SQL part alone (same range widening as BookingService::compute).
        const Instant from = Instant(q.from) * 86400 - 86400;
        const Instant to = Instant(q.to + 1) * 86400 + 86400;
        store::AvailabilityData data;
        auto load_ms = time_it(iterations, [&] {
            db->read([&](store::Session& s) {
                data = s.availability_data(org->org.id, motif->id, from, to);
            });
        });
        row(("  availability_data (SQL) " + ch).c_str(), ("load_" + ch).c_str(), stats(load_ms),
            data.busy.size(), result);

        // 3. The engine alone, data preloaded.
        core::AvailabilityInput in;
        in.motif = motif->rules;
        in.channel = channel;
        in.from = q.from;
        in.to = q.to;
        in.now = now;
        for (auto& site : org->sites) {
            if (channel == core::Channel::video && site.is_partner) continue;  // as site_matches
            core::SiteCalendar cal;
            cal.site_id = site.id;
            cal.zone = org->zone(site);
            auto region =
                core::parse_holiday_region(site.holiday_region.empty() ? org->org.holiday_region
                                                                       : site.holiday_region)
                    .value_or(core::HolidayRegion::none);
            for (auto& h : core::holidays_between(region, q.from - 1, q.to + 1))
                cal.holidays.insert(h.day);
            in.sites.push_back(std::move(cal));
        }
        in.plans = data.plans;
        in.absences = data.absences;
        in.recurring_absences = data.recurring_absences;
        for (auto& b : data.busy) in.busy.push_back({b.agent_id, b.span});
        std::size_t n_engine = 0;
        auto engine_ms = time_it(iterations, [&] { n_engine = core::compute_slots(in).size(); });
        row(("  core::compute_slots " + ch).c_str(), ("engine_" + ch).c_str(), stats(engine_ms),
            n_engine, result);
    }

    // Baseline: one raw SQLite query reading the same live appointment rows (all agents of
    // the organisation, same widened range), through the organisation/time index.
    {
        sqlite3* raw = nullptr;
        if (sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
            std::cerr << "sqlite3_open: " << sqlite3_errmsg(raw) << "\n";
            return 1;
        }
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(raw,
                           "SELECT agent_id, starts_at, ends_at FROM appointments "
                           "WHERE organisation_id=? AND status IN ('booked','confirmed') "
                           "AND starts_at >= ? AND starts_at < ?",
                           -1, &st, nullptr);
        const Instant from = Instant(today) * 86400 - 2 * 86400;
        const Instant to = Instant(today + days) * 86400 + 86400;
        std::size_t rows = 0;
        long long sink = 0;
        auto raw_ms = time_it(iterations, [&] {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, org->org.id);
            sqlite3_bind_int64(st, 2, from);
            sqlite3_bind_int64(st, 3, to);
            rows = 0;
            while (sqlite3_step(st) == SQLITE_ROW) {
                sink += sqlite3_column_int64(st, 0) + sqlite3_column_int64(st, 1) +
                        sqlite3_column_int64(st, 2);
                ++rows;
            }
        });
        row("baseline: raw SELECT of the rows", "raw_select", stats(raw_ms), rows, result);
        sqlite3_finalize(st);
        sqlite3_close(raw);
        if (sink == 42) std::printf(" ");
    }
    std::printf("\n%s\n", result.c_str());
    return 0;
}
