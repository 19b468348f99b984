// admin-rest (issue 12): the organisation's closed days, the sites' public-holiday
// region and the organisation's message texts, on a real SQLite file with the demo organisation and
// a pinned clock.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/administration.hpp"
#include "app/demo.hpp"
#include "app/tokens.hpp"
#include "core/phone.hpp"
#include "core/placeholders.hpp"
#include "core/timefmt.hpp"
#include "notify/composer.hpp"
#include "store/sqlite.hpp"
#include "text/i18n.hpp"
#include "text/templates.hpp"

using namespace vg;
namespace fs = std::filesystem;

namespace {

// Wednesday 25 November 2026, 09:00 in Paris.
constexpr core::Instant kWednesday = 1795593600;

class AdminRestTest : public ::testing::Test {
  protected:
    void SetUp() override {
        app::init_crypto();
        dir = fs::temp_directory_path() /
              ("vg-admrest-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(dir);
        fs::create_directories(dir);
        db = store::open_sqlite_store({(dir / "t.db").string(), false, 10000, &clock});
        db->migrate();
        ASSERT_TRUE(app::load_demo(*db, kWednesday));
        service =
            std::make_unique<app::BookingService>(*db, app::BookingSettings{}, nullptr, clock);
        admin = std::make_unique<app::Administration>(*service, nullptr);
        org = *service->organisation("demo");
        evry = org.sites[0].id;
        massy = org.sites[1].id;
        today = core::local_day_of(kWednesday, org.default_zone());
    }
    void TearDown() override {
        admin.reset();
        service.reset();
        db.reset();
        fs::remove_all(dir);
    }
    std::size_t slots(core::Channel ch, core::LocalDay day, std::optional<core::Id> site) {
        auto fresh = service->organisation("demo");
        return service->slots(*fresh, {1, ch, site, day, day}).size();
    }
    std::vector<store::ConfigChange> changes() {
        std::vector<store::ConfigChange> out;
        db->read([&](store::Session& s) { out = s.changes(org.org.id, {}); });
        return out;
    }

    core::ManualClock clock{kWednesday};
    fs::path dir;
    std::unique_ptr<store::Store> db;
    std::unique_ptr<app::BookingService> service;
    std::unique_ptr<app::Administration> admin;
    app::OrgData org;
    core::Id evry = 0, massy = 0;
    core::LocalDay today = 0;
};

}  // namespace

TEST_F(AdminRestTest, AClosedDayOffersNoSlotOfAnyChannelAndIsJournalled) {
    auto thursday = today + 1, friday = today + 2;
    ASSERT_GT(slots(core::Channel::on_site, thursday, evry), 0u);
    ASSERT_GT(slots(core::Channel::video, thursday, std::nullopt), 0u);
    ASSERT_GT(slots(core::Channel::on_site, thursday, massy), 0u);
    // Read once so that the memo holds the open day: the write must drop it.
    auto r = admin->add_closed_day(org.org.id,
                                   {{"first", core::format_ymd(thursday)},
                                    {"label", "Fermeture exceptionnelle"},
                                    {"site", std::to_string(evry)}},
                                   "account:7");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(slots(core::Channel::on_site, thursday, evry), 0u);
    EXPECT_EQ(slots(core::Channel::phone, thursday, evry), 0u);
    EXPECT_GT(slots(core::Channel::on_site, thursday, massy), 0u);  // another site
    EXPECT_GT(slots(core::Channel::on_site, friday, evry), 0u);     // the next day
    auto c = changes();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].object_type, "holiday");
    EXPECT_EQ(c[0].actor, "account:7");
    EXPECT_EQ(nlohmann::json::parse(c[0].after)["label"], "Fermeture exceptionnelle");

    // Every site, a range: nothing that week-end's Thursday and Friday, by any channel.
    r = admin->add_closed_day(org.org.id,
                              {{"first", core::format_ymd(thursday)},
                               {"last", core::format_ymd(friday)},
                               {"label", "Pont"}},
                              "account:7");
    ASSERT_TRUE(r.ok());
    for (auto ch : {core::Channel::video, core::Channel::on_site, core::Channel::phone})
        for (auto day : {thursday, friday}) EXPECT_EQ(slots(ch, day, std::nullopt), 0u);
    // Deleted: the days open again (journalled too).
    ASSERT_TRUE(admin->delete_closed_day(org.org.id, r.id, "account:7").ok());
    EXPECT_GT(slots(core::Channel::on_site, friday, evry), 0u);
    EXPECT_EQ(changes().size(), 3u);
    EXPECT_TRUE(admin->delete_closed_day(org.org.id, r.id, "account:7").not_found);
}

