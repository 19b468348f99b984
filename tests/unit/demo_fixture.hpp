// What the console's unit tests start from: a real SQLite file in a fresh temporary folder,
// migrated, with the demo organisation loaded on a ManualClock pinned to a Wednesday, and the
// booking service over it. Tests add their own services in SetUp and reset them in TearDown
// before calling DemoFixture::TearDown().
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "app/booking_service.hpp"
#include "app/demo.hpp"
#include "app/tokens.hpp"
#include "core/clock.hpp"
#include "core/timefmt.hpp"
#include "store/sqlite.hpp"

namespace vg::unit {

// Wednesday 25 November 2026, 09:00 in Paris (08:00 UTC).
constexpr core::Instant kWednesday = 1795593600;

class DemoFixture : public ::testing::Test {
  protected:
    void SetUp() override {
        app::init_crypto();
        dir = std::filesystem::temp_directory_path() /
              ("vg-unit-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_suite()->name() + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        clock = std::make_unique<core::ManualClock>(kWednesday);
        db = store::open_sqlite_store({(dir / "t.db").string(), false, 10000, clock.get()});
        db->migrate();
        ASSERT_TRUE(app::load_demo(*db, kWednesday));
        service =
            std::make_unique<app::BookingService>(*db, app::BookingSettings{}, nullptr, *clock);
        org = *service->organisation("demo");
    }
    void TearDown() override {
        service.reset();
        db.reset();
        std::filesystem::remove_all(dir);
    }

    // An appointment of `agent` at `start` (UTC seconds) for `minutes`, inserted directly.
    core::Id add_appointment(core::Id agent, core::Instant start, int minutes = 30,
                             store::AppointmentStatus status = store::AppointmentStatus::booked,
                             core::Channel channel = core::Channel::video) {
        store::Appointment a;
        a.organisation_id = org.org.id;
        a.motif_id = org.motifs.front().id;
        a.site_id = org.sites.front().id;
        a.agent_id = agent;
        a.channel = channel;
        a.starts_at = start;
        a.ends_at = start + minutes * 60;
        a.status = status;
        a.citizen = {"Zoé", "Citronnier", "zoe.citronnier@example.fr", "+33612345678", "fr",
                     "",    "fauteuil"};
        a.terms_version = 1;
        a.token_hash = app::hash_token(app::new_token());
        a.token_expires_at = start + 86400 * 8;
        core::Id id = 0;
        db->write([&](store::Session& s) { id = s.insert_appointment(a); });
        return id;
    }

    // A booking through the service: motif 1, `channel`, the `nth` slot after the middle of
    // the next 20 days' slots (so that a test books several without collision).
    app::BookResult book_slot(core::Channel channel = core::Channel::video, std::size_t nth = 0) {
        auto today = core::local_day_of(clock->now(), org.default_zone());
        auto slots = service->slots(org, {1, channel, std::nullopt, today, today + 20});
        EXPECT_GT(slots.size(), nth + 10);
        app::BookRequest r;
        r.motif_id = 1;
        r.channel = channel;
        r.start = slots.at(slots.size() / 2 + nth).start;
        r.citizen = {"Zoé", "Martin", "zoe@example.fr", "0612345678", "fr", "", ""};
        r.accept_terms = true;
        r.terms_version = org.terms->version;
        auto b = service->book(org, r);
        EXPECT_EQ(b.outcome, app::Outcome::ok);
        return b;
    }
    // The first column of `sql`'s first row with `id` bound to its "?" ("<none>": no row),
    // and a statement run as it is: straight on the file, as another process would.
    std::string sql_text(const std::string& sql, core::Id id) {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        auto s = c.prepare(sql.c_str());
        s.bind(1, id);
        return s.step() ? s.text(0) : std::string("<none>");
    }
    void sql_exec(const char* sql) {
        store::sqlite::Connection c((dir / "t.db").string(), 1000);
        c.exec(sql);
    }

    std::filesystem::path dir;
    std::unique_ptr<core::ManualClock> clock;
    std::unique_ptr<store::Store> db;
    std::unique_ptr<app::BookingService> service;
    app::OrgData org;
};

}  // namespace vg::unit
