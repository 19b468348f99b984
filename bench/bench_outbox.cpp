// Outbox throughput to a local SMTP sink: books appointments of the demo organisation
// in-process (each writes its confirmation to the outbox), then lets the worker send
// everything that is due and measures messages per second. Baseline in the same run: the
// same SMTP client sending the same kind of message in a loop, without the database.
//
//   bench_outbox --dir DIR --smtp-url smtp://127.0.0.1:PORT [--bookings 1000] [--threads 2]
#include <curl/curl.h>
#include <date/tz.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <filesystem>
#include <iostream>

#include "app/booking_service.hpp"
#include "app/context.hpp"
#include "app/demo.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/timefmt.hpp"
#include "notify/composer.hpp"
#include "notify/mime.hpp"
#include "notify/outbox_worker.hpp"
#include "store/secrets.hpp"
#include "text/i18n.hpp"
#include "text/templates.hpp"

using namespace vg;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    std::string dir, smtp_url;
    int bookings = 1000, threads = 2, baseline = 500;
    CLI::App cli{"Outbox throughput to a local SMTP sink"};
    cli.add_option("--dir", dir, "Work folder")->required();
    cli.add_option("--smtp-url", smtp_url, "SMTP sink")->required();
    cli.add_option("--bookings", bookings, "Appointments to book (one confirmation each)");
    cli.add_option("--threads", threads, "Sending threads");
    cli.add_option("--baseline", baseline, "Messages for the raw SMTP baseline");
    CLI11_PARSE(cli, argc, argv);
    spdlog::set_level(spdlog::level::warn);
    app::init_crypto();
    curl_global_init(CURL_GLOBAL_DEFAULT);
    date::get_tzdb();

    fs::create_directories(dir);
    auto db_path = (fs::path(dir) / "outbox.db").string();
    for (auto ext : {"", "-wal", "-shm"}) fs::remove(db_path + ext);
    auto db = store::open_sqlite_store({db_path, true, 10000});
    db->migrate();
    auto now = core::system_clock().now();
    app::load_demo(*db, now);
    auto sealer = store::Sealer::from_file((fs::path(dir) / "secret.key").string());
    app::BookingService service(*db, {}, &sealer);
    auto org = *service.organisation("demo");

    // Book distinct slots of every public motif until enough confirmations are queued.
    int booked = 0;
    auto today = core::local_day_of(now, org.default_zone());
    for (auto& m : org.motifs) {
        if (!m.is_public || booked >= bookings) continue;
        auto slots =
            service.slots(org, {m.id, core::Channel::video, std::nullopt, today, today + 40});
        for (auto& s : slots) {
            if (booked >= bookings) break;
            app::BookRequest r;
            r.motif_id = m.id;
            r.start = s.start;
            r.citizen = {"Zoé", "Ménard", "bench" + std::to_string(booked) + "@example.org",
                         "",    "fr",     "",
                         ""};
            r.accept_terms = true;
            r.terms_version = org.terms->version;
            if (service.book(org, r).outcome == app::Outcome::ok) ++booked;
        }
    }

    text::I18n i18n;
    i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
    text::Templates templates;
    templates.load(std::string(VG_SOURCE_DIR) + "/templates");
    notify::Composer composer(i18n, templates, "https://rdv.example.org");

    // Baseline: the SMTP client alone, one composed message sent again and again.
    notify::SmtpSender sender({smtp_url, "off", 5, 30, true});
    notify::Mail mail;
    mail.from_address = "rdv@example.org";
    mail.to_address = "baseline@example.org";
    mail.subject = "Votre rendez-vous est confirmé";
    mail.text = std::string(1500, 'x');
    mail.html = std::string(3000, 'y');
    mail.attachments.push_back({"rendez-vous.ics", "text/calendar", std::string(1500, 'z')});
    auto t0 = Clock::now();
    for (int i = 0; i < baseline; ++i) {
        mail.message_id = "baseline-" + std::to_string(i) + "@bench";
        auto r = sender.send(mail.from_address, mail.to_address, notify::build_message(mail));
        if (!r.ok) {
            std::cerr << "baseline send failed: " << r.error << std::endl;
            return 1;
        }
    }
    double base_s = std::chrono::duration<double>(Clock::now() - t0).count();

    notify::WorkerOptions wo;
    wo.threads = threads;
    wo.batch = 50;
    notify::OutboxWorker worker(*db, composer, &sealer, {smtp_url, "off", 5, 30, true}, wo);
    auto t1 = Clock::now();
    worker.start();
    // Due now: confirmations and immediate agent notices. Stop when nothing is left due.
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        int due = 0;
        db->read([&](store::Session& s) {
            for (auto& st : {"pending", "sending"})
                for (auto& row : s.outbox(org.org.id, st, 100000))
                    if (row.next_attempt_at <= now + 5) ++due;
        });
        if (due == 0) break;
    }
    double send_s = std::chrono::duration<double>(Clock::now() - t1).count();
    worker.stop();
    auto& st = worker.stats();
    std::cout << "bookings " << booked << "\n"
              << "sent " << st.sent << " retried " << st.retried << " dead " << st.dead
              << " skipped " << st.skipped << "\n"
              << "outbox_seconds " << send_s << "\n"
              << "outbox_rate " << double(st.sent) / send_s << "\n"
              << "baseline_messages " << baseline << "\n"
              << "baseline_rate " << double(baseline) / base_s << "\n";
    return 0;
}
