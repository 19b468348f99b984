// The organisation's administration: the brand colour's contrast, the no-show delay, the
// settings' validation (nothing written when refused, one journal entry when written), the
// terms versions, and the retention of personal data on a ManualClock.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <tuple>

#include "app/administration.hpp"
#include "app/demo.hpp"
#include "app/room_service.hpp"
#include "core/colour.hpp"
#include "http/multipart.hpp"
#include "store/sqlite.hpp"
#include "store/store.hpp"

using namespace vg;
namespace fs = std::filesystem;

TEST(Colour, ContrastWithWhite) {
    EXPECT_NEAR(*core::contrast_with_white("#ffffff"), 1.0, 1e-9);
    EXPECT_NEAR(*core::contrast_with_white("#000000"), 21.0, 1e-9);
    // #767676 is the lightest grey passing AA on white (4.54), #777777 fails (4.48).
    EXPECT_NEAR(*core::contrast_with_white("#767676"), 4.54, 0.01);
    EXPECT_TRUE(core::readable_on_white("#767676"));
    EXPECT_FALSE(core::readable_on_white("#777777"));
    EXPECT_TRUE(core::readable_on_white("#1d4f91"));
    EXPECT_TRUE(core::readable_on_white("#1D4F91"));
    EXPECT_FALSE(core::readable_on_white("#ffff00"));
    for (auto bad : {"", "#fff", "1d4f91", "#1d4f9", "#1d4f911", "#1d4g91", "#-1d4f9"}) {
        EXPECT_FALSE(core::contrast_with_white(bad)) << bad;
        EXPECT_FALSE(core::readable_on_white(bad)) << bad;
    }
}

TEST(Images, TypeByContentNotName) {
    EXPECT_EQ(app::image_type(std::string("\x89PNG\r\n\x1a\n", 8) + "rest"), "image/png");
    EXPECT_EQ(app::image_type("\xff\xd8\xff\xe0 jfif"), "image/jpeg");
    EXPECT_EQ(app::image_type("GIF89a"), "");
    EXPECT_EQ(app::image_type("<svg xmlns=...>"), "");
    EXPECT_EQ(app::image_type(""), "");
}

