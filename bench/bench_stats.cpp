// The statistics' benchmark (issue 14, docs/PERFORMANCE.md): on a data set of gen_departement
// --history (ten départements of 100,000 appointments over the past year), for one
// organisation, a year and every site:
//   - the statistics page's computation (stats::report: the appointments' statement with its
//     history and room journal, every figure of both periods, the offered time, the messages),
//     `--runs` times: p50, p99 and max server time;
//   - the full one-year export (stats::export_rows, the one source of the CSV and XLSX
//     writers, each line written as CSV to a sink): rows per second, and VmRSS before, after
//     and VmHWM (/proc/self/status);
//   - the rows and their figures on one thread and on two (stats::Handoff), alternately;
//   - the baseline in the same run: a raw COUNT(*) of the same appointments (sqlite3).
//
//   bench_stats --db PATH [--org dept1] [--runs 20] [--days 365] [--mmap-mb N]
// --mmap-mb N (what-if): every SQLite connection reads through a memory map of up to N MB.
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "core/timefmt.hpp"
#include "stats/export.hpp"
#include "stats/handoff.hpp"
#include "stats/report.hpp"
#include "store/store.hpp"

using namespace vg;
using Clock = std::chrono::steady_clock;

namespace {

// A field of /proc/self/status, in kB (VmRSS, VmHWM).
long status_kb(const std::string& field) {
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field + ":", 0) == 0) return std::stol(line.substr(field.size() + 1));
    return -1;
}

double ms_since(Clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

double nearest_rank(std::vector<double> v, double q) {
    std::sort(v.begin(), v.end());
    auto rank = std::size_t(std::max(1.0, std::ceil(q * double(v.size()))));
    return v[std::min(rank, v.size()) - 1];
}

}  // namespace

