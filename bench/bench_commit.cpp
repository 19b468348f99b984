// Who should flush the group commit? Books the booking run's bodies in-process
// (BookingService::book, as the API handler calls it) with N threads against a fresh copy of
// the data set, once per flush mode of the store, interleaved (thread, sqlite, thread,
// sqlite...) so that the load of a shared machine falls on both alike; prints the
// medians.
//   thread  the writer commits with synchronous=NORMAL, a flush thread fdatasyncs the WAL
//           and wakes the batch while the writer runs the next one;
//   sqlite  the writer commits with synchronous=FULL: SQLite syncs the WAL inside COMMIT,
//           one commit (and one sync) per batch, no other thread.
//
//   bench_commit --db DATASET --bodies FILE --dir DIR [--seconds 3] [--rounds 3]
//                [--threads 64]
#include <date/tz.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/booking_service.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/timefmt.hpp"
#include "store/secrets.hpp"
#include "store/store.hpp"

using namespace vg;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using core::Id;
using core::Instant;

namespace {

struct Measure {
    double rate = 0;  // bookings/s
    double p50 = 0, p99 = 0;
    long ok = 0, refused = 0;
    bool ran_out = false;
};

double quantile(std::vector<double>& v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    auto rank = std::size_t(std::ceil(p * double(v.size())));
    return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}

double median(std::vector<double> v) {
    return quantile(v, 0.5);
}

std::vector<app::BookRequest> read_bodies(const std::string& path) {
    std::vector<app::BookRequest> out;
    std::ifstream f(path);
    std::string line;
    while (std::getline(f, line)) {
        auto j = nlohmann::json::parse(line);
        app::BookRequest r;
        r.motif_id = j.at("motif").get<Id>();
        r.channel = *core::parse_channel(j.at("channel").get<std::string>());
        r.start = *core::parse_iso8601(j.at("start").get<std::string>());
        r.site_id = j.at("site").get<Id>();
        auto& c = j.at("citizen");
        r.citizen.first_name = c.at("first_name").get<std::string>();
        r.citizen.last_name = c.at("last_name").get<std::string>();
        r.citizen.email = c.at("email").get<std::string>();
        r.accept_terms = true;
        r.terms_version = j.at("terms_version").get<int>();
        out.push_back(std::move(r));
    }
    return out;
}

Measure run(const std::string& dataset, const std::string& dir, store::Flush flush,
            const std::vector<app::BookRequest>& bodies, const store::Sealer& sealer, int threads,
            double seconds) {
    auto path = (fs::path(dir) / "commit.db").string();
    for (auto ext : {"", "-wal", "-shm"}) fs::remove(path + ext);
    fs::copy_file(dataset, path);
    auto db = store::open_sqlite_store({path, true, 10000, nullptr, flush});
    db->migrate();
    // One "now" for the whole measure, as the bodies were made for it.
    core::ManualClock clock(core::system_clock().now());
    app::BookingService service(*db, {}, &sealer, clock);
    auto org = service.organisation("dept");
    if (!org) throw std::runtime_error("no organisation \"dept\" in " + dataset);

    std::atomic<std::size_t> next{0};
    std::atomic<long> ok{0}, refused{0};
    std::atomic<bool> ran_out{false};
    std::vector<std::vector<double>> lat(static_cast<std::size_t>(threads));
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration<double>(seconds);
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            while (Clock::now() < deadline) {
                auto i = next++;
                if (i >= bodies.size()) {
                    ran_out = true;
                    return;
                }
                auto t0 = Clock::now();
                auto r = service.book(*org, bodies[i]);
                if (r.outcome == app::Outcome::ok) {
                    ++ok;
                    lat[std::size_t(t)].push_back(
                        std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
                } else {
                    ++refused;
                }
            }
        });
    for (auto& th : pool) th.join();
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    db.reset();
    for (auto ext : {"", "-wal", "-shm"}) fs::remove(path + ext);

    Measure m;
    m.ok = ok;
    m.refused = refused;
    m.ran_out = ran_out;
    m.rate = double(m.ok) / elapsed;
    std::vector<double> all;
    for (auto& v : lat) all.insert(all.end(), v.begin(), v.end());
    m.p50 = quantile(all, 0.5);
    m.p99 = quantile(all, 0.99);
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    std::string dataset, bodies_path, dir;
    double seconds = 3;
    int rounds = 3, threads = 64;
    CLI::App cli{"Group commit: flush thread against SQLite's own flush, interleaved"};
    cli.add_option("--db", dataset, "Data set (copied for each measure)")->required();
    cli.add_option("--bodies", bodies_path, "Booking bodies, one JSON per line")->required();
    cli.add_option("--dir", dir, "Work folder (same file system as the server's database)")
        ->required();
    cli.add_option("--seconds", seconds, "Each measure");
    cli.add_option("--rounds", rounds, "Measures of each mode");
    cli.add_option("--threads", threads, "Booking threads");
    CLI11_PARSE(cli, argc, argv);
    app::init_crypto();
    date::get_tzdb();
    fs::create_directories(dir);
    auto sealer = store::Sealer::from_file((fs::path(dir) / "commit-secret.key").string());
    auto bodies = read_bodies(bodies_path);

    std::printf("%zu bodies, %d threads, %d rounds of %.0f s per mode, interleaved\n\n",
                bodies.size(), threads, rounds, seconds);
    std::printf("| round | flush  | bookings/s | p50 ms | p99 ms | refused | load avg |\n");
    std::printf("|-------|--------|------------|--------|--------|---------|----------|\n");
    std::vector<double> rate[2], p50[2], p99[2];
    bool ran_out = false;
    for (int r = 1; r <= rounds; ++r)
        for (int mode = 0; mode < 2; ++mode) {
            auto flush = mode == 0 ? store::Flush::thread : store::Flush::sqlite;
            auto m = run(dataset, dir, flush, bodies, sealer, threads, seconds);
            double load = 0;
            std::ifstream("/proc/loadavg") >> load;
            std::printf("| %5d | %-6s | %10.0f | %6.2f | %6.2f | %7ld | %8.2f |\n", r,
                        mode == 0 ? "thread" : "sqlite", m.rate, m.p50, m.p99, m.refused, load);
            std::fflush(stdout);
            rate[mode].push_back(m.rate);
            p50[mode].push_back(m.p50);
            p99[mode].push_back(m.p99);
            ran_out = ran_out || m.ran_out;
        }
    if (ran_out) std::printf("\nwarning: the bodies ran out before the end of a measure\n");
    std::printf(
        "\nmedians: thread %.0f bookings/s (p99 %.2f ms), sqlite %.0f bookings/s "
        "(p99 %.2f ms), sqlite / thread = %.1f %%\n",
        median(rate[0]), median(p99[0]), median(rate[1]), median(p99[1]),
        100 * median(rate[1]) / median(rate[0]));
    auto list = [](const std::vector<double>& v) {
        std::string s;
        for (auto x : v) s += (s.empty() ? "" : ",") + std::to_string(long(x));
        return s;
    };
    std::printf(
        "RESULT rounds=%d seconds=%.0f threads=%d thread_rate=%.1f thread_p50=%.3f "
        "thread_p99=%.3f sqlite_rate=%.1f sqlite_p50=%.3f sqlite_p99=%.3f thread_runs=%s "
        "sqlite_runs=%s ran_out=%d\n",
        rounds, seconds, threads, median(rate[0]), median(p50[0]), median(p99[0]), median(rate[1]),
        median(p50[1]), median(p99[1]), list(rate[0]).c_str(), list(rate[1]).c_str(),
        ran_out ? 1 : 0);
    return 0;
}