namespace {

class AdminTest : public ::testing::Test {
  protected:
    void SetUp() override {
        path = fs::temp_directory_path() /
               ("vg-admin-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".db");
        remove_files();
        db = store::open_sqlite_store({path.string(), false, 10000, &clock});
        db->migrate();
        app::load_demo(*db, clock.now());
        booking =
            std::make_unique<app::BookingService>(*db, app::BookingSettings{}, nullptr, clock);
        admin = std::make_unique<app::Administration>(*booking, nullptr);
        db->read([&](store::Session& s) { org = *s.organisation_by_slug("demo"); });
    }
    void TearDown() override {
        admin.reset();
        booking.reset();
        db.reset();
        remove_files();
    }
    void remove_files() {
        for (auto ext : {"", "-wal", "-shm"}) fs::remove(path.string() + ext);
    }
    app::Fields settings() const {
        return {{"name", "Caf de démonstration"},
                {"lang_fr", "1"},
                {"lang_en", "1"},
                {"time_zone", "Europe/Paris"},
                {"brand_colour", "#1d4f91"},
                {"no_show_delay", "10"},
                {"retention_days", "730"},
                {"room_opens_minutes", "15"},
                {"room_margin_minutes", "30"},
                {"document_retention_days", "7"}};
    }
    std::vector<store::ConfigChange> changes() {
        std::vector<store::ConfigChange> out;
        db->read([&](store::Session& s) { out = s.changes(org.id, {}); });
        return out;
    }
    // An appointment of the demo organisation from start to start + 30 min (inserted as is).
    core::Id appointment(core::Instant start, const std::string& key) {
        core::Id id = 0;
        db->write([&](store::Session& s) {
            store::Appointment a;
            a.organisation_id = org.id;
            a.motif_id = s.motifs(org.id).front().id;
            a.site_id = s.sites(org.id).front().id;
            a.agent_id = s.agents(org.id).front().id;
            a.channel = core::Channel::video;
            a.starts_at = start;
            a.ends_at = start + 1800;
            a.status = store::AppointmentStatus::honoured;
            a.citizen = {"Camille", "Durand",  "camille@example.org", "+33 6 12 34 56 78",
                         "fr",      "1234567", "Fauteuil roulant"};
            a.terms_version = 1;
            a.booked_by.kind = "agent";
            a.token_hash = key;
            a.token_expires_at = start + 86400;
            id = s.insert_appointment(a);
        });
        return id;
    }

    core::ManualClock clock{1'767'225'600};  // 2026-01-01T00:00:00Z
    fs::path path;
    std::unique_ptr<store::Store> db;
    std::unique_ptr<app::BookingService> booking;
    std::unique_ptr<app::Administration> admin;
    store::Organisation org;
};

}  // namespace

TEST_F(AdminTest, NoShowDelayAndRetentionDefaults) {
    EXPECT_EQ(org.no_show_delay_minutes, 10);  // seed 003
    EXPECT_EQ(app::no_show_delay(org), 600);
    EXPECT_EQ(org.retention_days, 730);
}

TEST_F(AdminTest, SettingsRefusedWriteNothingAndAcceptedOnesAreJournalled) {
    auto bad = settings();
    bad["brand_colour"] = "#ffff00";
    bad["time_zone"] = "Mars/Olympus";
    bad["retention_days"] = "5";
    bad["no_show_delay"] = "ten";
    bad["lang_fr"] = bad["lang_en"] = "";
    bad["sender_email"] = "nobody";
    bad["name"] = std::string("Caf\x01", 4);
    auto r = admin->update_settings(org.id, bad, "account:1");
    EXPECT_EQ(r.errors, (core::FieldErrors{{"brand_colour", "admin.error_contrast"},
                                           {"time_zone", "admin.error_zone"},
                                           {"retention_days", "admin.error_range"},
                                           {"no_show_delay", "admin.error_number"},
                                           {"languages", "admin.error_languages"},
                                           {"sender_email", "admin.error_email"},
                                           {"name", "admin.error_invalid"}}));
    EXPECT_TRUE(changes().empty());

    auto good = settings();
    good["no_show_delay"] = "25";
    good["retention_days"] = "400";
    r = admin->update_settings(org.id, good, "account:1");
    ASSERT_TRUE(r.ok());
    store::Organisation after;
    db->read([&](store::Session& s) { after = *s.organisation_by_id(org.id); });
    EXPECT_EQ(app::no_show_delay(after), 25 * 60);
    EXPECT_EQ(after.retention_days, 400);
    EXPECT_EQ(after.languages, (std::vector<std::string>{"fr", "en"}));
    auto c = changes();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].actor, "account:1");
    EXPECT_EQ(c[0].object_type, "settings");
    EXPECT_EQ(nlohmann::json::parse(c[0].before)["no_show_delay_minutes"], 10);
    EXPECT_EQ(nlohmann::json::parse(c[0].after)["no_show_delay_minutes"], 25);
    // The citizens' organisation follows at once.
    EXPECT_EQ(booking->organisation("demo")->org.retention_days, 400);
}