int main(int argc, char** argv) {
    std::string db_path, slug = "dept1";
    int runs = 20, days = 365;
    long long mmap_mb = 0;
    CLI::App cli{"Statistics page and export on a large data set"};
    cli.add_option("--db", db_path, "Data set (gen_departement --history)")->required();
    cli.add_option("--org", slug, "Organisation slug");
    cli.add_option("--runs", runs, "Page computations");
    cli.add_option("--days", days, "Period length, ending yesterday");
    cli.add_option("--mmap-mb", mmap_mb, "What-if: memory-mapped reads (MB)");
    CLI11_PARSE(cli, argc, argv);
    if (mmap_mb > 0) {
        const sqlite3_int64 bytes = sqlite3_int64(mmap_mb) << 20;
        if (sqlite3_config(SQLITE_CONFIG_MMAP_SIZE, bytes, bytes) != SQLITE_OK) {
            std::cerr << "sqlite3_config(SQLITE_CONFIG_MMAP_SIZE) failed\n";
            return 1;
        }
    }

    auto db = store::open_sqlite_store({db_path, false, 10000});
    std::optional<store::Organisation> org;
    db->read([&](store::Session& s) { org = s.organisation_by_slug(slug); });
    if (!org) {
        std::cerr << "no organisation " << slug << " in " << db_path << "\n";
        return 1;
    }
    const auto* zone = core::zone_or_default(org->default_time_zone);
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    stats::Filter f;
    f.period.last = core::local_day_of(now, zone) - 1;
    f.period.first = f.period.last - days + 1;
    std::printf("organisation=%s period=%s..%s\n", slug.c_str(),
                core::format_ymd(f.period.first).c_str(), core::format_ymd(f.period.last).c_str());

    // Baseline: a raw count of the same appointments, straight on the file.
    {
        sqlite3* raw = nullptr;
        sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
        auto [from, to] = stats::covering_instants(f.period);
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(raw,
                           "SELECT COUNT(*) FROM appointments WHERE organisation_id = ? "
                           "AND starts_at >= ? AND starts_at < ?",
                           -1, &st, nullptr);
        std::vector<double> times;
        long long n = 0;
        for (int i = 0; i < runs; ++i) {
            auto t0 = Clock::now();
            sqlite3_bind_int64(st, 1, org->id);
            sqlite3_bind_int64(st, 2, from);
            sqlite3_bind_int64(st, 3, to);
            if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
            sqlite3_reset(st);
            times.push_back(ms_since(t0));
        }
        sqlite3_finalize(st);
        sqlite3_close(raw);
        std::printf("baseline_count rows=%lld p50_ms=%.1f p99_ms=%.1f\n", n,
                    nearest_rank(times, 0.5), nearest_rank(times, 0.99));
    }

    // Of which the appointments' statement alone (both periods, the rows copied, no figure).
    {
        std::vector<double> t_read;
        long long n = 0;
        auto prev = stats::previous(f.period);
        auto [from, to] = stats::covering_instants({prev.first, f.period.last});
        for (int i = 0; i < runs; ++i) {
            auto t0 = Clock::now();
            n = 0;
            db->read([&](store::Session& s) {
                s.stats_appointments(org->id, from, to, false,
                                     [&](const store::StatsAppointment&) { ++n; });
            });
            t_read.push_back(ms_since(t0));
        }
        std::printf("statement rows=%lld p50_ms=%.1f p99_ms=%.1f\n", n, nearest_rank(t_read, 0.5),
                    nearest_rank(t_read, 0.99));
    }

    // The rows and both periods' figures: on one thread (the cursor calls the accumulators)
    // and on two (stats::Handoff, as the page does: the accumulators on their own thread).
    {
        std::vector<double> one, two;
        stats::Figures figures[2];
        auto prev = f;
        prev.period = stats::previous(f.period);
        auto [from, to] = stats::covering_instants({prev.period.first, f.period.last});
        std::vector<store::Site> sites;
        db->read([&](store::Session& s) { sites = s.sites(org->id); });
        auto zones = stats::Zones::of(*org, sites);
        for (int i = 0; i < runs; ++i)
            for (int threads = 1; threads <= 2; ++threads) {
                auto t0 = Clock::now();
                db->read([&](store::Session& s) {
                    stats::Accumulator current(f, zones), previous(prev, zones);
                    auto add = [&](const store::StatsAppointment& a) {
                        current.add(a);
                        previous.add(a);
                    };
                    if (threads == 1) {
                        s.stats_appointments(org->id, from, to, false, add);
                    } else {
                        stats::Handoff<store::StatsAppointment> rows(add);
                        s.stats_appointments(
                            org->id, from, to, false,
                            [&](const store::StatsAppointment& a) { rows.push(a); });
                        rows.finish();
                    }
                    figures[threads - 1] = current.finish();
                    previous.finish();
                });
                (threads == 1 ? one : two).push_back(ms_since(t0));
            }
        if (figures[0].bookings != figures[1].bookings || figures[0].held != figures[1].held) {
            std::cerr << "the two ways disagree\n";
            return 1;
        }
        std::printf(
            "rows_and_figures one_thread_p50_ms=%.1f p99_ms=%.1f two_threads_p50_ms=%.1f "
            "p99_ms=%.1f\n",
            nearest_rank(one, 0.5), nearest_rank(one, 0.99), nearest_rank(two, 0.5),
            nearest_rank(two, 0.99));
    }

    // The page's computation, every filter open (an administrator).
    std::vector<double> times;
    int bookings = 0;
    for (int i = 0; i < runs; ++i) {
        auto t0 = Clock::now();
        auto r = stats::report(*db, org->id, f, true);
        times.push_back(ms_since(t0));
        bookings = r ? r->current.bookings : -1;
    }
    std::printf("page runs=%d bookings=%d p50_ms=%.1f p99_ms=%.1f max_ms=%.1f\n", runs, bookings,
                nearest_rank(times, 0.5), nearest_rank(times, 0.99),
                *std::max_element(times.begin(), times.end()));

    // The full export, streamed line by line to a sink.
    std::FILE* sink = std::fopen("/dev/null", "w");
    long rss_before = status_kb("VmRSS"), hwm_before = status_kb("VmHWM");
    long bytes = 0;
    std::string line;
    auto t0 = Clock::now();
    int lines = stats::export_rows(*db, org->id, f, false, "fr",
                                   [&](const std::vector<stats::Cell>& cells) {
                                       line = stats::csv_line(cells);
                                       bytes += long(line.size());
                                       std::fwrite(line.data(), 1, line.size(), sink);
                                   });
    double seconds = ms_since(t0) / 1000.0;
    std::fclose(sink);
    long rss_after = status_kb("VmRSS"), hwm_after = status_kb("VmHWM");
    std::printf(
        "export lines=%d bytes=%ld seconds=%.2f rows_per_s=%.0f rss_before_kb=%ld "
        "rss_after_kb=%ld hwm_before_kb=%ld hwm_after_kb=%ld\n",
        lines, bytes, seconds, lines / seconds, rss_before, rss_after, hwm_before, hwm_after);
    return 0;
}
