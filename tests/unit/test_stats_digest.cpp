// The monthly digest of the statistics (issue 14, docs/STATISTICS.md) on a ManualClock: queued
// on the first day of the month in each organisation's zone (Réunion is three hours ahead of
// Paris in winter), once per organisation and month (again after a restart: nothing), to the
// administrators only, in their console language, with the month's figures and the change
// from the month before.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app/stats_digest.hpp"
#include "demo_fixture.hpp"
#include "notify/composer.hpp"
#include "text/i18n.hpp"
#include "text/templates.hpp"

using namespace vg;

namespace {

core::Instant at(const char* iso) {
    return *core::parse_iso8601(iso);
}

class StatsDigestTest : public unit::DemoFixture {
  protected:
    void SetUp() override {
        DemoFixture::SetUp();
        i18n.load(std::string(VG_SOURCE_DIR) + "/locales");
        templates.load(std::string(VG_SOURCE_DIR) + "/templates");
        db->read([&](store::Session& s) { agent = s.agents(org.org.id).front().id; });
        db->write([&](store::Session& s) {
            store::Organisation o;
            o.slug = "reunion";
            o.name = "CAF de La Réunion";
            o.default_time_zone = "Indian/Reunion";
            reunion = s.insert_organisation(o);
        });
        english = account("admin.en@demo.test", org.org.id, "admin", "en");
        french = account("admin.fr@demo.test", org.org.id, "admin", std::nullopt);
        account("agent.only@demo.test", org.org.id, "agent", "en");
        auto gone = account("gone@demo.test", org.org.id, "admin", "fr");
        db->write([&](store::Session& s) { s.set_account_disabled(gone, kNov25); });
        island = account("admin@reunion.test", reunion, "admin", "de");
        // Three appointments booked in November (one held, one no-show), one in October.
        booked(add_appointment(agent, at("2026-11-26T09:00:00Z"), 30,
                               store::AppointmentStatus::honoured),
               at("2026-11-20T10:00:00Z"));
        booked(add_appointment(agent, at("2026-11-26T10:00:00Z"), 30,
                               store::AppointmentStatus::no_show),
               at("2026-11-21T10:00:00Z"));
        booked(add_appointment(agent, at("2026-12-03T10:00:00Z")), at("2026-11-22T10:00:00Z"));
        booked(add_appointment(agent, at("2026-10-20T10:00:00Z")), at("2026-10-10T10:00:00Z"));
    }

    core::Id account(const std::string& email, core::Id organisation, const std::string& role,
                     const std::optional<std::string>& lang) {
        core::Id id = 0;
        db->write([&](store::Session& s) {
            store::Account a;
            a.email = email;
            a.display_name = email.substr(0, email.find('@'));
            id = s.insert_account(a);
            store::Membership m;
            m.account_id = id;
            m.organisation_id = organisation;
            m.role = role;
            if (role == "agent") m.agent_id = agent;
            s.add_membership(m);
            s.set_account_language(id, lang);
        });
        return id;
    }
    void booked(core::Id id, core::Instant when) {
        db->write([&](store::Session& s) {
            auto a = *s.appointment_by_id(org.org.id, id);
            a.created_at = when;
            s.update_appointment(a);
        });
    }
    std::vector<store::OutboxRow> digests(core::Id organisation) {
        std::vector<store::OutboxRow> out;
        db->read([&](store::Session& s) {
            for (auto& r : s.outbox(organisation, "pending", 100))
                if (r.kind == "stats_digest") out.push_back(r);
        });
        return out;
    }