TEST_F(AdminTest, RoomSettingsAreCheckedAndFollowedByTheRoomAtOnce) {
    // Defaults: migrations 15 and 17.
    EXPECT_EQ(org.room_opens_minutes, 15);
    EXPECT_EQ(org.room_margin_minutes, 30);
    EXPECT_FALSE(org.camera_required);
    EXPECT_EQ(org.document_retention_days, 7);
    // Out of bounds, not a number, empty: refused, nothing written.
    using Case = std::tuple<std::string, std::string, std::string>;
    for (auto& [field, value, key] :
         std::vector<Case>{{"room_opens_minutes", "121", "range"},
                           {"room_opens_minutes", "-1", "range"},
                           {"room_opens_minutes", "", "number"},
                           {"room_margin_minutes", "241", "range"},
                           {"room_margin_minutes", "1.5", "number"},
                           {"document_retention_days", "0", "range"},
                           {"document_retention_days", "366", "range"},
                           {"document_retention_days", "sept", "number"}}) {
        auto bad = settings();
        bad[field] = value;
        bad["camera_required"] = "1";
        auto r = admin->update_settings(org.id, bad, "account:1");
        EXPECT_EQ(r.errors, (core::FieldErrors{{field, "admin.error_" + key}}))
            << field << "=" << value;
    }
    EXPECT_TRUE(changes().empty());
    db->read(
        [&](store::Session& s) { EXPECT_FALSE(s.organisation_by_id(org.id)->camera_required); });
    // The bounds are accepted.
    auto good = settings();
    good["room_opens_minutes"] = "120";
    good["room_margin_minutes"] = "0";
    good["camera_required"] = "1";
    good["document_retention_days"] = "365";
    ASSERT_TRUE(admin->update_settings(org.id, good, "account:1").ok());
    auto live = booking->organisation("demo")->org;  // the room reads it at once
    EXPECT_EQ(live.room_opens_minutes, 120);
    EXPECT_EQ(live.room_margin_minutes, 0);
    EXPECT_TRUE(live.camera_required);
    EXPECT_EQ(live.document_retention_days, 365);
    auto c = changes();
    ASSERT_EQ(c.size(), 1u);
    auto before = nlohmann::json::parse(c[0].before), after = nlohmann::json::parse(c[0].after);
    EXPECT_EQ(before["camera_required"], false);
    EXPECT_EQ(after["camera_required"], true);
    EXPECT_EQ(before["room_opens_minutes"], 15);
    EXPECT_EQ(after["room_opens_minutes"], 120);
    EXPECT_EQ(after["room_margin_minutes"], 0);
    EXPECT_EQ(before["document_retention_days"], 7);
    EXPECT_EQ(after["document_retention_days"], 365);
    // The room's window follows: it opens 120 minutes before the start.
    store::Appointment a;
    a.channel = core::Channel::video;
    a.status = store::AppointmentStatus::booked;
    a.starts_at = clock.now() + 119 * 60;
    a.ends_at = a.starts_at + 1800;
    EXPECT_EQ(app::room_window(a, live, clock.now()), app::RoomWindow::open);
    EXPECT_EQ(app::room_window(a, live, a.ends_at + 1), app::RoomWindow::over);  // margin 0
}

TEST_F(AdminTest, PublishedTermsGetTheNextVersionAndBookingsKeepTheirs) {
    auto booked = appointment(clock.now() + 86400, "t1");
    int before = booking->organisation("demo")->terms->version;
    auto r = admin->publish_terms(org.id, {{"text_fr", "Nouvelles conditions"}}, "account:1");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(booking->organisation("demo")->terms->version, before + 1);
    db->read([&](store::Session& s) {
        EXPECT_EQ(s.appointment_by_id(org.id, booked)->terms_version, 1);
        EXPECT_EQ(s.terms_versions(org.id).size(), std::size_t(before + 1));
    });
    EXPECT_EQ(admin->publish_terms(org.id, {{"text_fr", " "}}, "account:1").errors.count("text_fr"),
              1u);
}