TEST_F(AdminRestTest, AClosedDayOverBookedAppointmentsIsRefusedWithTheirList) {
    auto thursday = today + 1;
    auto open = service->slots(org, {1, core::Channel::on_site, evry, thursday, thursday});
    ASSERT_FALSE(open.empty());
    app::BookRequest b;
    b.motif_id = 1;
    b.channel = core::Channel::on_site;
    b.start = open.front().start;
    b.site_id = evry;
    b.citizen = {"Zoé", "Martin", "zoe@example.fr", "", "fr", "", ""};
    b.accept_terms = true;
    b.terms_version = org.terms->version;
    auto booked = service->book(org, b);
    ASSERT_EQ(booked.outcome, app::Outcome::ok);

    auto r = admin->add_closed_day(org.org.id,
                                   {{"first", core::format_ymd(thursday - 1)},
                                    {"last", core::format_ymd(thursday + 3)},
                                    {"label", "Travaux"}},
                                   "account:7");
    ASSERT_EQ(r.errors.count("first"), 1u);
    EXPECT_EQ(r.errors.at("first"), "admin.error_closed_day_booked");
    ASSERT_EQ(r.hit.size(), 1u);
    EXPECT_EQ(r.hit[0].id, booked.appointment.id);
    EXPECT_TRUE(changes().empty());
    EXPECT_GT(slots(core::Channel::on_site, thursday, evry), 0u);
    // Another site that day is not concerned by this appointment.
    EXPECT_TRUE(admin
                    ->add_closed_day(org.org.id,
                                     {{"first", core::format_ymd(thursday)},
                                      {"label", "Travaux"},
                                      {"site", std::to_string(massy)}},
                                     "account:7")
                    .ok());
}

TEST_F(AdminRestTest, BadClosedDaysWriteNothingAndAnotherOrganisationsSiteIsNotFound) {
    auto r = admin->add_closed_day(org.org.id, {{"first", "2026-13-01"}, {"label", ""}}, "a");
    EXPECT_EQ(r.errors, (core::FieldErrors{{"first", "admin.error_date"},
                                           {"label", "admin.error_required"}}));
    r = admin->add_closed_day(
        org.org.id, {{"first", "2026-12-10"}, {"last", "2026-12-01"}, {"label", "x"}}, "a");
    EXPECT_EQ(r.errors.at("last"), "admin.error_closed_day_order");
    r = admin->add_closed_day(
        org.org.id, {{"first", "2026-01-01"}, {"last", "2027-06-01"}, {"label", "x"}}, "a");
    EXPECT_EQ(r.errors.at("last"), "admin.error_closed_day_length");
    r = admin->add_closed_day(org.org.id,
                              {{"first", "2026-12-10"}, {"label", "x"}, {"site", "999"}}, "a");
    EXPECT_TRUE(r.not_found);
    EXPECT_TRUE(changes().empty());
}

TEST_F(AdminRestTest, ASitesPublicHolidayRegionIsEditedAndJournalled) {
    // Friday 25 December 2026: a public holiday of the organisation's region (métropole).
    auto christmas = *core::parse_ymd("2026-12-25");
    EXPECT_EQ(slots(core::Channel::on_site, christmas, evry), 0u);
    app::Fields f{
        {"name", "Accueil d'Évry"}, {"time_zone", "Europe/Paris"}, {"holiday_region", "atlantis"}};
    auto r = admin->save_site(org.org.id, evry, f, "account:7");
    EXPECT_EQ(r.errors.at("holiday_region"), "admin.error_invalid");
    f["holiday_region"] = "none";  // a site without public holidays
    ASSERT_TRUE(admin->save_site(org.org.id, evry, f, "account:7").ok());
    EXPECT_EQ(service->organisation("demo")->site(evry)->holiday_region, "none");
    EXPECT_GT(slots(core::Channel::on_site, christmas, evry), 0u);
    auto c = changes();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(nlohmann::json::parse(c[0].after)["holiday_region"], "none");
    f["holiday_region"] = "";  // the organisation's again
    ASSERT_TRUE(admin->save_site(org.org.id, evry, f, "account:7").ok());
    EXPECT_EQ(service->organisation("demo")->site(evry)->holiday_region, "");
    EXPECT_EQ(slots(core::Channel::on_site, christmas, evry), 0u);
}

TEST(Placeholders, KnownOnesAreFilledAndUnknownOnesNamed) {
    EXPECT_EQ(core::unknown_placeholders("Le {date} à {time}, {motif} ({site}, {organisation})"),
              std::vector<std::string>{});
    EXPECT_EQ(core::unknown_placeholders("{nom} {date} {nom} {Heure} {x y} {} {prenom}"),
              (std::vector<std::string>{"nom", "prenom"}));
    EXPECT_EQ(core::fill_placeholders("{motif} le {date}, {nom} {time",
                                      {{"motif", "Logement"}, {"date", "lundi"}}),
              "Logement le lundi, {nom} {time");
    EXPECT_EQ(core::fill_placeholders("{site}{site}", {{"site", "{date}"}}), "{date}{date}");
}