    static constexpr core::Instant kNov25 = unit::kWednesday;
    text::I18n i18n;
    text::Templates templates;
    core::Id agent = 0, reunion = 0, english = 0, french = 0, island = 0;
};

TEST_F(StatsDigestTest, FirstDayOfTheMonthInEachZoneOnceToEachAdministrator) {
    app::StatsDigest digest(*db, i18n, *clock);
    // 25 November: October's digest is not due (both organisations were created in November).
    EXPECT_EQ(digest.queue_due(), 0);
    // 30 November 21:30 in Paris is 1 December 00:30 in Réunion: only Réunion's is due.
    clock->set(at("2026-11-30T20:30:00Z"));
    EXPECT_EQ(digest.queue_due(), 1);
    EXPECT_EQ(digest.queue_due(), 0);
    ASSERT_EQ(digests(reunion).size(), 1u);
    EXPECT_TRUE(digests(org.org.id).empty());
    auto island_payload = nlohmann::json::parse(digests(reunion)[0].payload);
    EXPECT_EQ(island_payload["account_id"], island);
    EXPECT_EQ(island_payload["lang"], "de");
    EXPECT_EQ(island_payload["month_label"], "November 2026");
    // 1 December 00:30 in Paris: the two administrators of the demo (not the agent, not the
    // disabled account), each in their language (none chosen: the organisation's, French).
    clock->set(at("2026-11-30T23:30:00Z"));
    int queued = 0;
    digest.on_messages_queued([&] { ++queued; });
    EXPECT_EQ(digest.queue_due(), 2);
    EXPECT_EQ(queued, 1);
    auto rows = digests(org.org.id);
    ASSERT_EQ(rows.size(), 2u);
    std::map<core::Id, nlohmann::json> by_account;
    for (auto& r : rows) {
        auto p = nlohmann::json::parse(r.payload);
        by_account[p["account_id"].get<core::Id>()] = p;
        EXPECT_EQ(r.channel, "email");
        EXPECT_LE(r.due_at, clock->now());
    }
    ASSERT_EQ(by_account.size(), 2u);
    auto& en = by_account.at(english);
    auto& fr = by_account.at(french);
    EXPECT_EQ(en["lang"], "en");
    EXPECT_EQ(fr["lang"], "fr");
    EXPECT_EQ(en["month"], "2026-11");
    EXPECT_EQ(en["from"], "2026-11-01");
    EXPECT_EQ(en["to"], "2026-11-30");
    EXPECT_EQ(fr["month_label"], "novembre 2026");
    // The month's figures beside October's: 3 bookings (1 before), 1 held, 1 no-show, a
    // no-show rate of 50 %.
    auto head = [](const nlohmann::json& p, std::size_t i) { return p["headlines"].at(i); };
    EXPECT_EQ(head(en, 0)["label"], "Bookings");
    EXPECT_EQ(head(en, 0)["value"], "3");
    EXPECT_EQ(head(en, 0)["previous"], "1");
    EXPECT_EQ(head(en, 0)["change"], "+2 (+200 %)");
    EXPECT_EQ(head(en, 1)["value"], "1");  // held
    EXPECT_EQ(head(en, 2)["value"], "1");  // no-shows
    EXPECT_EQ(head(en, 3)["value"], "50.0 %");
    EXPECT_EQ(head(fr, 3)["value"], "50,0 %");
    EXPECT_EQ(head(fr, 0)["label"], "Rendez-vous pris");
    // Another process (a restart) queues nothing again, whatever the hour of the month.
    app::StatsDigest restarted(*db, i18n, *clock);
    EXPECT_EQ(restarted.queue_due(), 0);
    clock->set(at("2026-12-15T12:00:00Z"));
    EXPECT_EQ(restarted.queue_due(), 0);
    EXPECT_EQ(digests(org.org.id).size(), 2u);

    // The e-mail: subject and figures in the administrator's language, the page's link.
    notify::Composer composer(i18n, templates, "https://rdv.example.org");
    store::Account to;
    to.email = "admin.en@demo.test";
    to.display_name = "Admin";
    auto mail = composer.digest_email(to, org.org, en);
    EXPECT_EQ(mail.subject, "Your figures for November 2026");
    EXPECT_EQ(mail.to_address, "admin.en@demo.test");
    EXPECT_NE(mail.text.find("Bookings — 3"), std::string::npos) << mail.text;
    EXPECT_NE(mail.text.find("https://rdv.example.org/console/stats?from=2026-11-01&to=2026-11-30"
                             "&lang=en"),
              std::string::npos)
        << mail.text;
    EXPECT_NE(mail.html.find("<th scope=\"row\""), std::string::npos);
}

}  // namespace