TEST_F(AdminTest, RetentionErasesPersonalDataAfterThePeriodAndKeepsStatistics) {
    auto now = clock.now();
    auto old = appointment(now - 800 * 86400, "old");     // ended > 730 days ago
    auto recent = appointment(now - 100 * 86400, "new");  // within the period
    db->write([&](store::Session& s) {
        for (auto id : {old, recent}) s.add_note({0, id, org.id, 0, "account:1", "", "Rappeler"});
    });
    EXPECT_EQ(admin->run_retention(), 1);
    db->read([&](store::Session& s) {
        EXPECT_TRUE(s.notes(org.id, old).empty()) << "the agents' notes are personal data too";
        EXPECT_EQ(s.notes(org.id, recent).size(), 1u);
    });
    store::Appointment a, b;
    db->read([&](store::Session& s) {
        a = *s.appointment_by_id(org.id, old);
        b = *s.appointment_by_id(org.id, recent);
    });
    for (auto* field : {&a.citizen.first_name, &a.citizen.last_name, &a.citizen.email,
                        &a.citizen.phone, &a.citizen.beneficiary_number, &a.citizen.needs})
        EXPECT_EQ(*field, "");
    // What statistics count stays.
    EXPECT_EQ(a.status, store::AppointmentStatus::honoured);
    EXPECT_EQ(a.channel, core::Channel::video);
    EXPECT_EQ(a.starts_at, now - 800 * 86400);
    EXPECT_EQ(a.booked_by.kind, "agent");
    EXPECT_NE(a.motif_id, 0);
    EXPECT_EQ(b.citizen.last_name, "Durand");
    // Nothing more to erase today; 631 days later the second one's turn comes.
    EXPECT_EQ(admin->run_retention(), 0);
    clock.advance(631 * 86400);
    EXPECT_EQ(admin->run_retention(), 1);
    // The counts are in the audit journal.
    store::sqlite::Connection c(path.string(), 1000);
    auto s = c.prepare("SELECT detail FROM audit_log WHERE action='retention.erase' ORDER BY id");
    std::vector<int> counts;
    while (s.step()) counts.push_back(nlohmann::json::parse(s.text(0))["appointments"].get<int>());
    EXPECT_EQ(counts, (std::vector<int>{1, 0, 1}));
}

TEST_F(AdminTest, RetentionFollowsTheOrganisationsPeriod) {
    auto now = clock.now();
    auto id = appointment(now - 40 * 86400, "forty");
    EXPECT_EQ(admin->run_retention(), 0);
    auto f = settings();
    f["retention_days"] = "30";
    ASSERT_TRUE(admin->update_settings(org.id, f, "account:1").ok());
    EXPECT_EQ(admin->run_retention(), 1);
    db->read(
        [&](store::Session& s) { EXPECT_EQ(s.appointment_by_id(org.id, id)->citizen.email, ""); });
}

TEST(Multipart, PartsOfABrowsersForm) {
    std::string body =
        "--XyZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\nabc\r\n"
        "--XyZ\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"a.png\"\r\n"
        "Content-Type: image/png\r\n\r\n\x89PNG\r\n\x1a\n--X\r\n--XyZ--\r\n";
    auto parts = http::parse_multipart("multipart/form-data; boundary=XyZ", body);
    ASSERT_TRUE(parts);
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].name, "csrf");
    EXPECT_EQ((*parts)[0].data, "abc");
    EXPECT_EQ((*parts)[1].filename, "a.png");
    EXPECT_EQ((*parts)[1].data, "\x89PNG\r\n\x1a\n--X");
    EXPECT_TRUE(http::parse_multipart("Multipart/Form-Data; boundary=\"XyZ\"", body));
    // Refused: not multipart, no boundary, unterminated, too many parts, nameless part.
    EXPECT_FALSE(http::parse_multipart("application/x-www-form-urlencoded", body));
    EXPECT_FALSE(http::parse_multipart("multipart/form-data", body));
    EXPECT_FALSE(http::parse_multipart("multipart/form-data; boundary=XyZ",
                                       body.substr(0, body.size() - 9)));
    EXPECT_FALSE(http::parse_multipart("multipart/form-data; boundary=XyZ", body, 1));
    EXPECT_FALSE(http::parse_multipart("multipart/form-data; boundary=b",
                                       "--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--"));
}