TEST_F(AdminRestTest, MessageTextsReplaceTheCataloguesInComposedMessagesEscapedInHtml) {
    text::I18n i18n;
    i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
    text::Templates templates;
    templates.load(std::string(VG_SOURCE_DIR) + "/templates");
    notify::Composer composer(i18n, templates, "https://rdv.example.org");
    auto compose = [&](const std::string& lang) {
        auto sample = admin->sample_message(org.org.id, "confirmation", lang);
        EXPECT_TRUE(sample);
        return std::pair{composer.citizen_email(sample->first, sample->second),
                         composer.citizen_sms(sample->first, sample->second)};
    };
    auto catalogue = i18n.t("nl", "messages.subject.confirmation");
    EXPECT_EQ(compose("nl").first.subject.rfind(catalogue, 0), 0u);

    // Unknown placeholders and kinds: refused, nothing written.
    auto r = admin->save_message_texts(org.org.id, "confirmation",
                                       {{"subject_nl", "Afspraak op {datum}"}}, "account:7");
    EXPECT_EQ(r.errors, (core::FieldErrors{{"subject_nl", "admin.error_placeholder"}}));
    EXPECT_TRUE(admin->save_message_texts(org.org.id, "links", {}, "account:7").not_found);
    EXPECT_TRUE(changes().empty());

    r = admin->save_message_texts(
        org.org.id, "confirmation",
        {{"subject_nl", "Uw afspraak op {date} om {time}"},
         {"intro_nl", "<script>alert(1)</script> {motif} bij {organisation}, {site}."}},
        "account:7");
    ASSERT_TRUE(r.ok());
    auto [mail, sms] = compose("nl");
    EXPECT_EQ(mail.subject.rfind("Uw afspraak op ", 0), 0u) << mail.subject;
    EXPECT_EQ(mail.subject.find('{'), std::string::npos) << mail.subject;
    EXPECT_EQ(mail.html.find("<script>"), std::string::npos);
    EXPECT_NE(mail.html.find("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"), std::string::npos)
        << mail.html;
    auto motif = org.motifs.front().name.pick("nl");
    auto intro = "<script>alert(1)</script> " + motif + " bij " + org.org.name + ", " +
                 org.sites.front().name + ".";
    EXPECT_NE(mail.text.find(intro), std::string::npos) << mail.text;
    EXPECT_EQ(sms.find(org.org.name + ": " + intro), 0u) << sms;
    EXPECT_GE(core::sms_length(sms).segments, 1);
    // The other languages keep the catalogue's texts.
    EXPECT_EQ(compose("fr").first.subject.rfind(i18n.t("fr", "messages.subject.confirmation"), 0),
              0u);
    auto c = changes();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].object_type, "message");
    EXPECT_EQ(nlohmann::json::parse(c[0].after)["texts"]["nl"]["subject"],
              "Uw afspraak op {date} om {time}");
    // Emptied: the catalogue again.
    ASSERT_TRUE(admin->save_message_texts(org.org.id, "confirmation", {}, "account:7").ok());
    EXPECT_EQ(compose("nl").first.subject.rfind(catalogue, 0), 0u);
}

// A closure committed after the slot was computed (here: by another process, beside this
// service's minute memo of the configuration) is seen by the booking's own transaction.
TEST_F(AdminRestTest, ABookingReChecksClosuresInsideItsTransaction) {
    auto thursday = today + 1;
    auto open = service->slots(org, {1, core::Channel::on_site, evry, thursday, thursday});
    ASSERT_GE(open.size(), 2u);
    app::BookRequest b;
    b.motif_id = 1;
    b.channel = core::Channel::on_site;
    b.site_id = evry;
    b.citizen = {"Zoé", "Martin", "zoe@example.fr", "", "fr", "", ""};
    b.accept_terms = true;
    b.terms_version = org.terms->version;
    db->write([&](store::Session& s) {
        s.insert_site_closure({0, org.org.id, evry, thursday, "dégât des eaux", "cli", 0});
    });
    b.start = open[0].start;
    EXPECT_EQ(service->book(org, b).outcome, app::Outcome::conflict);
    store::ClosedDay d;
    d.organisation_id = org.org.id;
    d.first_day = d.last_day = thursday;
    d.label = "Pont";
    d.created_by = "cli";
    db->write([&](store::Session& s) { s.insert_closed_day(d); });
    b.channel = core::Channel::video;
    b.site_id = std::nullopt;
    b.start = open[1].start;
    EXPECT_EQ(service->book(org, b).outcome, app::Outcome::conflict);
    int live = -1;
    db->read([&](store::Session& s) {
        live = int(
            s.appointments_between(org.org.id, 0, 4'000'000'000, true, std::nullopt, std::nullopt)
                .size());
    });
    EXPECT_EQ(live, 0);
}
